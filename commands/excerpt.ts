import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord-api-types/v10';
import { type CommandContext, defineCommand } from '../src/command.js';
import { intParam } from '../src/core/custom-id.js';
import {
  describeScope,
  type ExcerptPick,
  type ExcerptRequest,
  type ExcerptScope,
  type GroupPlace,
  inScope,
  pickExcerpt,
  scopeFor,
} from '../src/core/excerpts.js';
import { literal } from '../src/core/format.js';
import { groupPlace } from '../src/core/progress.js';
import {
  contextReply,
  EXCERPT_ACTIONS,
  EXCERPT_COMMAND,
  excerptReply,
  excerptThreadName,
  excerptThreadStarter,
  nothingToShowReply,
  scopeFromParams,
} from '../src/core/replies/excerpt.js';
import { passageFromParams } from '../src/core/replies/passage-ref.js';
import { threadRefusal } from '../src/core/replies/threads.js';
import { notice, type Outcome, type Reply } from '../src/core/reply.js';
import { EXCERPT_VALUE_PREFIX } from '../src/core/search.js';

type ExcerptArgs = {
  readonly text?: string;
  readonly topic?: string;
  readonly search?: string;
  readonly session?: number;
  readonly private?: boolean;
  readonly ahead?: boolean;
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
          .setDescription('Only excerpts on this topic, from the sessions read so far')
          .addChoices(...corpus.topics.map((topic) => ({ name: topic.label, value: topic.id }))),
      )
      .addStringOption((option) =>
        option
          .setName('search')
          .setDescription('Words to find in what the group has read so far')
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
      )
      .addBooleanOption((option) =>
        option.setName('ahead').setDescription('Include sessions the group has not reached yet (spoilers)'),
      ),

  replyPrivately: (args) => args.private === true,

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
    const request: ExcerptRequest = {
      session: args.session,
      textId: args.text,
      topicId: args.topic,
      query: args.search?.trim() || undefined,
      ahead: args.ahead,
    };
    const ephemeral = args.private === true;
    if (request.query?.startsWith(EXCERPT_VALUE_PREFIX)) return showPicked(request, ephemeral, ctx);
    return serveExcerpt((place) => scopeFor(request, place), ephemeral, ctx);
  },

  async autocomplete(focused, args, ctx) {
    const typed = focused.value.trim().toLowerCase();
    if (focused.name === 'text') {
      return ctx.corpus.texts
        .filter((text) => text.title.toLowerCase().includes(typed) || text.id.includes(typed))
        .map((text) => ({ name: text.title, value: text.id }));
    }
    if (focused.name === 'search') {
      const { progress } = await ctx.state.guilds.read(ctx.guildId);
      const scope = scopeFor(
        { session: args.session, textId: args.text, topicId: args.topic, query: typed, ahead: args.ahead },
        groupPlace(ctx.corpus, progress),
      );
      return 'needsAhead' in scope ? [] : ctx.search.suggest(focused.value, inScope(scope));
    }
    return [];
  },

  components: {
    async [EXCERPT_ACTIONS.another](params, ctx): Promise<Outcome> {
      const { scope, ephemeral } = scopeFromParams(params);
      const reply = await serveExcerpt(() => scope, ephemeral, ctx);
      // A private preview changes in place; in the channel, the next excerpt is a new message.
      return { type: ctx.message?.ephemeral ? 'update' : 'reply', reply };
    },
    async [EXCERPT_ACTIONS.context](params, ctx): Promise<Outcome> {
      const passage = passageFromParams(ctx.corpus, params);
      if (!passage) return { type: 'reply', reply: stalePassage() };
      // Context opens as its own private message; only its page buttons turn the page in place.
      const paging = params.p !== undefined;
      const page = paging ? intParam(params, 'p', 0) : undefined;
      return { type: paging ? 'update' : 'reply', reply: contextReply(ctx.corpus, passage, page) };
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
 * Shows the next excerpt in scope that this server has not seen, and records it. A private preview picks
 * the same way but records nothing, so previews never use up the group's excerpts. The scope may depend on
 * the server's current session, which is read under the same lock as the rotation.
 */
async function serveExcerpt(
  scopeAt: (place: GroupPlace) => ExcerptScope | { readonly needsAhead: number },
  ephemeral: boolean,
  ctx: CommandContext,
): Promise<Reply> {
  const { corpus, search, random } = ctx;
  type Served =
    | { readonly needsAhead: number; readonly reached: number }
    | { readonly pick: ExcerptPick; readonly scope: ExcerptScope };
  const outcome = await ctx.state.guilds.rotate<Served>(
    ctx.guildId,
    'excerpts',
    (shown, record) => {
      const place = groupPlace(corpus, record.progress);
      const scope = scopeAt(place);
      if ('needsAhead' in scope) return { result: { needsAhead: scope.needsAhead, reached: place.reached } };
      const pick = pickExcerpt(corpus, search, scope, shown, random);
      return { shown: pick.kind === 'nothing' ? undefined : pick.shown, result: { pick, scope } };
    },
    { dryRun: ephemeral },
  );
  if ('needsAhead' in outcome) return aheadNotice(outcome.needsAhead, outcome.reached);
  const { pick, scope } = outcome;
  if (pick.kind === 'nothing') return nothingToShowReply(corpus, scope, pick.reason, pick.topics);
  const note =
    pick.kind === 'passage'
      ? `No curated excerpt matches “${scope.query}”; this passage from the text does.`
      : pick.restarted
        ? `Every excerpt in ${describeScope(corpus, scope)} has been shown once; starting the round again.`
        : undefined;
  return excerptReply(corpus, { passage: pick.passage, scope, ephemeral, ...(note ? { note } : {}) });
}

/** An excerpt picked from the search suggestions: shown as long as it fits the other options. */
async function showPicked(request: ExcerptRequest, ephemeral: boolean, ctx: CommandContext): Promise<Reply> {
  const excerpt = ctx.corpus.excerptById.get(request.query?.slice(EXCERPT_VALUE_PREFIX.length) ?? '');
  if (!excerpt) return notice('That suggestion is out of date. Type your search again and pick a fresh one.');
  return ctx.state.guilds.rotate(
    ctx.guildId,
    'excerpts',
    (shown, record) => {
      const place = groupPlace(ctx.corpus, record.progress);
      const scope = scopeFor({ ...request, query: undefined }, place);
      if ('needsAhead' in scope) return { result: aheadNotice(scope.needsAhead, place.reached) };
      if (!inScope(scope)(excerpt)) {
        return {
          result:
            excerpt.session > place.reached && !request.ahead
              ? aheadNotice(excerpt.session, place.reached)
              : notice(
                  `That excerpt is from session ${excerpt.session}, outside the other options you chose. Clear them, or set **session** to ${excerpt.session}.`,
                ),
        };
      }
      return {
        shown: [...shown.filter((id) => id !== excerpt.id), excerpt.id],
        result: excerptReply(ctx.corpus, { passage: excerpt, scope, ephemeral }),
      };
    },
    { dryRun: ephemeral },
  );
}

/** Material beyond where the group is, asked for without `ahead`. */
function aheadNotice(session: number, reached: number): Reply {
  return notice(
    `Session ${session} is ahead of the group, which has reached session ${reached}. Add **ahead: True** if you want it anyway (spoilers).`,
  );
}

function stalePassage(): Reply {
  return notice('That passage is no longer in the reading list. Use `/excerpt` for a fresh one.');
}
