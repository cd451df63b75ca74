import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord-api-types/v10';
import { defineCommand } from '../src/command.js';
import { confirmDeleteReply, DATA_ACTIONS, DATA_COMMAND, deletedReply } from '../src/core/replies/data.js';
import { notice, type Outcome } from '../src/core/reply.js';
import { forgetMember } from '../src/state/index.js';

export default defineCommand({
  define: () =>
    new SlashCommandBuilder()
      .setName(DATA_COMMAND)
      .setDescription('Your data in Crux')
      .setContexts(InteractionContextType.Guild)
      .addSubcommand((sub) =>
        sub
          .setName('delete-me')
          .setDescription('Delete your poll answers and check-ins in this server (asks first)'),
      ),

  replyPrivately: () => true,

  async run() {
    return confirmDeleteReply();
  },

  components: {
    async [DATA_ACTIONS.confirm](_params, ctx): Promise<Outcome> {
      const forgotten = await forgetMember(ctx.state, ctx.guildId, ctx.userId, ctx.corpus.sessions.length);
      // The public totals of open polls no longer count this member.
      for (const pollId of forgotten.openPolls) ctx.polls.refreshSoon(ctx.guildId, pollId);
      return {
        type: 'update',
        reply: deletedReply(forgotten.answers, forgotten.checkIns, forgotten.nativeStillShown),
      };
    },
    async [DATA_ACTIONS.cancel](): Promise<Outcome> {
      return { type: 'update', reply: notice('Nothing was deleted.') };
    },
  },
});
