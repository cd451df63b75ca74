import type { Corpus } from '../corpus/types.js';
import { literal } from '../format.js';
import { progressBar, sessionsDone, textCoverage } from '../progress.js';
import { CRUX_COLOR, notice, type Reply } from '../reply.js';
import type { Schedule } from '../schedule/plan.js';
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

/** Who has checked in for a session, for facilitators, privately. Mentions show names but ping no one. */
export function checkInsReply(session: number, members: readonly string[]): Reply {
  return notice(
    members.length === 0
      ? `Nobody has checked in for session ${session} yet.`
      : `Checked in for session ${session} (${members.length}): ${members.map((id) => `<@${id}>`).join(', ')}`,
  );
}

/** The answer to pressing I've read it. */
export function checkedInReply(
  session: number,
  result: { readonly already: boolean; readonly count: number },
): Reply {
  const others = result.count - 1;
  return notice(
    result.already
      ? `You had already checked in for session ${session}. \`/progress me\` shows all your check-ins.`
      : `Checked in for session ${session}. ${others === 0 ? 'You are the first.' : `${others} other${others === 1 ? '' : 's'} ${others === 1 ? 'has' : 'have'} too.`}`,
  );
}
