import type { Corpus } from '../corpus/types.js';
import { listAnd, literal, localTime } from '../format.js';
import { progressBar, sessionsDone } from '../progress.js';
import { type Button, CRUX_COLOR, type Reply } from '../reply.js';
import type { Notice, Schedule } from '../schedule/plan.js';
import { progressView } from './checkin.js';
import { scheduleView } from './schedule.js';

/**
 * The notices a schedule owes its channel: sessions missed, and the wrap-up. Each carries a button (the
 * schedule, or the group's progress, shown privately) whose custom id names the notice, so the scheduler can
 * find a notice that was posted before a crash or a lost answer instead of posting it again.
 */

/** The custom id of a notice's button. */
export function noticeButtonId(notice: Notice): string {
  return notice.kind === 'missed' ? scheduleView.id({ n: notice.id }) : progressView.id({ n: notice.id });
}

function noticeButton(notice: Notice): Button {
  return {
    type: 'button',
    customId: noticeButtonId(notice),
    label: notice.kind === 'missed' ? 'See the schedule' : 'Our progress',
    style: 'secondary',
  };
}

/** Sessions that could not be posted within the grace window (Crux offline or Discord unreachable). */
export function missedReply(
  notice: Extract<Notice, { kind: 'missed' }>,
  graceMinutes: number,
  next: { readonly number: number; readonly at: Date } | undefined,
): Reply {
  const list = listAnd(notice.sessions.map((s) => `session ${s.number} (${localTime(new Date(s.at))})`));
  const hours = Math.round(graceMinutes / 60);
  const one = notice.sessions.length === 1;
  return {
    content: [
      `I could not post ${list} on time (I was offline or could not reach Discord), and it is now more than ${hours} hour${hours === 1 ? '' : 's'} late, so ${one ? 'it is' : 'they are'} marked missed and the schedule moves on.`,
      next ? `Next up: session ${next.number}, ${localTime(next.at)}.` : 'That was the last session.',
      `A facilitator can bring ${one ? 'it' : 'one'} back with \`/schedule next\`.`,
    ].join('\n'),
    components: [[noticeButton(notice)]],
  };
}

/** The end of the reading list: what the group covered. */
export function wrapUpReply(
  corpus: Corpus,
  schedule: Schedule,
  covered: readonly string[],
  notice: Notice,
): Reply {
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
          'Thank you for reading together. /map shows where the group ended up; /schedule reset starts again.',
        color: CRUX_COLOR,
      },
    ],
    components: [[noticeButton(notice)]],
  };
}
