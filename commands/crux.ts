import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord-api-types/v10';
import { defineCommand } from '../src/command.js';
import type { Crux } from '../src/core/corpus/types.js';
import { intParam } from '../src/core/custom-id.js';
import { literal } from '../src/core/format.js';
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
import { oneLine } from '../src/core/text.js';

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
      const exact = corpus.cruxById.get(args.id);
      if (exact) return show(exact);
      // A member who typed words without picking a suggestion still gets the crux when only one matches.
      const found = ctx.search.cruxes(args.id).filter((crux) => args.ahead || crux.session <= reached);
      if (found.length === 1 && found[0]) return show(found[0]);
      if (found.length > 1) {
        const listed = found.slice(0, 5).map((crux) => `• ${literal(crux.question)} (\`${crux.id}\`)`);
        return notice(
          [
            `Several cruxes match “${literal(args.id)}”. Pick one of the suggestions as you type in **id**:`,
            ...listed,
          ].join('\n'),
        );
      }
      return notice(
        `No crux matches “${literal(args.id)}”. Type words from a question in the **id** option and pick one of the suggestions, or use \`/crux\` alone for this week's.`,
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
    const typed = focused.value.trim();
    const reached = groupPlace(ctx.corpus, (await ctx.state.guilds.read(ctx.guildId)).progress).reached;
    const found = (typed ? ctx.search.cruxes(typed) : ctx.corpus.cruxes).filter(
      (crux) => args.ahead || crux.session <= reached,
    );
    return found.map((crux) => ({
      name: `Session ${crux.session} · ${oneLine(crux.question)}`,
      value: crux.id,
    }));
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
