import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord-api-types/v10';
import { resultsChart } from '../src/charts/polls.js';
import { type CommandContext, defineCommand } from '../src/command.js';
import { isFacilitator, listPermissions } from '../src/core/access.js';
import { cruxChoices, cruxNotFound, lookUpCrux } from '../src/core/crux-lookup.js';
import { intParam } from '../src/core/custom-id.js';
import { literal } from '../src/core/format.js';
import {
  cruxOfPoll,
  DEFAULT_POLL_HOURS,
  MAX_POLL_HOURS,
  MIN_POLL_HOURS,
  PollError,
  type PollPhase,
  type PollStyle,
} from '../src/core/polls/model.js';
import { movement } from '../src/core/polls/positions.js';
import { tally } from '../src/core/polls/tally.js';
import {
  myAnswerReply,
  POLL_ACTIONS,
  POLL_COMMAND,
  pollListReply,
  pollOpenedReply,
  resultsReply,
  voteReply,
} from '../src/core/replies/poll.js';
import { notFacilitatorReply } from '../src/core/replies/schedule.js';
import { notice, type Outcome, type Reply } from '../src/core/reply.js';
import { upcoming, WEEKLY_POLL_CLOSE_LEAD_MS } from '../src/core/schedule/plan.js';
import { oneLine } from '../src/core/text.js';
import { PostError } from '../src/jobs/poster.js';
import { cruxOption } from './options.js';

type PollArgs = {
  readonly subcommand?: string;
  readonly crux?: string;
  readonly hours?: number;
  readonly style?: string;
  readonly hide_results?: boolean;
  readonly phase?: string;
  readonly poll?: string;
};

/** What a channel must let the bot do to run a poll there. */
const POLL_PERMISSIONS = {
  buttons: ['ViewChannel', 'SendMessages', 'EmbedLinks', 'ReadMessageHistory', 'AttachFiles'],
  native: ['ViewChannel', 'SendMessages', 'SendPolls', 'EmbedLinks', 'ReadMessageHistory', 'AttachFiles'],
} as const;

export default defineCommand<PollArgs>({
  define: () =>
    new SlashCommandBuilder()
      .setName(POLL_COMMAND)
      .setDescription('Position polls on the cruxes: where the group stands')
      .setContexts(InteractionContextType.Guild)
      .addSubcommand((sub) =>
        sub
          .setName('open')
          .setDescription('Facilitators: open a position poll on a crux in this channel')
          .addStringOption(cruxOption)
          .addIntegerOption((o) =>
            o
              .setName('hours')
              .setDescription('How long it runs (default: until the next session, or 24 hours)')
              .setMinValue(MIN_POLL_HOURS)
              .setMaxValue(MAX_POLL_HOURS),
          )
          .addStringOption((o) =>
            o
              .setName('style')
              .setDescription('Buttons (anonymous, with how sure) or a Discord poll (shows who voted)')
              .addChoices(
                { name: 'Buttons: anonymous, with credence (default)', value: 'buttons' },
                { name: 'Discord poll: everyone sees who voted', value: 'native' },
              ),
          )
          .addBooleanOption((o) =>
            o.setName('hide_results').setDescription('Hide the totals until the poll closes'),
          )
          .addStringOption((o) =>
            o
              .setName('phase')
              .setDescription('Before or after the discussion (default: before)')
              .addChoices(
                { name: 'Before the discussion', value: 'before' },
                { name: 'After the discussion', value: 'after' },
              ),
          ),
      )
      .addSubcommand((sub) =>
        sub
          .setName('close')
          .setDescription('Facilitators: close an open poll now and post its result')
          .addStringOption((o) =>
            o
              .setName('poll')
              .setDescription('Which poll')
              .setRequired(true)
              .setAutocomplete(true)
              .setMaxLength(40),
          ),
      )
      .addSubcommand((sub) => sub.setName('list').setDescription('Open and recent polls (only you see it)'))
      .addSubcommand((sub) =>
        sub
          .setName('results')
          .setDescription('A closed poll’s result, with a chart (only you see it)')
          .addStringOption((o) =>
            o
              .setName('poll')
              .setDescription('Which poll (default: the latest closed)')
              .setAutocomplete(true)
              .setMaxLength(40),
          ),
      ),

  replyPrivately: () => true,

  async run(args, ctx) {
    const record = await ctx.state.guilds.read(ctx.guildId);
    switch (args.subcommand) {
      case 'list':
        return pollListReply(ctx.corpus, record.polls, ctx.now);
      case 'results':
        return results(args.poll, ctx);
      case 'open':
      case 'close':
        if (!isFacilitator(ctx.permissions, ctx.memberRoles, record.facilitatorRoleId))
          return notFacilitatorReply(record.facilitatorRoleId);
        return args.subcommand === 'open' ? open(args, ctx) : close(args.poll ?? '', ctx);
      default:
        return notice('Pick one of the /poll subcommands.');
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

  components: {
    async [POLL_ACTIONS.vote](params, ctx): Promise<Outcome> {
      return { type: 'reply', reply: await vote(params.p ?? '', params.c ?? '', ctx) };
    },
    // Taking an answer back replaces the private confirmation it was pressed on.
    async [POLL_ACTIONS.retract](params, ctx): Promise<Outcome> {
      return { type: 'update', reply: await vote(params.p ?? '', null, ctx) };
    },
    async [POLL_ACTIONS.credence](params, ctx): Promise<Outcome> {
      const result = await ctx.polls
        .credence(ctx.guildId, params.p ?? '', ctx.userId, intParam(params, 'value', -1))
        .catch((error: unknown) => {
          if (error instanceof PollError) return { error: error.message };
          throw error;
        });
      if (!result) return { type: 'update', reply: GONE };
      if ('error' in result) return { type: 'update', reply: notice(result.error) };
      return {
        type: 'update',
        reply: voteReply(cruxOfPoll(ctx.corpus, result.poll), result.poll, result.outcome),
      };
    },
    async [POLL_ACTIONS.mine](params, ctx): Promise<Outcome> {
      const poll = await ctx.state.polls.get(ctx.guildId, params.p ?? '');
      if (!poll) return { type: 'reply', reply: GONE };
      return { type: 'reply', reply: myAnswerReply(cruxOfPoll(ctx.corpus, poll), poll, ctx.userId) };
    },
    async [POLL_ACTIONS.close](params, ctx): Promise<Outcome> {
      const record = await ctx.state.guilds.read(ctx.guildId);
      if (!isFacilitator(ctx.permissions, ctx.memberRoles, record.facilitatorRoleId))
        return { type: 'reply', reply: notFacilitatorReply(record.facilitatorRoleId) };
      return { type: 'reply', reply: await close(params.p ?? '', ctx) };
    },
  },
});

const GONE = notice('That poll is no longer here. `/poll list` shows the polls of this server.');

async function vote(pollId: string, choice: string | null, ctx: CommandContext): Promise<Reply> {
  const result = await ctx.polls.vote(ctx.guildId, pollId, ctx.userId, choice).catch((error: unknown) => {
    if (error instanceof PollError) return undefined;
    throw error;
  });
  return result ? voteReply(cruxOfPoll(ctx.corpus, result.poll), result.poll, result.outcome) : GONE;
}

async function open(args: PollArgs, ctx: CommandContext): Promise<Reply> {
  const typed = args.crux ?? '';
  const lookup = lookUpCrux(ctx.corpus, ctx.search, typed);
  if (lookup.kind !== 'found') return notice(cruxNotFound(typed, lookup, 'crux'));
  if (ctx.channelKind !== 'text')
    return notice('Open polls in a text channel of the server, not in a thread or a DM.');
  const style: PollStyle = args.style === 'native' ? 'native' : 'buttons';
  const missing = POLL_PERMISSIONS[style].filter((p) => !ctx.permissions.bot.has(p));
  if (missing.length > 0) {
    return notice(
      `I can't run a poll in this channel: I need ${listPermissions(missing)} here. Grant ${missing.length > 1 ? 'them' : 'it'}, or open the poll in another channel.`,
    );
  }
  const closesAt = await defaultCloseTime(args.hours, ctx);
  try {
    const poll = await ctx.polls.open({
      guildId: ctx.guildId,
      channelId: ctx.channelId,
      crux: lookup.crux,
      phase: (args.phase === 'after' ? 'after' : 'before') as PollPhase,
      style,
      hideResults: args.hide_results === true,
      openedBy: ctx.userId,
      closesAt,
    });
    if (!poll) return notice('That poll could not be opened. Try again.');
    return pollOpenedReply(poll, lookup.crux);
  } catch (error) {
    if (error instanceof PollError) return notice(error.message);
    if (error instanceof PostError)
      return notice('Discord refused the poll in this channel. Check my permissions here, then try again.');
    throw error;
  }
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
  const report = await ctx.polls.close(ctx.guildId, pollId, ctx.userId);
  switch (report.kind) {
    case 'missing':
      return notice(`There is no poll \`${literal(pollId)}\` in this server. \`/poll list\` shows them.`);
    case 'already-closed':
      return notice(`Poll \`${pollId}\` had already closed. \`/poll results\` shows its result.`);
    case 'in-progress':
      return notice(`Poll \`${pollId}\` is closing right now; its result follows in a moment.`);
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
  if (!summary)
    return notice(
      pollId
        ? `There is no poll \`${literal(pollId)}\` in this server. \`/poll list\` shows them.`
        : 'No poll has closed yet.',
    );
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
