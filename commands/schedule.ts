import { ChannelType } from 'discord-api-types/v10';
import { type CommandContext, defineCommand, on } from '../src/command.js';
import { option } from '../src/command-options.js';
import { listPermissions, SCHEDULE_CHANNEL_PERMISSIONS } from '../src/core/access.js';
import { UserError } from '../src/core/errors.js';
import { localTime } from '../src/core/format.js';
import {
  changedReply,
  confirmResetReply,
  SCHEDULE_COMMAND,
  scheduleResetCancel,
  scheduleResetConfirm,
  scheduleShowPage,
  scheduleView,
  setupReply,
  showScheduleReply,
  unreachablePingWarning,
  weeklyPollsSentence,
  withWarning,
} from '../src/core/replies/schedule.js';
import { notice, type Reply } from '../src/core/reply.js';
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
} from '../src/core/schedule/plan.js';
import { suggestZones } from '../src/core/schedule/time.js';
import type { GuildRecord } from '../src/state/index.js';

/** Reminder lead times offered at setup, in minutes; 0 means no reminder. */
const REMINDER_CHOICES = [
  { name: 'Off', value: 0 },
  { name: '1 hour before', value: 60 },
  { name: '3 hours before', value: 180 },
  { name: '12 hours before', value: 720 },
  { name: '1 day before (default)', value: 1440 },
  { name: '2 days before', value: 2880 },
] as const;

const WEEKDAY_CHOICES = [
  { name: 'Monday', value: 1 },
  { name: 'Tuesday', value: 2 },
  { name: 'Wednesday', value: 3 },
  { name: 'Thursday', value: 4 },
  { name: 'Friday', value: 5 },
  { name: 'Saturday', value: 6 },
  { name: 'Sunday', value: 7 },
] as const;

export default defineCommand({
  name: SCHEDULE_COMMAND,
  description: 'The reading schedule: see it, or (facilitators) set it up and change it',
  declare: (corpus) => {
    const session = (description: string) =>
      option.integer(description, { required: true, min: 1, max: corpus.sessions.length });
    return {
      subcommands: {
        setup: {
          description: 'Facilitators: post a session every week at a set time',
          options: {
            channel: option.channel('Where sessions are posted', {
              required: true,
              channelTypes: [ChannelType.GuildText],
            }),
            weekday: option.choice('The day of the week', WEEKDAY_CHOICES, { required: true }),
            time: option.string('24-hour time, like 19:30', { required: true, maxLength: 5 }),
            zone: option.string('Time zone: type a city or region', {
              required: true,
              autocomplete: true,
              maxLength: 64,
            }),
            start: option.string('Date of session 1, YYYY-MM-DD (default: the next such weekday)', {
              maxLength: 10,
            }),
            ping: option.role('A role to ping when a session starts'),
            reminder: option.choice('Reminder before each session', REMINDER_CHOICES),
            grace: option.integer(
              'Hours a session missed while Crux was offline may still be posted (default 6)',
              {
                min: 1,
                max: 48,
              },
            ),
          },
          requires: 'facilitator',
        },
        show: { description: 'The sessions to come, with dates and readings' },
        pause: { description: 'Facilitators: stop posting until resumed', requires: 'facilitator' },
        resume: { description: 'Facilitators: start posting again', requires: 'facilitator' },
        skip: {
          description: 'Facilitators: move on without posting the next session',
          requires: 'facilitator',
        },
        move: {
          description: 'Facilitators: move one session to another date',
          options: {
            session: session('Which session'),
            date: option.string('New date, YYYY-MM-DD', { required: true, maxLength: 10 }),
          },
          requires: 'facilitator',
        },
        next: {
          description: 'Facilitators: choose which session is posted next',
          options: { session: session('Which session') },
          requires: 'facilitator',
        },
        reset: { description: 'Facilitators: start over from session 1', requires: 'facilitator' },
        polls: {
          description: 'Facilitators: which position polls each session opens on its crux',
          options: {
            mode: option.choice(
              'Before the discussion (default), before and after, or none',
              [
                { name: 'Before the discussion', value: 'before' },
                { name: 'Before and after the discussion', value: 'before-and-after' },
                { name: 'No weekly polls', value: 'off' },
              ],
              { required: true },
            ),
            after_hours: option.integer('Hours after the kickoff the "after" poll opens (default 48)', {
              min: 0,
              max: MAX_AFTER_POLL_HOURS,
            }),
          },
          requires: 'facilitator',
        },
        facilitator: {
          description: 'Manage Server only: set (or clear) the role whose members may manage the schedule',
          options: { role: option.role('The facilitator role; leave empty to clear it') },
          requires: 'manage-server',
        },
      },
    };
  },

  replyPrivately: (args) => args.subcommand === 'show',

  async run(args, ctx) {
    switch (args.subcommand) {
      case 'show':
        return showScheduleReply(ctx.corpus, (await ctx.state.guilds.read(ctx.guildId)).schedule, 0);
      case 'facilitator':
        return setFacilitator(args.role, ctx);
      case 'setup':
        return setup(args, ctx);
      case 'reset': {
        const { schedule } = await ctx.state.guilds.read(ctx.guildId);
        if (!schedule) throw new UserError(NO_SCHEDULE);
        return confirmResetReply(schedule.resets);
      }
      case 'pause':
        return changeSchedule(ctx, (schedule, _total, now) => ({
          schedule: pauseSchedule(schedule, 'facilitator', now),
          what: 'The reading schedule is paused: nothing is posted until `/schedule resume`.',
        }));
      case 'resume':
        return changeSchedule(ctx, (schedule, total, now) => ({
          schedule: resumeSchedule(schedule, total, now),
          what: 'The reading schedule is running again.',
        }));
      case 'skip':
        return changeSchedule(ctx, (schedule, total, now) => ({
          schedule: skipSession(schedule, total, now),
          what: `Session ${schedule.next} is skipped; the schedule moves on without posting it.`,
        }));
      case 'move':
        return changeSchedule(ctx, (schedule, total, now) => {
          const moved = moveSession(schedule, args.session, args.date, total, now);
          const at = dueAt(moved, args.session);
          return {
            schedule: moved,
            what: `Session ${args.session} moves to ${at ? localTime(at) : args.date}.`,
          };
        });
      case 'next':
        return changeSchedule(ctx, (schedule, total, now) => ({
          schedule: setNextSession(schedule, args.session, total, now),
          what: `Session ${args.session} is posted next.`,
        }));
      case 'polls':
        return changeSchedule(ctx, (schedule) => {
          const changed = setWeeklyPolls(schedule, args.mode, args.after_hours);
          return { schedule: changed, what: weeklyPollsSentence(changed.settings) };
        });
    }
  },

  async autocomplete(focused) {
    if (focused.name !== 'zone') return [];
    return suggestZones(focused.value);
  },

  components: [
    on(scheduleShowPage, async (params, ctx) => {
      const { schedule } = await ctx.state.guilds.read(ctx.guildId);
      return { type: 'update', reply: showScheduleReply(ctx.corpus, schedule, params.p) };
    }),
    // The button on a "missed" notice: the schedule, privately.
    on(scheduleView, async (_params, ctx) => {
      const { schedule } = await ctx.state.guilds.read(ctx.guildId);
      return { type: 'reply', reply: { ...showScheduleReply(ctx.corpus, schedule, 0), ephemeral: true } };
    }),
    on(
      scheduleResetConfirm,
      async (params, ctx) => {
        const reply = await changeSchedule(ctx, (schedule, total, now) => {
          // Two presses (or two confirmations) of one request start over once.
          if (schedule.resets !== (params.r ?? 0))
            throw new ScheduleError('The schedule has already started over; nothing more changed.');
          return {
            schedule: resetSchedule(schedule, total, now),
            what: 'The reading schedule starts over from session 1.',
          };
        }).catch((error: unknown) => {
          if (error instanceof UserError) return notice(error.message);
          throw error;
        });
        // The confirmation was private; the change itself is announced in the channel.
        return reply.ephemeral ? { type: 'update', reply } : { type: 'reply', reply };
      },
      { requires: 'facilitator' },
    ),
    on(scheduleResetCancel, async () => ({ type: 'update', reply: notice('Nothing changed.') })),
  ],
});

const NO_SCHEDULE = 'There is no reading schedule yet. Set one up with `/schedule setup`.';

/** A facilitator's change to an existing schedule, as a pure function of it. */
type ScheduleChange = (
  schedule: Schedule,
  total: number,
  now: Date,
) => { readonly schedule: Schedule; readonly what: string };

/**
 * Applies a change under the server's lock (the state layer records when the scheduler should next look),
 * and answers with what changed (in the channel) or why not (privately).
 */
async function changeSchedule(ctx: CommandContext, apply: ScheduleChange): Promise<Reply> {
  const total = ctx.corpus.sessions.length;
  const result = await ctx.state.guilds.change(
    ctx.guildId,
    (record): { record: GuildRecord; result: Reply } => {
      if (!record.schedule) throw new UserError(NO_SCHEDULE);
      const { schedule, what } = apply(record.schedule, total, ctx.now);
      return { record: { ...record, schedule }, result: changedReply(ctx.corpus, schedule, what) };
    },
  );
  return result;
}

type SetupArgs = {
  readonly channel: string;
  readonly weekday: number;
  readonly time: string;
  readonly zone: string;
  readonly start?: string;
  readonly ping?: string;
  readonly reminder?: number;
  readonly grace?: number;
};

async function setup(args: SetupArgs, ctx: CommandContext): Promise<Reply> {
  const channelId = args.channel;
  // Options can carry a stale or forged id: another server's channel would receive this server's posts.
  if (!ctx.isServerTextChannel(channelId))
    throw new UserError('Pick a text channel of this server for **channel**, from the list Discord shows.');
  const missing = missingPermissions(ctx.botPermissionsIn(channelId));
  if (missing.length > 0) {
    throw new UserError(
      `I can't run the schedule in <#${channelId}>: I need ${listPermissions(missing)} there. Grant ${missing.length > 1 ? 'them' : 'it'}, or pick another channel.`,
    );
  }
  const total = ctx.corpus.sessions.length;
  const fresh = createSchedule(
    {
      channelId,
      weekday: args.weekday,
      time: args.time,
      zone: args.zone,
      startDate: args.start,
      pingRoleId: args.ping,
      reminderMinutes: args.reminder === undefined ? undefined : args.reminder === 0 ? null : args.reminder,
      graceMinutes: args.grace === undefined ? undefined : args.grace * 60,
    },
    total,
    ctx.now,
  );
  const pingWarning = args.ping
    ? unreachablePingWarning(
        args.ping,
        ctx.roleMentionable(args.ping),
        ctx.botPermissionsIn(channelId),
        `in <#${channelId}>`,
      )
    : undefined;
  return ctx.state.guilds.change(ctx.guildId, (record) => {
    const schedule = record.schedule ? rescheduleWith(record.schedule, fresh, total, ctx.now) : fresh;
    return {
      record: { ...record, schedule },
      result: withWarning(setupReply(ctx.corpus, schedule, record.schedule !== null), pingWarning),
    };
  });
}

async function setFacilitator(roleId: string | undefined, ctx: CommandContext): Promise<Reply> {
  const schedule = await ctx.state.guilds.change(ctx.guildId, (record) => ({
    record: { ...record, facilitatorRoleId: roleId ?? null },
    result: record.schedule,
  }));
  const what = roleId
    ? `Members with the <@&${roleId}> role can now manage the reading schedule and mark progress, as can members with Manage Server.`
    : 'The facilitator role is cleared: only members with Manage Server can manage the schedule.';
  // Problems with the schedule are reported by pinging this role, wherever I can post.
  const warning = roleId
    ? unreachablePingWarning(roleId, ctx.roleMentionable(roleId), ctx.permissions.bot, 'in this server')
    : undefined;
  return withWarning(schedule ? changedReply(ctx.corpus, schedule, what) : { content: what }, warning);
}

function missingPermissions(granted: ReadonlySet<string> | undefined): string[] {
  if (!granted) return [];
  return SCHEDULE_CHANNEL_PERMISSIONS.filter((permission) => !granted.has(permission));
}
