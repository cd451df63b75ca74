import { defineComponent, param } from '../components.js';
import type { Corpus, Crux } from '../corpus/types.js';
import { literal, localTime } from '../format.js';
import {
  type Ballot,
  CREDENCE_STEPS,
  type PollRecord,
  type PollSummary,
  pollChoices,
  UNSURE,
  type VoteOutcome,
} from '../polls/model.js';
import type { Movement } from '../polls/positions.js';
import { describeAgreement, type Tally } from '../polls/tally.js';
import { type Attachment, type Button, CRUX_COLOR, notice, type Reply } from '../reply.js';
import { positionLetter } from './crux.js';

/** The /poll command's name and the actions of its buttons and selects. */
export const POLL_COMMAND = 'poll';
/** A position (or Unsure) pressed on a poll. */
export const pollVote = defineComponent(POLL_COMMAND, 'vote', { p: param.slug(), c: param.slug() });
/** How sure a member is, chosen from a select on their private confirmation. */
export const pollCredence = defineComponent(
  POLL_COMMAND,
  'sure',
  { p: param.slug() },
  { value: param.int(0, 100) },
);
export const pollRetract = defineComponent(POLL_COMMAND, 'retract', { p: param.slug() });
/** My answer; `r` marks the one on a results post (its custom id finds the post after a crash). */
export const pollMine = defineComponent(POLL_COMMAND, 'mine', { p: param.slug(), r: param.flag() });
export const pollClose = defineComponent(POLL_COMMAND, 'close', { p: param.slug() });

/** "A. It works today", or "Unsure". */
export function choiceName(crux: Crux, choice: string): string {
  const index = crux.positions.findIndex((p) => p.id === choice);
  if (index >= 0) return `${positionLetter(index)}. ${crux.positions[index]?.label ?? ''}`;
  return choice === UNSURE ? 'Unsure' : choice;
}

/** "A. It works today (80% sure)". */
export function describeBallot(crux: Crux, ballot: Ballot): string {
  return `**${literal(choiceName(crux, ballot.choice))}**${ballot.credence !== undefined ? ` (${ballot.credence}% sure)` : ''}`;
}

const PHASE_TITLE = { before: 'before the discussion', after: 'after the discussion' } as const;

/** The Close button on a button poll's message. */
export function closeButtonId(pollId: string): string {
  return pollClose.id({ p: pollId });
}

/**
 * What lets the bot find its own poll message after a crash: the Close button of a button poll, or, on a
 * native poll (which carries no buttons), the poll's id in its text.
 */
export function pollMessageMarker(poll: Pick<PollRecord, 'id' | 'style'>): string {
  return poll.style === 'native' ? `poll \`${poll.id}\`` : closeButtonId(poll.id);
}

/** The My answer button on a results post; its custom id marks the post for recovery after a crash. */
export function resultsMarkerId(pollId: string): string {
  return pollMine.id({ p: pollId, r: true });
}

/**
 * The poll as posted in the channel. A button poll lists the positions with their statements and, unless
 * results are hidden, the totals so far; a native poll is Discord's own, with a note that voters are shown.
 */
export function pollMessage(poll: PollRecord, crux: Crux, current: Tally): Reply {
  const closes = new Date(poll.closesAt);
  const open = poll.status === 'open' || poll.status === 'opening';
  const header = `Position poll, ${PHASE_TITLE[poll.phase]}${poll.session ? ` · session ${poll.session}` : ''}`;
  const mine: Button = {
    type: 'button',
    customId: pollMine.id({ p: poll.id, r: false }),
    label: 'My answer',
    style: 'secondary',
  };
  const close: Button = {
    type: 'button',
    customId: closeButtonId(poll.id),
    label: 'Close poll',
    style: 'danger',
  };
  if (poll.style === 'native') {
    // A Discord poll carries no buttons: facilitators close it early with /poll close.
    return {
      content: `**${header}**, ${pollMessageMarker(poll)}. This is a Discord poll: everyone can see who voted for what. Closes ${localTime(closes)} (${localTime(closes, 'relative')}).`,
      poll: {
        question: crux.question,
        answers: pollChoices(crux).map((c) => c.label),
        durationHours: Math.max(1, Math.round((poll.closesAt - poll.createdAt) / 3_600_000)),
      },
    };
  }
  const positions = crux.positions.map(
    (p, i) => `**${positionLetter(i)}. ${literal(p.label)}**: ${literal(p.statement)}`,
  );
  const results =
    poll.hideResults && open ? ['Results are hidden until the poll closes.'] : totalsLines(crux, current);
  const status = open
    ? `Closes ${localTime(closes)} (${localTime(closes, 'relative')}). Your answer is private: others see only the totals. You can change or take it back until then.`
    : `Closed ${localTime(new Date(poll.closedAt ?? poll.closesAt))}.`;
  const voteButtons: Button[] = pollChoices(crux).map((choice, i) => ({
    type: 'button',
    customId: pollVote.id({ p: poll.id, c: choice.id }),
    label: choice.id === UNSURE ? 'Unsure' : `${positionLetter(i)}. ${choice.label}`,
    style: choice.id === UNSURE ? 'secondary' : 'primary',
  }));
  const positionButtons = voteButtons.slice(0, -1);
  const unsure = voteButtons.slice(-1);
  return {
    embeds: [
      {
        author: header,
        description: [`**${literal(crux.question)}**`, '', ...positions, '', ...results, '', status].join(
          '\n',
        ),
        footer: `Crux ${crux.id}${open ? '' : ' · closed'}`,
        color: CRUX_COLOR,
      },
    ],
    components: open ? [positionButtons, [...unsure, mine, close]] : [[mine]],
  };
}

/** One line per choice: bar, count and share. */
export function totalsLines(crux: Crux, current: Tally): string[] {
  if (current.voters === 0) return ['No answers yet.'];
  return [
    ...current.choices.map(
      (c) =>
        `${literal(choiceName(crux, c.id))}: ${bar(c.share)} ${c.count} (${Math.round(c.share * 100)}%)${c.meanCredence !== undefined ? `, ${Math.round(c.meanCredence)}% sure on average` : ''}`,
    ),
    `${current.voters} answer${current.voters === 1 ? '' : 's'} · ${describeAgreement(current.consensus)}`,
  ];
}

function bar(share: number, width = 10): string {
  const filled = Math.round(share * width);
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)}`;
}

/**
 * The private answer to a vote: what was recorded and what it replaced, a menu to say how sure, and a way to
 * take the answer back.
 */
export function voteReply(crux: Crux, poll: PollRecord, outcome: VoteOutcome): Reply {
  switch (outcome.kind) {
    case 'closed':
      return notice(
        'This poll has closed, so answers are no longer taken. `/poll results` shows how it ended.',
      );
    case 'nothing-to-retract':
      return notice('You had not answered this poll; there is nothing to take back.');
    case 'retracted':
      return notice(
        `Your answer is taken back (it was ${describeBallot(crux, outcome.previous)}). You can answer again until the poll closes.`,
      );
    case 'recorded': {
      const { previous, ballot } = outcome;
      const was = !previous
        ? ''
        : previous.choice !== ballot.choice
          ? ` Before, you had ${describeBallot(crux, previous)}.`
          : previous.credence !== undefined && previous.credence !== ballot.credence
            ? ` (Before, ${previous.credence}% sure.)`
            : '';
      return {
        content: `Your answer: ${describeBallot(crux, outcome.ballot)}.${was}${poll.hideResults ? ' Results are hidden until the poll closes.' : ''}`,
        components: [
          ...(outcome.ballot.choice === UNSURE
            ? []
            : [
                [
                  {
                    type: 'select' as const,
                    customId: pollCredence.id({ p: poll.id }),
                    placeholder: 'How sure are you? (optional)',
                    options: CREDENCE_STEPS.map((step) => ({
                      label: `${step}% sure`,
                      value: String(step),
                      ...(outcome.ballot.credence === step ? { default: true } : {}),
                    })),
                  },
                ] as const,
              ]),
          [
            {
              type: 'button',
              customId: pollRetract.id({ p: poll.id }),
              label: 'Take back my answer',
              style: 'secondary',
            },
          ],
        ],
        ephemeral: true,
      };
    }
  }
}

/** A member's own answer to a poll, privately. */
export function myAnswerReply(crux: Crux, poll: PollRecord, userId: string): Reply {
  const ballot = poll.ballots[userId];
  const open = poll.status === 'open';
  return notice(
    ballot
      ? `Your answer${open ? '' : ' when the poll closed'}: ${describeBallot(crux, ballot)}.${open ? ' Press another position to change it.' : ''}`
      : open
        ? 'You have not answered this poll yet. Press a position, or Unsure.'
        : 'You did not answer this poll.',
  );
}

/** The results post after a poll closes: totals in words, the chart, and for an "after" poll the movement. */
export function resultsReply(
  poll: PollRecord,
  crux: Crux,
  final: Tally,
  chart: Attachment | undefined,
  moved?: Movement,
): Reply {
  const movement =
    moved && moved.answeredBoth > 0
      ? [
          '',
          `Of the ${moved.answeredBoth} member${moved.answeredBoth === 1 ? '' : 's'} who answered before and after, ${moved.changed} changed position.`,
          ...moved.net
            .filter((n) => n.points !== 0)
            .map((n) => `${literal(choiceName(crux, n.id))}: ${n.points > 0 ? '+' : ''}${n.points} points`),
        ]
      : [];
  return {
    embeds: [
      {
        author: `Poll closed, ${PHASE_TITLE[poll.phase]}${poll.session ? ` · session ${poll.session}` : ''}`,
        description: [`**${literal(crux.question)}**`, '', ...totalsLines(crux, final), ...movement].join(
          '\n',
        ),
        footer: `Crux ${crux.id} · /positions crux shows how the group moved; /map shows every crux`,
        color: CRUX_COLOR,
        ...(chart ? { image: chart.name } : {}),
      },
    ],
    ...(chart ? { files: [chart] } : {}),
    components: [
      [{ type: 'button', customId: resultsMarkerId(poll.id), label: 'My answer', style: 'secondary' }],
    ],
  };
}

/** /poll list: open polls first, then recent ones, with their ids for /poll close and /poll results. */
export function pollListReply(corpus: Corpus, polls: readonly PollSummary[], now: Date): Reply {
  if (polls.length === 0) return notice('No polls yet. Facilitators open one with `/poll open`.');
  const open = polls.filter((p) => p.status !== 'closed');
  const recent = polls
    .filter((p) => p.status === 'closed')
    .slice(-10)
    .reverse();
  const line = (p: PollSummary) => {
    const question = corpus.cruxById.get(p.cruxId)?.question ?? p.cruxId;
    const when = new Date(p.closesAt);
    const closes =
      p.status === 'closed' ? `closed ${localTime(when, 'date')}` : `closes ${localTime(when, 'relative')}`;
    return `\`${p.id}\` · ${p.phase} · ${closes}\n${literal(question)}`;
  };
  return {
    embeds: [
      {
        title: 'Polls',
        description: [
          open.length > 0 ? '**Open**' : '**No poll is open.**',
          ...open.map(line),
          ...(recent.length > 0 ? ['', '**Recently closed**', ...recent.map(line)] : []),
        ].join('\n'),
        footer: `${polls.length} poll${polls.length === 1 ? '' : 's'} in all · as of ${now.toISOString().slice(0, 10)}`,
        color: CRUX_COLOR,
      },
    ],
    ephemeral: true,
  };
}

/** Said to the facilitator who opened a poll. */
/** Discord did not answer while the poll was posted: it is saved, and recovery posts it (or finds it) once. */
export function pollPendingReply(poll: PollRecord, crux: Crux): Reply {
  return notice(
    `Discord did not answer while I posted the poll on “${literal(crux.question)}” (\`${poll.id}\`). It is saved and will appear in <#${poll.channelId}> within a few minutes; there is no need to open it again.`,
  );
}

export function pollOpenedReply(poll: PollRecord, crux: Crux): Reply {
  const closes = new Date(poll.closesAt);
  return notice(
    [
      `Poll \`${poll.id}\` is open in <#${poll.channelId}> on “${literal(crux.question)}”, until ${localTime(closes)}.`,
      poll.style === 'native'
        ? 'It is a Discord poll: members can see who voted for what. Answers are counted from Discord when it closes.'
        : poll.hideResults
          ? 'Answers are private and the totals stay hidden until it closes.'
          : 'Answers are private; the message shows the totals as they come in.',
      poll.style === 'native'
        ? `Close it early with \`/poll close poll:${poll.id}\`.`
        : 'Close it early with its **Close poll** button or `/poll close`.',
    ].join('\n'),
  );
}

const PROBLEM_TEXT = {
  'message-missing': 'its message was deleted, so it could not show the final result there',
  'channel-missing': 'its channel is gone, so the result could not be posted',
  'no-permission': 'I am not allowed to post in its channel any more, so the result could not be posted',
  rejected: 'Discord refused the result post (the bot’s log has the details)',
} as const;

/** Told to facilitators when a poll closed but something kept its result from the channel. */
export function pollProblemReply(
  poll: PollRecord,
  crux: Crux,
  problem: keyof typeof PROBLEM_TEXT,
  facilitatorRoleId: string | null,
): Reply {
  return {
    content: [
      `${facilitatorRoleId ? `<@&${facilitatorRoleId}> ` : ''}The poll \`${poll.id}\` on “${literal(crux.question)}” in <#${poll.channelId}> has closed, but ${PROBLEM_TEXT[problem]}.`,
      `Every answer is kept: \`/poll results poll:${poll.id}\` shows the result.`,
    ].join('\n'),
    ...(facilitatorRoleId ? { pingRoles: [facilitatorRoleId] } : {}),
  };
}
