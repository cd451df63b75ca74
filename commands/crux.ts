import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord-api-types/v10';
import { defineCommand } from '../src/command.js';
import type { Corpus, Crux } from '../src/core/corpus/types.js';
import { intParam } from '../src/core/custom-id.js';
import { FIRST_SESSION } from '../src/core/excerpts.js';
import { literal } from '../src/core/format.js';
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

type CruxArgs = { readonly id?: string };

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
      ),

  async run(args, ctx) {
    const { corpus } = ctx;
    if (args.id !== undefined) {
      const crux = corpus.cruxById.get(args.id) ?? onlyMatch(corpus, args.id);
      if (!crux) {
        return notice(
          `No crux matches “${literal(args.id)}”. Type words from a question in the **id** option and pick one of the suggestions, or use \`/crux\` alone for this week's.`,
        );
      }
      return cruxReply(corpus, crux);
    }
    const candidates = corpus.cruxes.filter((crux) => crux.session === FIRST_SESSION);
    const rotation = await ctx.state.guilds.change(ctx.guildId, (record) => {
      const next = nextInRotation(candidates, record.cruxes.shown, 'in-order', ctx.random);
      return { record: { ...record, cruxes: { shown: next?.shown ?? record.cruxes.shown } }, result: next };
    });
    if (!rotation)
      return notice(`Session ${FIRST_SESSION} has no cruxes yet. Use \`/crux id:\` to pick any crux.`);
    return cruxReply(corpus, rotation.item);
  },

  async autocomplete(focused, _args, ctx) {
    return matching(ctx.corpus, focused.value).map((crux) => ({
      name: truncate(`Session ${crux.session} · ${oneLine(crux.question)}`, 100),
      value: crux.id,
    }));
  },

  components: {
    async [CRUX_ACTIONS.quotes](params, ctx): Promise<Outcome> {
      const crux = ctx.corpus.cruxById.get(params.c ?? '');
      if (!crux)
        return {
          type: 'reply',
          reply: notice('That crux is no longer in the reading list. Use `/crux` for a current one.'),
        };
      return {
        type: ctx.message?.ephemeral ? 'update' : 'reply',
        reply: cruxQuotesReply(ctx.corpus, crux, intParam(params, 'p', 0)),
      };
    },
    async [CRUX_ACTIONS.discuss](params, ctx): Promise<Outcome> {
      const crux = ctx.corpus.cruxById.get(params.c ?? '');
      if (!crux)
        return {
          type: 'reply',
          reply: notice('That crux is no longer in the reading list. Use `/crux` for a current one.'),
        };
      const refusal = threadRefusal(ctx.channelKind, ctx.permissions);
      if (refusal) return { type: 'reply', reply: refusal };
      return { type: 'thread', name: cruxThreadName(crux), starter: cruxThreadStarter(crux) };
    },
  },
});

/** Cruxes whose question, labels or id contain every typed word, in schedule order. */
function matching(corpus: Corpus, typed: string): Crux[] {
  const words = typed.toLowerCase().split(/\s+/u).filter(Boolean);
  return corpus.cruxes.filter((crux) => {
    const haystack = [crux.id, crux.question, ...crux.positions.map((p) => p.label)].join(' ').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/** A member who typed words without picking a suggestion still gets the crux when only one matches. */
function onlyMatch(corpus: Corpus, typed: string): Crux | undefined {
  const found = matching(corpus, typed);
  return found.length === 1 ? found[0] : undefined;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
