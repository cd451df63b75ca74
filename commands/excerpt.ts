import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord-api-types/v10';
import { type CommandContext, defineCommand } from '../src/command.js';
import { intParam } from '../src/core/custom-id.js';
import {
  describeScope,
  type ExcerptScope,
  FIRST_SESSION,
  inScope,
  passageInScope,
  topicsAvailable,
} from '../src/core/excerpts.js';
import { literal } from '../src/core/format.js';
import {
  contextReply,
  EXCERPT_ACTIONS,
  EXCERPT_COMMAND,
  excerptReply,
  excerptThreadName,
  excerptThreadStarter,
  scopeFromParams,
} from '../src/core/replies/excerpt.js';
import { passageFromParams } from '../src/core/replies/passage-ref.js';
import { threadRefusal } from '../src/core/replies/threads.js';
import { notice, type Outcome, type Reply } from '../src/core/reply.js';
import { nextInRotation } from '../src/core/rotation.js';
import { EXCERPT_VALUE_PREFIX } from '../src/core/search.js';

type ExcerptArgs = {
  readonly text?: string;
  readonly topic?: string;
  readonly search?: string;
  readonly session?: number;
  readonly private?: boolean;
};

export default defineCommand<ExcerptArgs>({
  define: (corpus) =>
    new SlashCommandBuilder()
      .setName(EXCERPT_COMMAND)
      .setDescription('Post an excerpt from this week’s reading; no repeats until every one has been shown')
      .setContexts(InteractionContextType.Guild)
      .addStringOption((option) =>
        option.setName('text').setDescription('Only from this text').setAutocomplete(true).setMaxLength(100),
      )
      .addStringOption((option) =>
        option
          .setName('topic')
          .setDescription('Only excerpts on this topic')
          .addChoices(...corpus.topics.map((topic) => ({ name: topic.label, value: topic.id }))),
      )
      .addStringOption((option) =>
        option
          .setName('search')
          .setDescription('Words to find in the excerpts and the texts')
          .setAutocomplete(true)
          .setMaxLength(100),
      )
      .addIntegerOption((option) =>
        option
          .setName('session')
          .setDescription('From this session of the reading schedule')
          .setMinValue(1)
          .setMaxValue(corpus.sessions.length),
      )
      .addBooleanOption((option) =>
        option.setName('private').setDescription('Show it only to you, as a preview'),
      ),

  async run(args, ctx) {
    const { corpus } = ctx;
    if (args.text !== undefined && !corpus.textById.has(args.text)) {
      return notice(
        `There is no text called “${literal(args.text)}”. Start typing in the **text** option and pick one of the titles it suggests.`,
      );
    }
    if (args.topic !== undefined && !corpus.topicById.has(args.topic)) {
      return notice(`“${literal(args.topic)}” is not a topic. Pick one from the **topic** option's list.`);
    }
    if (args.session !== undefined && !corpus.sessions.some((s) => s.number === args.session)) {
      return notice(
        `The schedule has sessions 1 to ${corpus.sessions.length}. Pick a session in that range.`,
      );
    }
    const query = args.search?.trim() || undefined;
    const narrowed = args.text !== undefined || args.topic !== undefined || query !== undefined;
    const scope: ExcerptScope = {
      // A member who names a text, topic or search means the whole list unless they also name a session.
      ...(args.session !== undefined || !narrowed ? { session: args.session ?? FIRST_SESSION } : {}),
      ...(args.text !== undefined ? { textId: args.text } : {}),
      ...(args.topic !== undefined ? { topicId: args.topic } : {}),
    };
    const ephemeral = args.private === true;
    if (query?.startsWith(EXCERPT_VALUE_PREFIX)) {
      const excerpt = corpus.excerptById.get(query.slice(EXCERPT_VALUE_PREFIX.length));
      if (!excerpt)
        return notice('That suggestion is out of date. Type your search again and pick a fresh one.');
      if (!ephemeral) await recordShown(ctx, excerpt.id);
      return excerptReply(corpus, { passage: excerpt, scope, ephemeral });
    }
    return serveExcerpt({ ...scope, ...(query ? { query } : {}) }, ephemeral, ctx);
  },

  async autocomplete(focused, args, ctx) {
    const typed = focused.value.trim().toLowerCase();
    if (focused.name === 'text') {
      return ctx.corpus.texts
        .filter((text) => text.title.toLowerCase().includes(typed) || text.id.includes(typed))
        .map((text) => ({ name: text.title, value: text.id }));
    }
    if (focused.name === 'search') {
      const scope: ExcerptScope = {
        ...(args.session !== undefined ? { session: args.session } : {}),
        ...(args.text !== undefined ? { textId: args.text } : {}),
        ...(args.topic !== undefined ? { topicId: args.topic } : {}),
      };
      return ctx.search.suggest(focused.value, inScope(scope));
    }
    return [];
  },

  components: {
    async [EXCERPT_ACTIONS.another](params, ctx): Promise<Outcome> {
      const { scope, ephemeral } = scopeFromParams(params);
      const reply = await serveExcerpt(scope, ephemeral, ctx);
      // A private preview changes in place; in the channel, the next excerpt is a new message.
      return { type: ctx.message?.ephemeral ? 'update' : 'reply', reply };
    },
    async [EXCERPT_ACTIONS.context](params, ctx): Promise<Outcome> {
      const passage = passageFromParams(ctx.corpus, params);
      if (!passage) return { type: 'reply', reply: stalePassage() };
      const page = params.p === undefined ? undefined : intParam(params, 'p', 0);
      return {
        type: ctx.message?.ephemeral ? 'update' : 'reply',
        reply: contextReply(ctx.corpus, passage, page),
      };
    },
    async [EXCERPT_ACTIONS.discuss](params, ctx): Promise<Outcome> {
      const passage = passageFromParams(ctx.corpus, params);
      if (!passage) return { type: 'reply', reply: stalePassage() };
      const refusal = threadRefusal(ctx.channelKind, ctx.permissions);
      if (refusal) return { type: 'reply', reply: refusal };
      return {
        type: 'thread',
        name: excerptThreadName(ctx.corpus, passage),
        starter: excerptThreadStarter(ctx.corpus, passage),
      };
    },
  },
});

/**
 * Picks the next excerpt in scope without repeating one this server has seen, and records it. A private
 * preview picks the same way but records nothing, so previews never use up the group's excerpts.
 */
async function serveExcerpt(scope: ExcerptScope, ephemeral: boolean, ctx: CommandContext): Promise<Reply> {
  const { corpus } = ctx;
  const candidates = scope.query
    ? ctx.search.excerpts(scope.query, inScope(scope))
    : corpus.excerpts.filter(inScope(scope));
  if (candidates.length === 0) return nothingInScope(scope, ephemeral, ctx);
  const rotation = ephemeral
    ? nextInRotation(
        candidates,
        (await ctx.state.guilds.read(ctx.guildId)).excerpts.shown,
        'random',
        ctx.random,
      )
    : await ctx.state.guilds.change(ctx.guildId, (record) => {
        const next = nextInRotation(candidates, record.excerpts.shown, 'random', ctx.random);
        return {
          record: { ...record, excerpts: { shown: next?.shown ?? record.excerpts.shown } },
          result: next,
        };
      });
  if (!rotation) return nothingInScope(scope, ephemeral, ctx);
  const note = rotation.restarted
    ? `Every excerpt in ${describeScope(corpus, scope)} has been shown once; starting the round again.`
    : undefined;
  return excerptReply(corpus, { passage: rotation.item, scope, ephemeral, ...(note ? { note } : {}) });
}

/** No curated excerpt fits: a search may still find a passage in the texts; otherwise, say what to try. */
function nothingInScope(scope: ExcerptScope, ephemeral: boolean, ctx: CommandContext): Reply {
  const { corpus } = ctx;
  const where = describeScope(corpus, { ...scope, query: undefined });
  if (scope.query) {
    const accept = passageInScope(corpus, scope);
    for (const hit of ctx.search.paragraphs(scope.query)) {
      const passage = ctx.search.passageFor(hit);
      if (passage && accept(passage)) {
        const note = `No curated excerpt matches “${scope.query}”; this passage from the text does.`;
        return excerptReply(corpus, { passage, scope, ephemeral, note });
      }
    }
  }
  const topics = topicsAvailable(corpus, scope)
    .slice(0, 6)
    .map((topic) => `**${topic.label}**`);
  const suggestion =
    topics.length > 0
      ? ` Topics with excerpts there: ${topics.join(', ')}.`
      : ' Try `/excerpt` with no options.';
  return notice(
    scope.query
      ? `Nothing in ${where} mentions “${literal(scope.query)}”. Try other words, or a topic.${suggestion}`
      : `No excerpt in ${where} fits those options.${suggestion}`,
  );
}

async function recordShown(ctx: CommandContext, excerptId: string): Promise<void> {
  await ctx.state.guilds.change(ctx.guildId, (record) => ({
    record: {
      ...record,
      excerpts: { shown: [...record.excerpts.shown.filter((id) => id !== excerptId), excerptId] },
    },
    result: undefined,
  }));
}

function stalePassage(): Reply {
  return notice('That passage is no longer in the reading list. Use `/excerpt` for a fresh one.');
}
