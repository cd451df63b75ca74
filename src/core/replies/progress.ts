import type { Corpus } from '../corpus/types.js';
import { literal } from '../format.js';
import { progressBar, sessionsDone, textCoverage } from '../progress.js';
import { CRUX_COLOR, notice, type Reply } from '../reply.js';
import type { Schedule } from '../schedule/plan.js';
import { progressUndo } from './checkin.js';
import { nextSessionSentence } from './schedule.js';

/** /progress: sessions done, the texts and sections covered, and what comes next. */
export function progressReply(
  corpus: Corpus,
  progress: { readonly session: number; readonly covered: readonly string[] },
  schedule: Schedule | null,
): Reply {
  const done = sessionsDone(corpus, progress.covered);
  const total = corpus.sessions.length;
  const sessions = corpus.sessions.map(
    (s) =>
      `${done.includes(s.number) ? '✓' : s.number === progress.session ? '▸' : '·'} ${s.number}. ${literal(s.title)}`,
  );
  const texts = textCoverage(corpus, progress.covered).map(
    (t) => `${literal(t.title)}: ${t.covered} of ${t.total} sections`,
  );
  return {
    embeds: [
      {
        title: 'Reading progress',
        description: [
          `${progressBar(done.length, total)} sessions done`,
          `This week: session ${progress.session}, ${literal(corpus.sessions[progress.session - 1]?.title ?? '')}.`,
          schedule
            ? nextSessionSentence(corpus, schedule)
            : 'No schedule yet: a facilitator can set one with `/schedule setup`.',
        ].join('\n'),
        fields: [
          { name: 'Sessions', value: sessions.join('\n') },
          { name: 'Texts', value: texts.join('\n') },
        ],
        color: CRUX_COLOR,
      },
    ],
  };
}

/** /progress me: a member's own check-ins, privately. */
export function myProgressReply(corpus: Corpus, checkedIn: readonly number[], current: number): Reply {
  const lines = corpus.sessions
    .filter((s) => s.number <= Math.max(current, ...checkedIn))
    .map((s) => `${checkedIn.includes(s.number) ? '✓' : '·'} Session ${s.number}: ${literal(s.title)}`);
  return {
    embeds: [
      {
        title: 'Your reading',
        description: [
          checkedIn.length === 0
            ? 'You have not checked in yet. Press **I’ve read it** on a session’s post once you have done the reading.'
            : `You have checked in for ${checkedIn.length} session${checkedIn.length === 1 ? '' : 's'}.`,
          '',
          ...lines,
        ].join('\n'),
        color: CRUX_COLOR,
      },
    ],
    ephemeral: true,
  };
}

/** How many names the check-in list shows before saying how many more. */
const CHECK_IN_NAMES = 80;

/** Who has checked in for a session, for facilitators, privately. Mentions show names but ping no one. */
export function checkInsReply(session: number, members: readonly string[]): Reply {
  if (members.length === 0) return notice(`Nobody has checked in for session ${session} yet.`);
  const shown = members.slice(0, CHECK_IN_NAMES).map((id) => `<@${id}>`);
  const more = members.length - shown.length;
  return notice(
    `Checked in for session ${session} (${members.length}): ${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''}`,
  );
}

/** The answer to pressing I've read it, privately, with a way to take it back. */
export function checkedInReply(
  session: number,
  result: { readonly already: boolean; readonly count: number },
): Reply {
  const others = result.count - 1;
  return {
    content: result.already
      ? `You had already checked in for session ${session}. \`/progress me\` shows all your check-ins.`
      : `Checked in for session ${session}. ${others === 0 ? 'You are the first.' : `${others} other${others === 1 ? '' : 's'} ${others === 1 ? 'has' : 'have'} too.`}`,
    components: [
      [
        {
          type: 'button',
          customId: progressUndo.id({ s: session }),
          label: 'Take it back',
          style: 'secondary',
        },
      ],
    ],
    ephemeral: true,
  };
}

/** After Take it back. */
export function checkInUndoneReply(session: number, removed: boolean): Reply {
  return notice(
    removed
      ? `Your check-in for session ${session} is taken back. Press **I’ve read it** again whenever you like.`
      : `You were not checked in for session ${session}; nothing changed.`,
  );
}

/** A facilitator's correction of the group's week, with what it means for the schedule. */
export function sessionSetReply(corpus: Corpus, session: number, schedule: Schedule | null): Reply {
  const title = corpus.sessions[session - 1]?.title ?? '';
  const lines = [
    `The group is now on session ${session}, **${literal(title)}**. \`/excerpt\` and \`/crux\` draw from it; later sessions only with \`ahead\`.`,
  ];
  if (schedule) {
    lines.push(nextSessionSentence(corpus, schedule));
    if (schedule.status !== 'finished' && schedule.next !== session + 1 && session < corpus.sessions.length)
      lines.push(
        `To post session ${session + 1} next instead, use \`/schedule next session:${session + 1}\`.`,
      );
  }
  return { content: lines.join('\n') };
}
