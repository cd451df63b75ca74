import { defineComponent, param } from '../components.js';
import type { Corpus } from '../corpus/types.js';
import { literal, localTime } from '../format.js';
import { pagedReply, paginate } from '../paging.js';
import { CRUX_COLOR, notice, type Reply } from '../reply.js';
import {
  DEFAULT_AFTER_POLL_HOURS,
  type Schedule,
  type ScheduleSettings,
  upcoming,
} from '../schedule/plan.js';
import { WEEKDAYS } from '../schedule/time.js';
import { readingLines } from './readings.js';
import { pauseReasonText } from './session.js';

/** The /schedule command's name and its confirmation button. */
export const SCHEDULE_COMMAND = 'schedule';
/** The page buttons of /schedule show. */
export const scheduleShowPage = defineComponent(SCHEDULE_COMMAND, 'show', { p: param.int(0, 999) });
/** The button on a "missed" notice: the schedule, privately. `n` names the notice it sits on. */
export const scheduleView = defineComponent(SCHEDULE_COMMAND, 'view', { n: param.slug(60).optional() });
/** Start over: confirmed once for the schedule revision `r` it was asked about. */
export const scheduleResetConfirm = defineComponent(SCHEDULE_COMMAND, 'reset-confirm', {
  r: param.int(0, 1_000_000_000).optional(),
});
export const scheduleResetCancel = defineComponent(SCHEDULE_COMMAND, 'reset-cancel', {});

/** "Tuesdays at 19:00 (Europe/Berlin) in #reading". */
export function describeRhythm(schedule: Schedule): string {
  const { weekday, time, zone, channelId } = schedule.settings;
  return `${WEEKDAYS[weekday - 1]}s at ${time} (${zone}) in <#${channelId}>`;
}

/** The next session as a sentence, or what stops it. */
export function nextSessionSentence(corpus: Corpus, schedule: Schedule): string {
  if (schedule.status === 'paused') {
    return `The schedule is paused (${pauseReasonText(schedule.pause?.reason ?? 'facilitator', schedule.settings.channelId)}). \`/schedule resume\` continues it.`;
  }
  const [next] = upcoming(schedule, corpus.sessions.length);
  if (next)
    return `Next: session ${next.session}, ${localTime(next.at)} (${localTime(next.at, 'relative')}).`;
  return schedule.status === 'finished'
    ? 'Every session is done.'
    : 'Every session is done; the wrap-up comes next.';
}

/** The setup confirmation: the rhythm, the first three sessions in each member's time, and what gets posted. */
export function setupReply(corpus: Corpus, schedule: Schedule, replaced: boolean): Reply {
  const total = corpus.sessions.length;
  const first = upcoming(schedule, total).slice(0, 3);
  const { reminderMinutes, graceMinutes, pingRoleId } = schedule.settings;
  const reminder =
    reminderMinutes === null
      ? 'No reminder.'
      : `A reminder goes out ${formatLead(reminderMinutes)} before each session.`;
  return {
    embeds: [
      {
        title: replaced ? 'Reading schedule updated' : 'Reading schedule set',
        description: [
          `Sessions on ${describeRhythm(schedule)}, ${total} in all.`,
          '',
          ...first.map(
            (s) =>
              `**Session ${s.session}** · ${localTime(s.at)} · ${literal(corpus.sessions[s.session - 1]?.title ?? '')}`,
          ),
          first.length < upcoming(schedule, total).length ? '…and weekly after that.' : '',
          '',
          `At each session time I post in <#${schedule.settings.channelId}>${pingRoleId ? `, pinging <@&${pingRoleId}>,` : ''} the week's readings with their opening lines, one excerpt, the week's crux, an **I've read it** button, and a thread for the discussion.`,
          weeklyPollsSentence(schedule.settings),
          reminder,
          `If I am offline at a session time, I post it when I am back, up to ${formatLead(graceMinutes)} late; after that I say it was missed and move on.`,
        ]
          .filter((line, i, all) => line !== '' || all[i - 1] !== '')
          .join('\n'),
        color: CRUX_COLOR,
      },
    ],
  };
}

/** What the weekly polls are, in a sentence. */
export function weeklyPollsSentence(settings: ScheduleSettings): string {
  const after = settings.afterPollHours ?? DEFAULT_AFTER_POLL_HOURS;
  switch (settings.polls) {
    case 'off':
      return 'No weekly position polls (`/schedule polls` turns them on).';
    case 'before':
      return 'With each session, a position poll on its crux ("before the discussion"), closing an hour before the next session with its result.';
    case 'before-and-after':
      return `With each session, a position poll on its crux before the discussion, and another ${after === 0 ? 'with it' : `${formatLead(after * 60)} later`} for after it; both close an hour before the next session, and the second says who changed position.`;
  }
}

/** "1 day", "3 hours", "90 minutes". */
function formatLead(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minutes`;
}

/** /schedule show: where the group is, and every session to come with its readings. Private and paged. */
export function showScheduleReply(corpus: Corpus, schedule: Schedule | null, page: number): Reply {
  if (!schedule) {
    return notice(
      'This server has no reading schedule yet. A facilitator can set one with `/schedule setup`; until then everyone is on session 1.',
    );
  }
  const total = corpus.sessions.length;
  const done = Object.entries(schedule.sessions)
    .filter(([, record]) => record.status !== 'claimed')
    .map(([number, record]) => `${number} ${record.status === 'posted' ? '✓' : record.status}`);
  const header = [
    `Sessions on ${describeRhythm(schedule)}.`,
    nextSessionSentence(corpus, schedule),
    done.length > 0 ? `So far: ${done.join(' · ')}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  const blocks = upcoming(schedule, total).map(({ session, at }) => {
    const detail = corpus.sessions[session - 1];
    return [
      `**Session ${session}** · ${localTime(at)} · ${literal(detail?.title ?? '')}`,
      ...(detail ? readingLines(corpus, detail).map((line) => `  ${line}`) : []),
    ].join('\n');
  });
  return pagedReply({
    title: 'Reading schedule',
    pages: paginate([header, ...blocks]),
    page,
    pageId: (n) => scheduleShowPage.id({ p: n }),
  });
}

/** A change to the schedule, announced in the channel: what changed, then when the next session is. */
export function changedReply(corpus: Corpus, schedule: Schedule, what: string): Reply {
  return { content: `${what}\n${nextSessionSentence(corpus, schedule)}` };
}

/** Asks before starting the schedule over, privately. */
export function confirmResetReply(resets: number): Reply {
  return {
    content:
      'Start the reading schedule over from session 1? The record of what was posted is cleared; what the group has covered (`/progress`) stays.',
    components: [
      [
        {
          type: 'button',
          customId: scheduleResetConfirm.id({ r: resets }),
          label: 'Start over',
          style: 'danger',
        },
        {
          type: 'button',
          customId: scheduleResetCancel.id({}),
          label: 'Keep it',
          style: 'secondary',
        },
      ],
    ],
    ephemeral: true,
  };
}

/** Who may change the schedule, said to a member who may not. */
export function notFacilitatorReply(facilitatorRoleId: string | null): Reply {
  return notice(
    `Only facilitators can do that: members with the **Manage Server** permission${facilitatorRoleId ? ` or the <@&${facilitatorRoleId}> role` : ''}. Ask one of them${facilitatorRoleId ? '' : ', or ask an admin to set a facilitator role with `/schedule facilitator`'}.`,
  );
}

/**
 * Whether a ping of `roleId` will notify its members: only if the role is mentionable or the bot has Mention
 * Everyone where it posts (Discord's "Allowed Mentions Object"); otherwise the ping is shown and notifies
 * nobody. Returns what to change, or undefined when the ping works or cannot be judged.
 */
export function unreachablePingWarning(
  roleId: string,
  mentionable: boolean | undefined,
  botPermissions: ReadonlySet<string> | undefined,
  where: string,
): string | undefined {
  if (mentionable !== false || botPermissions?.has('MentionEveryone') !== false) return undefined;
  return `⚠️ <@&${roleId}> cannot be pinged by me, so that ping would notify nobody. Either turn on **Allow anyone to @mention this role** for it (Server Settings → Roles), or give me **Mention Everyone** ${where}. I only ever ping the roles you choose here.`;
}

/** A reply with a warning added at its end. */
export function withWarning(reply: Reply, warning: string | undefined): Reply {
  return warning ? { ...reply, content: [reply.content, warning].filter(Boolean).join('\n') } : reply;
}
