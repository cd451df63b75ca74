import { createRequire } from 'node:module';
import { type BarChart, chartAltText, chartSpec } from '../core/charts.js';
import type { Attachment } from '../core/reply.js';

/**
 * Renders charts to PNG: Vega-Lite compiles the specification, Vega draws it as SVG, and resvg (Rust,
 * prebuilt for every platform npm serves) rasterises it with a bundled font, so the output is the same on
 * every machine and nothing depends on system fonts or a canvas build.
 */

const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

type Libraries = {
  vega: typeof import('vega');
  vegaLite: typeof import('vega-lite');
  Resvg: typeof import('@resvg/resvg-js').Resvg;
};
let libraries: Promise<Libraries> | undefined;

/** Loaded on first use: they add a few hundred milliseconds to start-up that most runs never need. */
function load(): Promise<Libraries> {
  libraries ??= Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]).then(
    ([vega, vegaLite, resvg]) => ({ vega, vegaLite, Resvg: resvg.Resvg }),
  );
  return libraries;
}

/** The chart as an SVG document. */
export async function chartSvg(chart: BarChart): Promise<string> {
  const { vega, vegaLite } = await load();
  const compiled = vegaLite.compile(chartSpec(chart) as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The chart as a PNG file to attach, with its alt text. */
export async function chartAttachment(chart: BarChart, name: string): Promise<Attachment> {
  const { Resvg } = await load();
  const svg = await chartSvg(chart);
  const png = new Resvg(svg, {
    font: { fontFiles: [FONT], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: 2 },
  })
    .render()
    .asPng();
  return { name, data: new Uint8Array(png), description: chartAltText(chart) };
}
