import { createRequire } from 'node:module';
import { type BarChart, chartSpec } from '../core/charts.js';

/**
 * Draws charts: Vega-Lite compiles the specification, Vega draws it as SVG, and resvg (Rust, prebuilt for
 * every platform npm serves) rasterises it with a bundled font, so the output is the same on every machine
 * and nothing depends on system fonts or a canvas build. This runs in the chart workers (render.ts): resvg's
 * `render()` is synchronous and Vega's layout is CPU work, either of which would hold up every member's
 * interaction if it ran on the main thread.
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

/** The chart as PNG bytes, at twice its layout size for sharp text. */
export async function chartPng(chart: BarChart): Promise<Uint8Array> {
  const { Resvg } = await load();
  const svg = await chartSvg(chart);
  const png = new Resvg(svg, {
    font: { fontFiles: [FONT], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: 2 },
  })
    .render()
    .asPng();
  return new Uint8Array(png);
}

/** The worker's task: piscina calls the default export with what `render.ts` sends. */
export default function draw(chart: BarChart): Promise<Uint8Array> {
  return chartPng(chart);
}
