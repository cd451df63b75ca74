import { type CommandContext, defineCommand, on } from '../src/command.js';
import { option } from '../src/command-options.js';
import { UserError } from '../src/core/errors.js';
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
  EXCERPT_COMMAND,
  excerptAnother,
  excerptContext,
  excerptDiscuss,
  excerptReply,
  excerptThreadName,
  excerptThreadStarter,
  nothingToShowReply,
  scopeFromParams,
} from '../src/core/replies/excerpt.js';
import { passageFromParams } from '../src/core/replies/passage-ref.js';
import { threadRefusal } from '../src/core/replies/threads.js';
import { notice, type Reply } from '../src/core/reply.js';
import { EXCERPT_VALUE_PREFIX } from '../src/core/search.js';

export default defineCommand({
  name: EXCERPT_COMMAND,
  description: 'Post an excerpt from this week’s reading; no repeats until every one has been shown',
  declare: (corpus) => ({
    options: {
      text: option.string('Only from this text', { autocomplete: true, maxLength: 100 }),
      topic: option.string('Only excerpts on this topic, from the sessions read so far', {
        choices: corpus.topics.map((topic) => ({ name: topic.label, value: topic.id })),
      }),
      search: option.string('Words to find in what the group has read so far', {
        autocomplete: true,
        maxLength: 100,
      }),
      session: option.integer('From this session of the reading schedule', {
        min: 1,
        max: corpus.sessions.length,
      }),
      private: option.boolean('Show it only to you, as a preview'),
      ahead: option.boolean('Include sessions the group has not reached yet (spoilers, shown only to you)'),
    },
  }),

  // A member who reaches past where the group is sees it alone: spoilers never reach the channel.
  replyPrivately: (args) => args.private === true || args.ahead === true,

  async run(args, ctx) {
    const { corpus } = ctx;
    if (args.text !== undefined && !corpus.textById.has(args.text)) {
      throw new UserError(
        `There is no text called “${literal(args.text)}”. Start typing in the **text** option and pick one of the titles it suggests.`,
      );
    }
    if (args.topic !== undefined && !corpus.topicById.has(args.topic)) {
      throw new UserError(
        `“${literal(args.topic)}” is not a topic. Pick one from the **topic** option's list.`,
      );
    }
    const request: ExcerptRequest = {
      session: args.session,
      textId: args.text,
      topicId: args.topic,
      query: args.search?.trim() || undefined,
      ahead: args.ahead,
    };
    const ephemeral = args.private === true || args.ahead === true;
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
        {
          session: typeof args.session === 'number' ? args.session : undefined,
          textId: typeof args.text === 'string' ? args.text : undefined,
          topicId: typeof args.topic === 'string' ? args.topic : undefined,
          query: typed,
          ahead: args.ahead === true,
        },
        groupPlace(ctx.corpus, progress),
      );
      return 'needsAhead' in scope ? [] : ctx.search.suggest(focused.value, inScope(scope));
    }
    return [];
  },

  components: [
    on(excerptAnother, async (params, ctx) => {
      const { scope, ephemeral } = scopeFromParams(params);
      const reply = await serveExcerpt(() => scope, ephemeral, ctx);
      // A private preview changes in place; in the channel, the next excerpt is a new message.
      return { type: ctx.message?.ephemeral ? 'update' : 'reply', reply };
    }),
    on(excerptContext, async (params, ctx) => {
      const passage = passageFromParams(ctx.corpus, params);
      if (!passage) return { type: 'reply', reply: stalePassage() };
      // Context opens as its own private message; only its page buttons turn the page in place.
      return {
        type: params.p === undefined ? 'reply' : 'update',
        reply: contextReply(ctx.corpus, passage, params.p),
      };
    }),
    on(excerptDiscuss, async (params, ctx) => {
      const passage = passageFromParams(ctx.corpus, params);
      if (!passage) return { type: 'reply', reply: stalePassage() };
      const refusal = threadRefusal(ctx.channelKind, ctx.permissions);
      if (refusal) return { type: 'reply', reply: refusal };
      return {
        type: 'thread',
        name: excerptThreadName(ctx.corpus, passage),
        starter: excerptThreadStarter(ctx.corpus, passage),
      };
    }),
  ],
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
