/**
 * Charts as plain data: a horizontal bar chart with one or more series, turned into a Vega-Lite
 * specification (rendered to PNG by src/charts) and into alt text that says what the picture shows, so a
 * reply works for members who cannot see images.
 */

/** One labelled row of bars, one value per series. */
export interface BarRow {
  readonly label: string;
  readonly values: readonly number[];
}

export interface BarChart {
  /** Said first in the alt text and drawn above the chart. */
  readonly title: string;
  /** One name per value in each row: ["Votes"], or ["Before", "After"]. */
  readonly series: readonly string[];
  readonly rows: readonly BarRow[];
  /** How values read: a count of votes, or a percentage. */
  readonly unit: 'votes' | 'percent';
  /** The axis maximum, when it is fixed (100 for percentages). */
  readonly max?: number;
}

/** Colours that stay apart for common colour blindness (Okabe–Ito), one per series. */
const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7'] as const;
const LABEL_CHARS = 48;

/** "12 votes", "1 vote", "40%". */
export function formatValue(value: number, unit: BarChart['unit']): string {
  if (unit === 'percent') return `${Math.round(value)}%`;
  return `${value} vote${value === 1 ? '' : 's'}`;
}

/** Alt text: the title, then each row with its values, in order. */
export function chartAltText(chart: BarChart): string {
  const rows = chart.rows.map((row) => {
    const values = row.values.map((value, i) =>
      chart.series.length > 1
        ? `${chart.series[i]} ${formatValue(value, chart.unit)}`
        : formatValue(value, chart.unit),
    );
    return `${row.label}: ${values.join(', ')}`;
  });
  const title = /[.?!]$/u.test(chart.title) ? chart.title : `${chart.title}.`;
  return `Bar chart. ${title} ${rows.join('; ')}.`;
}

/** A Vega-Lite specification of the chart: one row per label, bars side by side per series. */
export function chartSpec(chart: BarChart): Record<string, unknown> {
  const values = chart.rows.flatMap((row) =>
    row.values.map((value, i) => ({
      label: shorten(row.label),
      series: chart.series[i] ?? '',
      value,
      text: formatValue(value, chart.unit),
    })),
  );
  const grouped = chart.series.length > 1;
  const xDomain = chart.max !== undefined ? { domain: [0, chart.max] } : {};
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: wrap(chart.title, 70), anchor: 'start', fontSize: 15 },
    width: 480,
    background: '#ffffff',
    padding: 16,
    data: { values },
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        sort: chart.rows.map((row) => shorten(row.label)),
        title: null,
        axis: { labelLimit: 420, labelFontSize: 12 },
      },
      ...(grouped ? { yOffset: { field: 'series', sort: [...chart.series] } } : {}),
    },
    layer: [
      {
        mark: { type: 'bar', height: { band: grouped ? 0.45 : 0.7 } },
        encoding: {
          x: {
            field: 'value',
            type: 'quantitative',
            title: chart.unit === 'percent' ? 'Share of voters (%)' : 'Votes',
            scale: xDomain,
            axis: { tickMinStep: 1 },
          },
          color: {
            field: 'series',
            type: 'nominal',
            scale: { domain: [...chart.series], range: SERIES_COLOURS.slice(0, chart.series.length) },
            legend: grouped ? { orient: 'bottom', title: null } : null,
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 },
        encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
    config: { font: 'DejaVu Sans', view: { stroke: null } },
  };
}

function shorten(label: string): string {
  return label.length <= LABEL_CHARS ? label : `${label.slice(0, LABEL_CHARS - 1).trimEnd()}…`;
}

/** Splits a title into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/u)) {
    if (line && `${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.slice(0, 4);
}
