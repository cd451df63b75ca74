import { listPermissions, SCHEDULE_CHANNEL_PERMISSIONS } from '../access.js';
import type { Corpus, Crux, Excerpt, Session } from '../corpus/types.js';
import { literal, localTime } from '../format.js';
import type { CommandMentions } from '../mentions.js';
import type { Reply } from '../reply.js';
import type { PauseReason } from '../schedule/plan.js';
import { checkInId } from './checkin.js';
import { cruxEmbed, quotesButton } from './crux.js';
import { contextButton, excerptEmbed } from './excerpt.js';
import { readOpen } from './read.js';
import { readingHeadline, readingsEmbed } from './readings.js';

/**
 * The weekly kickoff: the readings, one excerpt and the week's crux in one message, so it is posted whole
 * or not at all, with the check-in button and the excerpt's and crux's own buttons.
 */
export function kickoffReply(
  corpus: Corpus,
  session: Session,
  excerpt: Excerpt | undefined,
  crux: Crux | undefined,
  pingRoleId: string | undefined,
  mentions: CommandMentions,
): Reply {
  return {
    content: `${pingRoleId ? `<@&${pingRoleId}> ` : ''}Session ${session.number} starts now: **${literal(session.title)}**.`,
    ...(pingRoleId ? { pingRoles: [pingRoleId] } : {}),
    embeds: [
      readingsEmbed(corpus, session, mentions),
      ...(excerpt ? [excerptEmbed(corpus, excerpt)] : []),
      ...(crux ? [cruxEmbed(corpus, crux)] : []),
    ],
    components: [
      [
        { type: 'button', customId: checkInId(session.number), label: 'I’ve read it', style: 'success' },
        {
          type: 'button',
          customId: readOpen.id({ s: session.number, r: false }),
          label: 'Read',
          style: 'primary',
        },
        ...(excerpt ? [contextButton(excerpt)] : []),
        ...(crux ? [quotesButton(crux)] : []),
      ],
    ],
  };
}

/** The name of a session's discussion thread. */
export function sessionThreadName(session: Session): string {
  return `Session ${session.number}: ${session.title}`;
}

/** The first message of a session's thread: the crux's prompts, or a general one. */
export function sessionThreadStarter(session: Session, crux: Crux | undefined): Reply {
  const prompts = crux
    ? crux.prompts.map((p, i) => `${i + 1}. ${literal(p)}`)
    : ['What struck you in this week’s reading?'];
  return {
    content: [`Discussion of session ${session.number}, **${literal(session.title)}**.`, ...prompts].join(
      '\n',
    ),
  };
}

/** The reminder before a session, with its readings and start time in every member's own time zone. */
export function reminderReply(
  corpus: Corpus,
  session: Session,
  at: Date,
  pingRoleId: string | undefined,
): Reply {
  const readings = session.readings.map((r) => readingHeadline(corpus, r)).join('; ');
  return {
    content: [
      `${pingRoleId ? `<@&${pingRoleId}> ` : ''}Reminder: session ${session.number}, **${literal(session.title)}**, starts ${localTime(at, 'relative')} (${localTime(at)}).`,
      `Reading: ${readings}.`,
    ].join('\n'),
    ...(pingRoleId ? { pingRoles: [pingRoleId] } : {}),
    components: [
      [
        {
          type: 'button',
          customId: reminderMarkerId(session.number),
          label: 'Read them now',
          style: 'primary',
        },
      ],
    ],
  };
}

/** The custom id of a session reminder's button, by which the scheduler finds a reminder it posted. */
export function reminderMarkerId(session: number): string {
  return readOpen.id({ s: session, r: true });
}

/** Why the schedule stopped, in a sentence for facilitators. */
export function pauseReasonText(reason: PauseReason, channelId: string): string {
  switch (reason) {
    case 'facilitator':
      return 'a facilitator paused it';
    case 'channel-missing':
      return `the channel <#${channelId}> is gone`;
    case 'no-permission':
      return `I am not allowed to post in <#${channelId}> (I need ${listPermissions(SCHEDULE_CHANNEL_PERMISSIONS)} there)`;
    case 'bot-removed':
      return 'I was removed from the server';
    case 'rejected':
      return `Discord refused the post in <#${channelId}> (the bot's log has the details)`;
  }
}

/** Told to facilitators when a post could not be made and the schedule paused itself. */
export function pausedForProblemReply(
  session: number,
  reason: PauseReason,
  channelId: string,
  facilitatorRoleId: string | null,
): Reply {
  return facilitatorNotice(facilitatorRoleId, [
    `I could not post session ${session}: ${pauseReasonText(reason, channelId)}.`,
    'The reading schedule is paused so nothing is lost. Fix that, then use `/schedule resume`, or `/schedule setup` to choose another channel.',
  ]);
}

/** Told to facilitators when the bot is back in a server whose schedule it paused when removed. */
export function backInServerReply(facilitatorRoleId: string | null): Reply {
  return facilitatorNotice(facilitatorRoleId, [
    'I am back in this server. The reading schedule paused when I was removed, and nothing was deleted.',
    'Use `/schedule resume` to carry on where the group left off, or `/schedule setup` to start again.',
  ]);
}

/** Told to facilitators when a session was posted but its discussion thread could not be opened. */
export function threadFailedReply(
  session: number,
  channelId: string,
  needed: readonly string[],
  facilitatorRoleId: string | null,
): Reply {
  return facilitatorNotice(facilitatorRoleId, [
    `Session ${session} is posted in <#${channelId}>, but I could not open its discussion thread: I need ${listPermissions(needed)} there.`,
    'Members can still open one with the **Discuss** button, or grant the permissions for next week.',
  ]);
}

/** A message for the facilitators, pinging their role when there is one. */
function facilitatorNotice(facilitatorRoleId: string | null, lines: readonly string[]): Reply {
  return {
    content: [
      `${facilitatorRoleId ? `<@&${facilitatorRoleId}> ` : ''}${lines[0] ?? ''}`,
      ...lines.slice(1),
    ].join('\n'),
    ...(facilitatorRoleId ? { pingRoles: [facilitatorRoleId] } : {}),
  };
}
