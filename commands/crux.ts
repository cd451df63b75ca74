import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord-api-types/v10';
import { defineCommand } from '../src/command.js';
import type { Crux } from '../src/core/corpus/types.js';
import { cruxChoices, cruxNotFound, lookUpCrux } from '../src/core/crux-lookup.js';
import { intParam } from '../src/core/custom-id.js';
import { groupPlace } from '../src/core/progress.js';
import {
  CRUX_ACTIONS,
  CRUX_COMMAND,
  cruxQuotesReply,
  cruxReply,
  cruxThreadName,
  cruxThreadStarter,
} from '../src/core/replies/crux.js';
import { threadRefusal } from '../src/core/replies/threads.js';
import { notice, type Outcome } from '../src/core/reply.js';
import { nextInRotation } from '../src/core/rotation.js';

type CruxArgs = { readonly id?: string; readonly ahead?: boolean };

export default defineCommand<CruxArgs>({
  define: () =>
    new SlashCommandBuilder()
      .setName(CRUX_COMMAND)
      .setDescription(
        'Show a key disagreement from this week’s reading, each side with the passages that argue it',
      )
      .setContexts(InteractionContextType.Guild)
      .addStringOption((option) =>
        option
          .setName('id')
          .setDescription('A particular crux: type words from its question')
          .setAutocomplete(true)
          .setMaxLength(100),
      )
      .addBooleanOption((option) =>
        option
          .setName('ahead')
          .setDescription('Include cruxes of sessions the group has not reached yet (spoilers)'),
      ),

  async run(args, ctx) {
    const { corpus } = ctx;
    if (args.id !== undefined) {
      const reached = groupPlace(corpus, (await ctx.state.guilds.read(ctx.guildId)).progress).reached;
      const show = (crux: Crux) =>
        crux.session > reached && !args.ahead
          ? notice(
              `That crux belongs to session ${crux.session}, ahead of the group, which has reached session ${reached}. Add **ahead: True** to see it anyway (spoilers).`,
            )
          : cruxReply(corpus, crux);
      const lookup = lookUpCrux(
        corpus,
        ctx.search,
        args.id,
        (crux) => args.ahead === true || crux.session <= reached,
      );
      if (lookup.kind === 'found') return show(lookup.crux);
      return notice(
        lookup.kind === 'several'
          ? cruxNotFound(args.id, lookup, 'id')
          : `${cruxNotFound(args.id, lookup, 'id')} Or use \`/crux\` alone for this week's.`,
      );
    }
    const { crux, session } = await ctx.state.guilds.rotate(ctx.guildId, 'cruxes', (shown, record) => {
      const current = record.progress.session;
      const next = nextInRotation(
        corpus.cruxes.filter((c) => c.session === current),
        shown,
        'in-order',
        ctx.random,
      );
      return { shown: next?.shown, result: { crux: next?.item, session: current } };
    });
    if (!crux) return notice(`Session ${session} has no cruxes. Use \`/crux id:\` to pick any crux.`);
    return cruxReply(corpus, crux);
  },

  async autocomplete(focused, args, ctx) {
    const reached = groupPlace(ctx.corpus, (await ctx.state.guilds.read(ctx.guildId)).progress).reached;
    return cruxChoices(
      ctx.corpus,
      ctx.search,
      focused.value,
      (crux) => args.ahead === true || crux.session <= reached,
    );
  },

  components: {
    async [CRUX_ACTIONS.quotes](params, ctx): Promise<Outcome> {
      const crux = ctx.corpus.cruxById.get(params.c ?? '');
      if (!crux) return { type: 'reply', reply: STALE_CRUX };
      // Quotes opens as its own private message; only its page buttons turn the page in place.
      return {
        type: params.p === undefined ? 'reply' : 'update',
        reply: cruxQuotesReply(ctx.corpus, crux, intParam(params, 'p', 0)),
      };
    },
    async [CRUX_ACTIONS.discuss](params, ctx): Promise<Outcome> {
      const crux = ctx.corpus.cruxById.get(params.c ?? '');
      if (!crux) return { type: 'reply', reply: STALE_CRUX };
      const refusal = threadRefusal(ctx.channelKind, ctx.permissions);
      if (refusal) return { type: 'reply', reply: refusal };
      return { type: 'thread', name: cruxThreadName(crux), starter: cruxThreadStarter(crux) };
    },
  },
});

const STALE_CRUX = notice('That crux is no longer in the reading list. Use `/crux` for a current one.');
