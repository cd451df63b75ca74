import { SlashCommandBuilder } from '@discordjs/builders';
import { ChannelType, InteractionContextType } from 'discord-api-types/v10';
import { type CommandContext, defineCommand } from '../src/command.js';
import {
  canManageServer,
  isFacilitator,
  listPermissions,
  SCHEDULE_CHANNEL_PERMISSIONS,
} from '../src/core/access.js';
import { intParam } from '../src/core/custom-id.js';
import { localTime } from '../src/core/format.js';
import {
  changedReply,
  confirmResetReply,
  notFacilitatorReply,
  SCHEDULE_ACTIONS,
  SCHEDULE_COMMAND,
  setupReply,
  showScheduleReply,
  weeklyPollsSentence,
} from '../src/core/replies/schedule.js';
import { notice, type Outcome, type Reply } from '../src/core/reply.js';
import {
  createSchedule,
  dueAt,
  MAX_AFTER_POLL_HOURS,
  moveSession,
  pauseSchedule,
  rescheduleWith,
  resetSchedule,
  resumeSchedule,
  type Schedule,
  ScheduleError,
  setNextSession,
  setWeeklyPolls,
  skipSession,
  type WeeklyPolls,
} from '../src/core/schedule/plan.js';
import { suggestZones, WEEKDAYS } from '../src/core/schedule/time.js';
import type { GuildRecord } from '../src/state/index.js';

type ScheduleArgs = {
  readonly subcommand?: string;
  readonly channel?: string;
  readonly weekday?: number;
  readonly time?: string;
  readonly zone?: string;
  readonly start?: string;
  readonly ping?: string;
  readonly reminder?: number;
  readonly grace?: number;
  readonly session?: number;
  readonly date?: string;
  readonly role?: string;
  readonly mode?: string;
  readonly after_hours?: number;
};

/** Reminder lead times offered at setup, in minutes; 0 means no reminder. */
const REMINDER_CHOICES = [
  { name: 'Off', value: 0 },
  { name: '1 hour before', value: 60 },
  { name: '3 hours before', value: 180 },
  { name: '12 hours before', value: 720 },
  { name: '1 day before (default)', value: 1440 },
  { name: '2 days before', value: 2880 },
];

export default defineCommand<ScheduleArgs>({
  define: (corpus) =>
    new SlashCommandBuilder()
      .setName(SCHEDULE_COMMAND)
      .setDescription('The reading schedule: see it, or (facilitators) set it up and change it')
      .setContexts(InteractionContextType.Guild)
      .addSubcommand((sub) =>
        sub
          .setName('setup')
          .setDescription('Facilitators: post a session every week at a set time')
          .addChannelOption((o) =>
            o
              .setName('channel')
              .setDescription('Where sessions are posted')
              .addChannelTypes(ChannelType.GuildText)
              .setRequired(true),
          )
          .addIntegerOption((o) =>
            o
              .setName('weekday')
              .setDescription('The day of the week')
              .setRequired(true)
              .addChoices(...WEEKDAYS.map((name, i) => ({ name, value: i + 1 }))),
          )
          .addStringOption((o) =>
            o.setName('time').setDescription('24-hour time, like 19:30').setRequired(true).setMaxLength(5),
          )
          .addStringOption((o) =>
            o
              .setName('zone')
              .setDescription('Time zone: type a city or region')
              .setRequired(true)
              .setAutocomplete(true)
              .setMaxLength(64),
          )
          .addStringOption((o) =>
            o
              .setName('start')
              .setDescription('Date of session 1, YYYY-MM-DD (default: the next such weekday)')
              .setMaxLength(10),
          )
          .addRoleOption((o) => o.setName('ping').setDescription('A role to ping when a session starts'))
          .addIntegerOption((o) =>
            o
              .setName('reminder')
              .setDescription('Reminder before each session')
              .addChoices(...REMINDER_CHOICES),
          )
          .addIntegerOption((o) =>
            o
              .setName('grace')
              .setDescription('Hours a session missed while Crux was offline may still be posted (default 6)')
              .setMinValue(1)
              .setMaxValue(48),
          ),
      )
      .addSubcommand((sub) =>
        sub.setName('show').setDescription('The sessions to come, with dates and readings'),
      )
      .addSubcommand((sub) => sub.setName('pause').setDescription('Facilitators: stop posting until resumed'))
      .addSubcommand((sub) => sub.setName('resume').setDescription('Facilitators: start posting again'))
      .addSubcommand((sub) =>
        sub.setName('skip').setDescription('Facilitators: move on without posting the next session'),
      )
      .addSubcommand((sub) =>
        sub
          .setName('move')
          .setDescription('Facilitators: move one session to another date')
          .addIntegerOption((o) =>
            o
              .setName('session')
              .setDescription('Which session')
              .setRequired(true)
              .setMinValue(1)
              .setMaxValue(corpus.sessions.length),
          )
          .addStringOption((o) =>
            o.setName('date').setDescription('New date, YYYY-MM-DD').setRequired(true).setMaxLength(10),
          ),
      )
      .addSubcommand((sub) =>
        sub
          .setName('next')
          .setDescription('Facilitators: choose which session is posted next')
          .addIntegerOption((o) =>
            o
              .setName('session')
              .setDescription('Which session')
              .setRequired(true)
              .setMinValue(1)
              .setMaxValue(corpus.sessions.length),
          ),
      )
      .addSubcommand((sub) => sub.setName('reset').setDescription('Facilitators: start over from session 1'))
      .addSubcommand((sub) =>
        sub
          .setName('polls')
          .setDescription('Facilitators: which position polls each session opens on its crux')
          .addStringOption((o) =>
            o
              .setName('mode')
              .setDescription('Before the discussion (default), before and after, or none')
              .setRequired(true)
              .addChoices(
                { name: 'Before the discussion', value: 'before' },
                { name: 'Before and after the discussion', value: 'before-and-after' },
                { name: 'No weekly polls', value: 'off' },
              ),
          )
          .addIntegerOption((o) =>
            o
              .setName('after_hours')
              .setDescription('Hours after the kickoff the "after" poll opens (default 48)')
              .setMinValue(0)
              .setMaxValue(MAX_AFTER_POLL_HOURS),
          ),
      )
      .addSubcommand((sub) =>
        sub
          .setName('facilitator')
          .setDescription('Manage Server only: set (or clear) the role whose members may manage the schedule')
          .addRoleOption((o) =>
            o.setName('role').setDescription('The facilitator role; leave empty to clear it'),
          ),
      ),

  replyPrivately: (args) => args.subcommand === 'show',

  async run(args, ctx) {
    if (args.subcommand === 'show') {
      return showScheduleReply(ctx.corpus, (await ctx.state.guilds.read(ctx.guildId)).schedule, 0);
    }
    const record = await ctx.state.guilds.read(ctx.guildId);
    if (args.subcommand === 'facilitator') return setFacilitator(args.role, ctx);
    if (!isFacilitator(ctx.permissions, ctx.memberRoles, record.facilitatorRoleId)) {
      return notFacilitatorReply(record.facilitatorRoleId);
    }
    switch (args.subcommand) {
      case 'setup':
        return setup(args, ctx);
      case 'reset':
        return record.schedule ? confirmResetReply() : NO_SCHEDULE;
      default:
        return changeSchedule(ctx, (schedule, total, now) => change(args, schedule, total, now));
    }
  },

  async autocomplete(focused) {
    if (focused.name !== 'zone') return [];
    return suggestZones(focused.value);
  },

  components: {
    async [SCHEDULE_ACTIONS.showPage](params, ctx): Promise<Outcome> {
      const { schedule } = await ctx.state.guilds.read(ctx.guildId);
      return { type: 'update', reply: showScheduleReply(ctx.corpus, schedule, intParam(params, 'p', 0)) };
    },
    // The button on a "missed" notice: the schedule, privately.
    async [SCHEDULE_ACTIONS.view](_params, ctx): Promise<Outcome> {
      const { schedule } = await ctx.state.guilds.read(ctx.guildId);
      return { type: 'reply', reply: { ...showScheduleReply(ctx.corpus, schedule, 0), ephemeral: true } };
    },
    async [SCHEDULE_ACTIONS.confirmReset](_params, ctx): Promise<Outcome> {
      const record = await ctx.state.guilds.read(ctx.guildId);
      if (!isFacilitator(ctx.permissions, ctx.memberRoles, record.facilitatorRoleId)) {
        return { type: 'update', reply: notFacilitatorReply(record.facilitatorRoleId) };
      }
      const reply = await changeSchedule(ctx, (schedule, total, now) => ({
        schedule: resetSchedule(schedule, total, now),
        what: 'The reading schedule starts over from session 1.',
      }));
      // The confirmation was private; the change itself is announced in the channel.
      return reply.ephemeral ? { type: 'update', reply } : { type: 'reply', reply };
    },
    async [SCHEDULE_ACTIONS.cancelReset](): Promise<Outcome> {
      return { type: 'update', reply: notice('Nothing changed.') };
    },
  },
});

const NO_SCHEDULE = notice('There is no reading schedule yet. Set one up with `/schedule setup`.');

/** A facilitator's change to an existing schedule, as a pure function of it. */
type ScheduleChange = (
  schedule: Schedule,
  total: number,
  now: Date,
) => { readonly schedule: Schedule; readonly what: string };

function change(
  args: ScheduleArgs,
  schedule: Schedule,
  total: number,
  now: Date,
): { schedule: Schedule; what: string } {
  switch (args.subcommand) {
    case 'pause':
      return {
        schedule: pauseSchedule(schedule, 'facilitator', now),
        what: 'The reading schedule is paused: nothing is posted until `/schedule resume`.',
      };
    case 'resume':
      return {
        schedule: resumeSchedule(schedule, total, now),
        what: 'The reading schedule is running again.',
      };
    case 'skip':
      return {
        schedule: skipSession(schedule, total, now),
        what: `Session ${schedule.next} is skipped; the schedule moves on without posting it.`,
      };
    case 'move': {
      const session = args.session ?? 0;
      const moved = moveSession(schedule, session, (args.date ?? '').trim(), total, now);
      const at = dueAt(moved, session);
      return { schedule: moved, what: `Session ${session} moves to ${at ? localTime(at) : args.date}.` };
    }
    case 'polls': {
      const mode = (args.mode ?? 'before') as WeeklyPolls;
      const changed = setWeeklyPolls(schedule, mode, args.after_hours);
      return { schedule: changed, what: weeklyPollsSentence(changed.settings) };
    }
    case 'next': {
      const session = args.session ?? 0;
      return {
        schedule: setNextSession(schedule, session, total, now),
        what: `Session ${session} is posted next.`,
      };
    }
    default:
      throw new ScheduleError('Pick one of the /schedule subcommands.');
  }
}

/**
 * Applies a change under the server's lock (the state layer records when the scheduler should next look),
 * and answers with what changed (in the channel) or why not (privately).
 */
async function changeSchedule(ctx: CommandContext, apply: ScheduleChange): Promise<Reply> {
  const total = ctx.corpus.sessions.length;
  const result = await ctx.state.guilds.change(
    ctx.guildId,
    (record): { record: GuildRecord; result: Reply } => {
      if (!record.schedule) return { record, result: NO_SCHEDULE };
      try {
        const { schedule, what } = apply(record.schedule, total, ctx.now);
        return { record: { ...record, schedule }, result: changedReply(ctx.corpus, schedule, what) };
      } catch (error) {
        if (error instanceof ScheduleError) return { record, result: notice(error.message) };
        throw error;
      }
    },
  );
  return result;
}

async function setup(args: ScheduleArgs, ctx: CommandContext): Promise<Reply> {
  const channelId = args.channel ?? ctx.channelId;
  const missing = missingPermissions(ctx.botPermissionsIn(channelId));
  if (missing.length > 0) {
    return notice(
      `I can't run the schedule in <#${channelId}>: I need ${listPermissions(missing)} there. Grant ${missing.length > 1 ? 'them' : 'it'}, or pick another channel.`,
    );
  }
  const total = ctx.corpus.sessions.length;
  let fresh: Schedule;
  try {
    fresh = createSchedule(
      {
        channelId,
        weekday: args.weekday ?? 0,
        time: args.time ?? '',
        zone: (args.zone ?? '').trim(),
        startDate: args.start,
        pingRoleId: args.ping,
        reminderMinutes: args.reminder === undefined ? undefined : args.reminder === 0 ? null : args.reminder,
        graceMinutes: args.grace === undefined ? undefined : args.grace * 60,
      },
      total,
      ctx.now,
    );
  } catch (error) {
    if (error instanceof ScheduleError) return notice(error.message);
    throw error;
  }
  return ctx.state.guilds.change(ctx.guildId, (record) => {
    let schedule: Schedule;
    try {
      schedule = record.schedule ? rescheduleWith(record.schedule, fresh, total, ctx.now) : fresh;
    } catch (error) {
      if (error instanceof ScheduleError) return { record, result: notice(error.message) };
      throw error;
    }
    return {
      record: { ...record, schedule },
      result: setupReply(ctx.corpus, schedule, record.schedule !== null),
    };
  });
}

async function setFacilitator(roleId: string | undefined, ctx: CommandContext): Promise<Reply> {
  if (!canManageServer(ctx.permissions)) {
    return notice('Only members with the **Manage Server** permission can choose the facilitator role.');
  }
  const schedule = await ctx.state.guilds.change(ctx.guildId, (record) => ({
    record: { ...record, facilitatorRoleId: roleId ?? null },
    result: record.schedule,
  }));
  const what = roleId
    ? `Members with the <@&${roleId}> role can now manage the reading schedule and mark progress, as can members with Manage Server.`
    : 'The facilitator role is cleared: only members with Manage Server can manage the schedule.';
  return schedule ? changedReply(ctx.corpus, schedule, what) : { content: what };
}

function missingPermissions(granted: ReadonlySet<string> | undefined): string[] {
  if (!granted) return [];
  return SCHEDULE_CHANNEL_PERMISSIONS.filter((permission) => !granted.has(permission));
}
