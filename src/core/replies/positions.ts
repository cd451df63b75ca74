import type { Corpus } from '../corpus/types.js';
import { literal } from '../format.js';
import type { MapEntry, MemberPosition, Movement } from '../polls/positions.js';
import { describeAgreement, type Tally } from '../polls/tally.js';
import { type Attachment, CRUX_COLOR, notice, type Reply } from '../reply.js';
import { choiceName, describeBallot } from './poll.js';

/** Replies about positions over time: a member's own, a crux's movement, and the group's crux map. */

/** /positions me: each crux the member answered, before and after, privately. */
export function myPositionsReply(positions: readonly MemberPosition[]): Reply {
  if (positions.length === 0)
    return notice(
      'You have not answered any position poll yet. Polls appear with each session, or when a facilitator opens one.',
    );
  const moved = positions.filter((p) => p.moved).length;
  const both = positions.filter((p) => p.moved !== undefined).length;
  const blocks = positions.map(({ crux, before, after, moved: changed }) =>
    [
      `**${literal(crux.question)}**`,
      `Before: ${before ? describeBallot(crux, before) : '—'} · After: ${after ? describeBallot(crux, after) : '—'}`,
      changed === undefined ? undefined : changed ? '↳ You changed position.' : '↳ You held your position.',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return {
    embeds: [
      {
        title: 'Your positions',
        description: [
          `You answered ${positions.length} crux${positions.length === 1 ? '' : 'es'}${both > 0 ? `; of the ${both} you answered before and after, you changed position on ${moved}` : ''}.`,
          ...blocks,
        ].join('\n\n'),
        footer: 'Only you see this. /data delete-me deletes your answers.',
        color: CRUX_COLOR,
      },
    ],
    ephemeral: true,
  };
}

function distribution(crux: Movement['crux'], tally: Tally): string {
  if (tally.voters === 0) return 'no answers';
  return tally.choices
    .filter((c) => c.count > 0)
    .map((c) => `${literal(choiceName(crux, c.id))} ${Math.round(c.share * 100)}%`)
    .join(' · ');
}

/** /positions crux: the group before and after, the net movement and the voters, with a chart. */
export function movementReply(moved: Movement, chart: Attachment | undefined): Reply {
  const { crux } = moved;
  if (moved.voters === 0)
    return notice(
      'Nobody has answered a poll on this crux yet, or its results are still hidden. `/poll open` starts one.',
    );
  const net = moved.net.filter((n) => n.points !== 0);
  return {
    embeds: [
      {
        author: `Positions on crux ${crux.id}`,
        description: [
          `**${literal(crux.question)}**`,
          '',
          `**Before** (${moved.before.voters}): ${distribution(crux, moved.before)}`,
          `**After** (${moved.after.voters}): ${distribution(crux, moved.after)}`,
          '',
          moved.answeredBoth > 0
            ? `${moved.voters} members answered; ${moved.answeredBoth} answered both before and after, and ${moved.changed} of them changed position.`
            : `${moved.voters} member${moved.voters === 1 ? '' : 's'} answered; nobody has answered both before and after yet.`,
          ...(moved.before.voters > 0 && moved.after.voters > 0 && net.length > 0
            ? [
                'Net movement: ' +
                  net
                    .map(
                      (n) =>
                        `${literal(choiceName(crux, n.id))} ${n.points > 0 ? '+' : ''}${n.points} points`,
                    )
                    .join(' · '),
              ]
            : []),
        ].join('\n'),
        footer: 'Counts only polls whose results are shown; a member’s latest answer in each phase counts.',
        color: CRUX_COLOR,
        ...(chart ? { image: chart.name } : {}),
      },
    ],
    ...(chart ? { files: [chart] } : {}),
  };
}

/** /map: every answered crux from consensus to divided, and where members changed their minds. */
export function mapReply(
  corpus: Corpus,
  map: { readonly entries: readonly MapEntry[]; readonly mostChanged: readonly MapEntry[] },
  chart: Attachment | undefined,
): Reply {
  if (map.entries.length === 0)
    return notice('The crux map fills in as the group answers position polls. None has answers yet.');
  const line = (e: MapEntry) => {
    const lead = e.now.leading.map((c) => choiceName(e.crux, c.id)).join(' / ');
    return `**${Math.round((e.now.consensus ?? 0) * 100)}%** ${describeAgreement(e.now.consensus)} · ${e.now.voters} voter${e.now.voters === 1 ? '' : 's'} · \`${e.crux.id}\`\n${literal(e.crux.question)}${lead ? `\n↳ leading: ${literal(lead)}` : ''}`;
  };
  return {
    embeds: [
      {
        title: 'The group’s crux map',
        description: [
          'From where the group agrees most to where it is most divided (agreement: 100% when everyone who took a side took the same one, 0% for an even split).',
          ...map.entries.slice(0, 12).map(line),
          ...(map.entries.length > 12 ? [`…and ${map.entries.length - 12} more.`] : []),
        ].join('\n\n'),
        fields:
          map.mostChanged.length > 0
            ? [
                {
                  name: 'Where members changed their minds',
                  value: map.mostChanged
                    .map((e) => `${e.changed} of ${e.answeredBoth} · ${literal(e.crux.question)}`)
                    .join('\n'),
                },
              ]
            : [],
        footer: `${corpus.cruxes.length} cruxes in the reading list · /positions crux shows one in detail`,
        color: CRUX_COLOR,
        ...(chart ? { image: chart.name } : {}),
      },
    ],
    ...(chart ? { files: [chart] } : {}),
  };
}
