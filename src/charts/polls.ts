import type { BarChart } from '../core/charts.js';
import type { Crux } from '../core/corpus/types.js';
import type { MapEntry, Movement } from '../core/polls/positions.js';
import type { Tally } from '../core/polls/tally.js';
import { choiceName } from '../core/replies/poll.js';
import type { Attachment } from '../core/reply.js';
import { chartAttachment } from './render.js';

/** The charts of polls, positions and the crux map, as attachments with alt text. */

/** A closed poll's result: votes per choice; for an "after" poll with a "before" to compare, both as shares. */
export function resultsChart(crux: Crux, final: Tally, moved?: Movement): Promise<Attachment> {
  if (moved && moved.before.voters > 0) return movementChart(moved);
  const chart: BarChart = {
    title: crux.question,
    series: ['Votes'],
    unit: 'votes',
    rows: final.choices.map((c) => ({ label: choiceName(crux, c.id), values: [c.count] })),
  };
  return chartAttachment(chart, `poll-${crux.id}.png`);
}

/** Before and after, as shares of each phase's voters. */
export function movementChart(moved: Movement): Promise<Attachment> {
  const chart: BarChart = {
    title: moved.crux.question,
    series: ['Before', 'After'],
    unit: 'percent',
    max: 100,
    rows: moved.before.choices.map((c, i) => ({
      label: choiceName(moved.crux, c.id),
      values: [Math.round(c.share * 100), Math.round((moved.after.choices[i]?.share ?? 0) * 100)],
    })),
  };
  return chartAttachment(chart, `positions-${moved.crux.id}.png`);
}

/** The crux map: agreement per crux, most agreed first. */
export function mapChart(entries: readonly MapEntry[]): Promise<Attachment> {
  const chart: BarChart = {
    title: 'Where the group agrees (100%) and where it is divided (0%)',
    series: ['Agreement'],
    unit: 'percent',
    max: 100,
    rows: entries.map((e) => ({
      label: `${e.crux.id} (${e.now.voters})`,
      values: [Math.round((e.now.consensus ?? 0) * 100)],
    })),
  };
  return chartAttachment(chart, 'crux-map.png');
}
