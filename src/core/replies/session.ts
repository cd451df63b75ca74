import type { Corpus, Crux, Excerpt, Session } from '../corpus/types.js';
import { encodeCustomId } from '../custom-id.js';
import { literal, localTime, readingTimeLabel } from '../format.js';
import { progressBar, sessionsDone } from '../progress.js';
import { CRUX_COLOR, type Embed, type Reply } from '../reply.js';
import type { PauseReason, Schedule } from '../schedule/plan.js';
import { oneLine, truncateAtSentence } from '../text.js';
import { cruxEmbed, quotesButton } from './crux.js';
import { contextButton, excerptEmbed } from './excerpt.js';

/** The /progress command's name and the check-in actions of the kickoff post. */
export const PROGRESS_COMMAND = 'progress';
export const PROGRESS_ACTIONS = { checkIn: 'checkin', undo: 'uncheck' } as const;

/** How much of each reading's opening the kickoff shows. */
const OPENING_CHARS = 220;

/**
 * The custom id of a session's "I've read it" button. It is unique to the session, so after a crash the
 * scheduler recognises its own kickoff in the channel by it.
 */
export function checkInId(session: number): string {
  return encodeCustomId(PROGRESS_COMMAND, PROGRESS_ACTIONS.checkIn, { s: session });
}

/** The readings of a session as lines: title, sections, words, reading time, and the opening words. */
export function readingsEmbed(corpus: Corpus, session: Session, total: number): Embed {
  const blocks = session.readings.map((reading) => {
    const text = corpus.textById.get(reading.textId);
    const first = reading.sections[0];
    const opening = first ? (text?.lines[first.firstLine - 1] ?? '') : '';
    return [
      `**${literal(text?.title ?? reading.textId)}** · ${reading.words.toLocaleString('en')} words · ${readingTimeLabel(reading.words)}`,
      `Sections: ${reading.sections.map((s) => literal(s.heading)).join(' · ')}`,
      `> ${literal(truncateAtSentence(oneLine(opening), OPENING_CHARS))}`,
    ].join('\n');
  });
  return {
    title: `Session ${session.number} of ${total}: ${session.title}`,
    description: blocks.join('\n\n'),
    footer: `${session.words.toLocaleString('en')} words in all · press “I’ve read it” once you have read them`,
    color: CRUX_COLOR,
  };
}

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
): Reply {
  const total = corpus.sessions.length;
  return {
    content: `${pingRoleId ? `<@&${pingRoleId}> ` : ''}Session ${session.number} starts now: **${literal(session.title)}**.`,
    ...(pingRoleId ? { pingRoles: [pingRoleId] } : {}),
    embeds: [
      readingsEmbed(corpus, session, total),
      ...(excerpt ? [excerptEmbed(corpus, excerpt)] : []),
      ...(crux ? [cruxEmbed(corpus, crux)] : []),
    ],
    components: [
      [
        { type: 'button', customId: checkInId(session.number), label: 'I’ve read it', style: 'success' },
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
  const readings = session.readings
    .map(
      (r) =>
        `**${literal(corpus.textById.get(r.textId)?.title ?? r.textId)}** (${r.words.toLocaleString('en')} words, ${readingTimeLabel(r.words)})`,
    )
    .join('; ');
  return {
    content: [
      `${pingRoleId ? `<@&${pingRoleId}> ` : ''}Reminder: session ${session.number}, **${literal(session.title)}**, starts ${localTime(at, 'relative')} (${localTime(at)}).`,
      `Reading: ${readings}.`,
    ].join('\n'),
    ...(pingRoleId ? { pingRoles: [pingRoleId] } : {}),
  };
}

/** Sessions whose time passed beyond the grace window while Crux was offline: said in the channel. */
export function missedReply(
  sessions: readonly { readonly number: number; readonly at: Date }[],
  graceMinutes: number,
  next: { readonly number: number; readonly at: Date } | undefined,
): Reply {
  const list = sessions.map((s) => `session ${s.number} (${localTime(s.at)})`).join(', ');
  const hours = Math.round(graceMinutes / 60);
  return {
    content: [
      `Crux was offline when ${list} should have started, more than ${hours} hour${hours === 1 ? '' : 's'} ago, so ${sessions.length === 1 ? 'it was' : 'they were'} skipped.`,
      next ? `Next up: session ${next.number}, ${localTime(next.at)}.` : 'That was the last session.',
      'A facilitator can bring a session back with `/schedule next`.',
    ].join('\n'),
  };
}

/** The end of the reading list: what the group covered. */
export function wrapUpReply(corpus: Corpus, schedule: Schedule, covered: readonly string[]): Reply {
  const done = sessionsDone(corpus, covered);
  const lines = corpus.sessions.map((session) => {
    const record = schedule.sessions[session.number];
    const mark = done.includes(session.number)
      ? '✓'
      : record?.status === 'skipped'
        ? 'skipped'
        : record?.status === 'missed'
          ? 'missed'
          : '·';
    return `${mark} Session ${session.number}: ${literal(session.title)}`;
  });
  return {
    embeds: [
      {
        title: 'That’s the whole reading list',
        description: [
          `${progressBar(done.length, corpus.sessions.length)} sessions covered`,
          '',
          ...lines,
        ].join('\n'),
        footer:
          'Thank you for reading together. /progress shows what was covered; /schedule reset starts again.',
        color: CRUX_COLOR,
      },
    ],
  };
}

/** Why the schedule stopped, in a sentence for facilitators. */
export function pauseReasonText(reason: PauseReason, channelId: string): string {
  switch (reason) {
    case 'facilitator':
      return 'a facilitator paused it';
    case 'channel-missing':
      return `the channel <#${channelId}> is gone`;
    case 'no-permission':
      return `I am not allowed to post in <#${channelId}> (I need View Channel, Send Messages, Embed Links, Create Public Threads and Send Messages in Threads)`;
    case 'bot-removed':
      return 'I was removed from the server';
  }
}

/** Told to facilitators when a post could not be made and the schedule paused itself. */
export function pausedForProblemReply(
  session: number,
  reason: PauseReason,
  channelId: string,
  facilitatorRoleId: string | null,
): Reply {
  return {
    content: [
      `${facilitatorRoleId ? `<@&${facilitatorRoleId}> ` : ''}I could not post session ${session}: ${pauseReasonText(reason, channelId)}.`,
      'The reading schedule is paused so nothing is lost. Fix that, then use `/schedule resume`, or `/schedule setup` to choose another channel.',
    ].join('\n'),
    ...(facilitatorRoleId ? { pingRoles: [facilitatorRoleId] } : {}),
  };
}
