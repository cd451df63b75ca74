import { defineCommand, on } from '../src/command.js';
import {
  confirmDeleteReply,
  DATA_COMMAND,
  dataDeleteCancel,
  dataDeleteConfirm,
  deletedReply,
} from '../src/core/replies/data.js';
import { notice } from '../src/core/reply.js';
import { forgetMember } from '../src/state/index.js';

export default defineCommand({
  name: DATA_COMMAND,
  description: 'Your data in Crux',
  declare: () => ({
    subcommands: {
      'delete-me': { description: 'Delete your poll answers and check-ins in this server (asks first)' },
    },
  }),

  replyPrivately: () => true,

  async run() {
    return confirmDeleteReply();
  },

  components: [
    on(dataDeleteConfirm, async (_params, ctx) => {
      const forgotten = await forgetMember(ctx.state, ctx.guildId, ctx.userId, ctx.corpus.sessions.length);
      // The public totals of open polls no longer count this member.
      for (const pollId of forgotten.openPolls) ctx.polls.refreshSoon(ctx.guildId, pollId);
      return {
        type: 'update',
        reply: deletedReply(forgotten.answers, forgotten.checkIns, forgotten.nativeStillShown),
      };
    }),
    on(dataDeleteCancel, async () => ({ type: 'update', reply: notice('Nothing was deleted.') })),
  ],
});
