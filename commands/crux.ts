import { defineCommand, on } from '../src/command.js';
import { option } from '../src/command-options.js';
import type { Corpus, Crux } from '../src/core/corpus/types.js';
import { cruxChoices, cruxNotFound, lookUpCrux } from '../src/core/crux-lookup.js';
import { UserError } from '../src/core/errors.js';
import { groupPlace } from '../src/core/progress.js';
import {
  CRUX_COMMAND,
  cruxDiscuss,
  cruxQuotes,
  cruxQuotesReply,
  cruxReply,
  cruxThreadName,
  cruxThreadStarter,
} from '../src/core/replies/crux.js';
import { threadRefusal } from '../src/core/replies/threads.js';
import { notice, type Reply } from '../src/core/reply.js';
import { nextInRotation } from '../src/core/rotation.js';

export default defineCommand({
  name: CRUX_COMMAND,
  description: 'Show a key disagreement from this week’s reading, each side with the passages that argue it',
  declare: () => ({
    options: {
      id: option.string('A particular crux: type words from its question', {
        autocomplete: true,
        maxLength: 100,
      }),
      ahead: option.boolean('Include cruxes of sessions the group has not reached yet (spoilers)'),
    },
  }),

  // A member who asks to see past where the group is sees it alone: spoilers never reach the channel.
  replyPrivately: (args) => args.ahead === true,

  async run(args, ctx) {
    const { corpus } = ctx;
    const ahead = args.ahead === true;
    if (args.id !== undefined) {
      const reached = groupPlace(corpus, (await ctx.state.guilds.read(ctx.guildId)).progress).reached;
      const lookup = lookUpCrux(corpus, ctx.search, args.id, (crux) => ahead || crux.session <= reached);
      if (lookup.kind !== 'found') {
        throw new UserError(
          lookup.kind === 'several'
            ? cruxNotFound(args.id, lookup, 'id')
            : `${cruxNotFound(args.id, lookup, 'id')} Or use \`/crux\` alone for this week's.`,
        );
      }
      return show(lookup.crux, reached, ahead, corpus);
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

  components: [
    on(cruxQuotes, async (params, ctx) => {
      const crux = ctx.corpus.cruxById.get(params.c);
      if (!crux) return { type: 'reply', reply: STALE_CRUX };
      // Quotes opens as its own private message; only its page buttons turn the page in place.
      return {
        type: params.p === undefined ? 'reply' : 'update',
        reply: cruxQuotesReply(ctx.corpus, crux, params.p ?? 0),
      };
    }),
    on(cruxDiscuss, async (params, ctx) => {
      const crux = ctx.corpus.cruxById.get(params.c);
      if (!crux) return { type: 'reply', reply: STALE_CRUX };
      const refusal = threadRefusal(ctx.channelKind, ctx.permissions);
      if (refusal) return { type: 'reply', reply: refusal };
      return { type: 'thread', name: cruxThreadName(crux), starter: cruxThreadStarter(crux) };
    }),
  ],
});

/** A crux the member named: past where the group is only with `ahead`; asked with `ahead`, only to them. */
function show(crux: Crux, reached: number, ahead: boolean, corpus: Corpus): Reply {
  if (crux.session > reached && !ahead) {
    throw new UserError(
      `That crux belongs to session ${crux.session}, ahead of the group, which has reached session ${reached}. Add **ahead: True** to see it anyway (spoilers).`,
    );
  }
  return ahead ? { ...cruxReply(corpus, crux), ephemeral: true } : cruxReply(corpus, crux);
}

const STALE_CRUX = notice('That crux is no longer in the reading list. Use `/crux` for a current one.');
