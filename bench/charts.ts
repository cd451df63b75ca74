import { setTimeout as sleep } from 'node:timers/promises';
import { chartPng } from '../src/charts/draw.js';
import { chartAttachment, closeCharts } from '../src/charts/render.js';
import type { BarChart } from '../src/core/charts.js';

/**
 * `npm run bench:charts`: what drawing many results charts at once (1,000 weekly polls closing in the same
 * minute) does to the event loop that answers members. Times N results charts drawn concurrently, once on
 * the main thread (how Crux drew them before) and once through the chart workers (how it draws them now),
 * in the same run, and reports the event loop's worst delay while each ran (how late a 10 ms timer fired).
 * Target (issue 12): ≤ 50 ms of lag.
 */
const CHARTS = Number(process.argv[2] ?? 200);

const chart = (i: number): BarChart => ({
  title: `Does the persona selection model scale to superintelligence? (poll ${i})`,
  series: ['Votes'],
  unit: 'votes',
  rows: ['It holds', 'It breaks down', 'Too early to tell', 'Unsure'].map((label, j) => ({
    label,
    values: [(i * 7 + j * 3) % 17],
  })),
});

/**
 * How late a 10 ms timer fires, sample by sample: the time a member's interaction would wait. (perf_hooks'
 * monitorEventLoopDelay records nothing while the loop is blocked from start to end, so it cannot be used.)
 */
function lagProbe(): { stop(): { max: number; p99: number } } {
  const lags: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lags.push(Math.max(0, now - last - 10));
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      // The wait that ends at the stop counts too: a loop blocked to the end fired no timer at all.
      lags.push(Math.max(0, performance.now() - last - 10));
      const sorted = [...lags].sort((a, b) => a - b);
      return { max: sorted.at(-1) ?? 0, p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0 };
    },
  };
}

async function measure(what: string, draw: (i: number) => Promise<unknown>) {
  // Warm up (loads Vega and resvg) outside the measurement.
  await draw(-1);
  await sleep(50);
  const lag = lagProbe();
  const started = performance.now();
  await Promise.all(Array.from({ length: CHARTS }, (_, i) => draw(i)));
  const seconds = (performance.now() - started) / 1000;
  const lags = lag.stop();
  return { what, seconds, perChartMs: (seconds * 1000) / CHARTS, maxLagMs: lags.max, p99LagMs: lags.p99 };
}

const main = await measure('main thread', (i) => chartPng(chart(i)));
const workers = await measure('chart workers', (i) => chartAttachment(chart(i), `poll-${i}.png`));
await closeCharts();

console.warn(`${CHARTS} results charts drawn at once (${new Date().toISOString()})`);
console.warn('| Where | Total | Per chart | Event-loop lag, worst (p99) |');
console.warn('|---|---|---|---|');
for (const row of [main, workers])
  console.warn(
    `| ${row.what} | ${row.seconds.toFixed(1)} s | ${row.perChartMs.toFixed(1)} ms | ${row.maxLagMs.toFixed(0)} ms (${row.p99LagMs.toFixed(0)} ms) |`,
  );
