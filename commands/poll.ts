import { resultsChart } from '../src/charts/polls.js';
import { type CommandContext, defineCommand, on } from '../src/command.js';
import { option } from '../src/command-options.js';
import { listPermissions } from '../src/core/access.js';
import type { Crux } from '../src/core/corpus/types.js';
import { cruxChoices, findCrux } from '../src/core/crux-lookup.js';
import { UserError } from '../src/core/errors.js';
import { inlineCode } from '../src/core/format.js';
import {
  cruxOfPoll,
  DEFAULT_POLL_HOURS,
  isPollId,
  MAX_POLL_HOURS,
  MIN_POLL_HOURS,
  type PollPhase,
  type PollRecord,
  type PollStyle,
} from '../src/core/polls/model.js';
import { movement } from '../src/core/polls/positions.js';
import { tally } from '../src/core/polls/tally.js';
import { groupPlace } from '../src/core/progress.js';
import {
  myAnswerReply,
  POLL_COMMAND,
  pollClose,
  pollCredence,
  pollListReply,
  pollMine,
  pollOpenedReply,
  pollPendingReply,
  pollRetract,
  pollVote,
  resultsReply,
  voteReply,
} from '../src/core/replies/poll.js';
import { notice, type Reply } from '../src/core/reply.js';
import { upcoming, WEEKLY_POLL_CLOSE_LEAD_MS } from '../src/core/schedule/plan.js';
import { oneLine } from '../src/core/text.js';
import { PostError } from '../src/jobs/poster.js';
import { cruxOption } from './options.js';

/** What a channel must let the bot do to run a poll there. */
const POLL_PERMISSIONS = {
  buttons: ['ViewChannel', 'SendMessages', 'EmbedLinks', 'ReadMessageHistory', 'AttachFiles'],
  native: ['ViewChannel', 'SendMessages', 'SendPolls', 'EmbedLinks', 'ReadMessageHistory', 'AttachFiles'],
} as const;

const pollOption = (description: string) => option.string(description, { autocomplete: true, maxLength: 40 });

export default defineCommand({
  name: POLL_COMMAND,
  description: 'Position polls on the cruxes: where the group stands',
  declare: () => ({
    subcommands: {
      open: {
        description: 'Facilitators: open a position poll on a crux in this channel',
        options: {
          crux: cruxOption,
          hours: option.integer('How long it runs (default: until the next session, or 24 hours)', {
            min: MIN_POLL_HOURS,
            max: MAX_POLL_HOURS,
          }),
          style: option.choice('Buttons (anonymous, with how sure) or a Discord poll (shows who voted)', [
            { name: 'Buttons: anonymous, with credence (default)', value: 'buttons' },
            { name: 'Discord poll: everyone sees who voted', value: 'native' },
          ]),
          hide_results: option.boolean('Hide the totals until the poll closes'),
          phase: option.choice('Before or after the discussion (default: before)', [
            { name: 'Before the discussion', value: 'before' },
            { name: 'After the discussion', value: 'after' },
          ]),
          ahead: option.boolean('Confirm a crux of a session the group has not reached yet'),
        },
        requires: 'facilitator',
      },
      close: {
        description: 'Facilitators: close an open poll now and post its result',
        options: {
          poll: option.string('Which poll', { required: true, autocomplete: true, maxLength: 40 }),
        },
        requires: 'facilitator',
      },
      list: { description: 'Open and recent polls (only you see it)' },
      results: {
        description: 'A closed poll’s result, with a chart (only you see it)',
        options: { poll: pollOption('Which poll (default: the latest closed)') },
      },
    },
  }),

  replyPrivately: () => true,

  async run(args, ctx) {
    switch (args.subcommand) {
      case 'list':
        return pollListReply(ctx.corpus, (await ctx.state.guilds.read(ctx.guildId)).polls, ctx.now);
      case 'results':
        return results(args.poll, ctx);
      case 'open':
        return open(args, ctx);
      case 'close':
        return close(args.poll, ctx);
    }
  },

  async autocomplete(focused, args, ctx) {
    if (focused.name === 'crux') return cruxChoices(ctx.corpus, ctx.search, focused.value);
    const { polls } = await ctx.state.guilds.read(ctx.guildId);
    const typed = focused.value.trim().toLowerCase();
    const wanted =
      args.subcommand === 'close'
        ? polls.filter((p) => p.status !== 'closed')
        : args.subcommand === 'results'
          ? polls.filter((p) => p.status === 'closed')
          : polls;
    return wanted
      .slice()
      .reverse()
      .map((p) => ({
        poll: p,
        question: oneLine(ctx.corpus.cruxById.get(p.cruxId)?.question ?? p.cruxId),
      }))
      .filter(
        ({ poll, question }) => !typed || poll.id.includes(typed) || question.toLowerCase().includes(typed),
      )
      .map(({ poll, question }) => ({
        name: `${poll.status === 'closed' ? 'closed' : 'open'} · ${poll.phase} · ${question}`,
        value: poll.id,
      }));
  },

  components: [
    on(pollVote, async (params, ctx) => ({ type: 'reply', reply: await vote(params.p, params.c, ctx) })),
    // Taking an answer back replaces the private confirmation it was pressed on.
    on(pollRetract, async (params, ctx) => ({ type: 'update', reply: await vote(params.p, null, ctx) })),
    on(pollCredence, async (params, ctx) => {
      const result = await ctx.polls.credence(ctx.guildId, params.p, ctx.userId, params.value);
      if (!result) return { type: 'update', reply: GONE };
      return {
        type: 'update',
        reply: voteReply(cruxOfPoll(ctx.corpus, result.poll), result.poll, result.outcome),
      };
    }),
    on(pollMine, async (params, ctx) => {
      const poll = await ctx.state.polls.get(ctx.guildId, params.p);
      if (!poll) return { type: 'reply', reply: GONE };
      return { type: 'reply', reply: myAnswerReply(cruxOfPoll(ctx.corpus, poll), poll, ctx.userId) };
    }),
    on(pollClose, async (params, ctx) => ({ type: 'reply', reply: await close(params.p, ctx) }), {
      requires: 'facilitator',
    }),
  ],
});

const GONE = notice('That poll is no longer here. `/poll list` shows the polls of this server.');

/** "There is no poll `x` in this server", for any text a member typed, however odd. */
function noSuchPoll(typed: string): UserError {
  return new UserError(`There is no poll ${inlineCode(typed)} in this server. \`/poll list\` shows them.`);
}

async function vote(pollId: string, choice: string | null, ctx: CommandContext): Promise<Reply> {
  const result = await ctx.polls.vote(ctx.guildId, pollId, ctx.userId, choice);
  return result ? voteReply(cruxOfPoll(ctx.corpus, result.poll), result.poll, result.outcome) : GONE;
}

type OpenArgs = {
  readonly crux: string;
  readonly hours?: number;
  readonly style?: PollStyle;
  readonly hide_results?: boolean;
  readonly phase?: PollPhase;
  readonly ahead?: boolean;
};

async function open(args: OpenArgs, ctx: CommandContext): Promise<Reply> {
  const crux = findCrux(ctx.corpus, ctx.search, args.crux, 'crux');
  if (ctx.channelKind !== 'text')
    throw new UserError('Open polls in a text channel of the server, not in a thread or a DM.');
  const { progress } = await ctx.state.guilds.read(ctx.guildId);
  const { reached } = groupPlace(ctx.corpus, progress);
  if (crux.session > reached && args.ahead !== true) {
    throw new UserError(
      `That crux is from session ${crux.session}, and the group has reached session ${reached}: a poll on it would show its question and sides to everyone before they read them. Add **ahead: True** to open it anyway.`,
    );
  }
  const style: PollStyle = args.style ?? 'buttons';
  const missing = POLL_PERMISSIONS[style].filter((p) => !ctx.permissions.bot.has(p));
  if (missing.length > 0) {
    throw new UserError(
      `I can't run a poll in this channel: I need ${listPermissions(missing)} here. Grant ${missing.length > 1 ? 'them' : 'it'}, or open the poll in another channel.`,
    );
  }
  const phase: PollPhase = args.phase ?? 'before';
  const closesAt = await defaultCloseTime(args.hours, ctx);
  let poll: PollRecord | undefined;
  try {
    poll = await ctx.polls.open(
      {
        guildId: ctx.guildId,
        channelId: ctx.channelId,
        crux,
        phase,
        style,
        hideResults: args.hide_results === true,
        openedBy: ctx.userId,
        closesAt,
      },
      (record) => {
        // A second poll on the same crux and phase splits the group's answers between two messages.
        const twin = record.polls.find(
          (p) => p.cruxId === crux.id && p.phase === phase && p.status !== 'closed',
        );
        if (twin) throw new UserError(alreadyOpen(twin.id, twin.status, crux));
        return record;
      },
    );
  } catch (error) {
    if (error instanceof PostError)
      throw new UserError(
        error.reason === 'channel-missing'
          ? 'This channel was deleted while I was posting the poll, so no poll was opened.'
          : 'Discord refused the poll in this channel. Check my permissions here, then try again.',
      );
    throw error;
  }
  if (!poll) throw new UserError('That poll could not be opened. Try again.');
  return poll.status === 'opening' ? pollPendingReply(poll, crux) : pollOpenedReply(poll, crux);
}

function alreadyOpen(pollId: string, status: string, crux: Crux): string {
  return status === 'opening'
    ? `A poll on “${oneLine(crux.question)}” (${inlineCode(pollId)}) is being posted and will appear within a few minutes; there is no need to open another.`
    : `A poll on “${oneLine(crux.question)}” (${inlineCode(pollId)}) is already open. Close it with \`/poll close\` first to open a new one.`;
}

/** A poll's end: the hours given; else an hour before the next session; else a day. */
async function defaultCloseTime(hours: number | undefined, ctx: CommandContext): Promise<Date> {
  const now = ctx.now.getTime();
  if (hours !== undefined) return new Date(now + hours * 3_600_000);
  const { schedule } = await ctx.state.guilds.read(ctx.guildId);
  const [next] = schedule?.status === 'active' ? upcoming(schedule, ctx.corpus.sessions.length) : [];
  const beforeNext = next ? next.at.getTime() - WEEKLY_POLL_CLOSE_LEAD_MS : undefined;
  if (beforeNext !== undefined && beforeNext - now >= MIN_POLL_HOURS * 3_600_000)
    return new Date(Math.min(beforeNext, now + MAX_POLL_HOURS * 3_600_000));
  return new Date(now + DEFAULT_POLL_HOURS * 3_600_000);
}

async function close(pollId: string, ctx: CommandContext): Promise<Reply> {
  if (!isPollId(pollId)) throw noSuchPoll(pollId);
  const report = await ctx.polls.close(ctx.guildId, pollId, ctx.userId);
  switch (report.kind) {
    case 'missing':
      throw noSuchPoll(pollId);
    case 'already-closed':
      return notice(`Poll \`${pollId}\` had already closed. \`/poll results\` shows its result.`);
    case 'in-progress':
      return notice(
        `Poll \`${pollId}\` is closing right now and takes no more answers; its result is being posted and should appear within a few minutes.`,
      );
    case 'result-pending':
      return notice(
        `Poll \`${pollId}\` is closed and takes no more answers. Discord did not answer when I posted its result; it will appear in <#${report.poll.channelId}> within a few minutes, once.`,
      );
    case 'closed':
      return notice(
        report.problem
          ? `Poll \`${pollId}\` is closed, but its result could not be shown in <#${report.poll.channelId}>. \`/poll results poll:${pollId}\` shows it.`
          : `Poll \`${pollId}\` is closed; its result is posted in <#${report.poll.channelId}>.`,
      );
  }
}

async function results(pollId: string | undefined, ctx: CommandContext): Promise<Reply> {
  const { polls } = await ctx.state.guilds.read(ctx.guildId);
  const summary = pollId
    ? polls.find((p) => p.id === pollId)
    : polls.filter((p) => p.status === 'closed').at(-1);
  if (!summary) {
    if (pollId !== undefined) throw noSuchPoll(pollId);
    throw new UserError('No poll has closed yet.');
  }
  const poll = await ctx.state.polls.get(ctx.guildId, summary.id);
  if (!poll) return GONE;
  if (poll.status !== 'closed')
    return notice(
      `Poll \`${poll.id}\` is still open${poll.hideResults ? ' and its results are hidden until it closes' : ''}. Its message shows the totals so far.`,
    );
  const crux = cruxOfPoll(ctx.corpus, poll);
  const final = tally(crux, Object.values(poll.ballots));
  // As the group stood when this poll closed: polls opened later do not change its result.
  const earlier = polls.filter(
    (p) => p.cruxId === crux.id && p.createdAt <= (poll.closedAt ?? ctx.now.getTime()),
  );
  const moved =
    poll.phase === 'after'
      ? movement(
          crux,
          await ctx.state.polls.getMany(
            ctx.guildId,
            earlier.map((p) => p.id),
          ),
        )
      : undefined;
  const chart = await resultsChart(crux, final, moved);
  const { components: _marker, ...reply } = resultsReply(poll, crux, final, chart, moved);
  return { ...reply, ephemeral: true };
}
