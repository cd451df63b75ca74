import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { type BarChart, chartAltText } from '../core/charts.js';
import type { Attachment } from '../core/reply.js';

/**
 * Charts are drawn off the main thread, in a small pool of worker threads (piscina), so closing many polls
 * at once never stalls the event loop that answers members (see draw.ts for how a chart is drawn). The
 * pool starts on the first chart and lets its threads go when idle.
 */

/** The worker module: the compiled .js in a build, the .ts source under tsx or vitest. */
const source = import.meta.url.endsWith('.ts');
const WORKER = fileURLToPath(new URL(source ? './draw.ts' : './draw.js', import.meta.url));

let pool: Piscina | undefined;

function workers(): Piscina {
  pool ??= new Piscina({
    filename: WORKER,
    // Leave a core for the main thread; one worker on a 2-core machine.
    maxThreads: Math.max(1, availableParallelism() - 1),
    minThreads: 0,
    idleTimeout: 60_000,
    // The sources run through tsx's loader, as the main thread's do.
    ...(source ? { execArgv: ['--import', 'tsx'] } : {}),
  });
  return pool;
}

/** The chart as a PNG file to attach, with its alt text. */
export async function chartAttachment(chart: BarChart, name: string): Promise<Attachment> {
  const data: Uint8Array = await workers().run(chart);
  return { name, data, description: chartAltText(chart) };
}

/** Ends the chart workers (at shutdown, so they do not keep the process alive). */
export async function closeCharts(): Promise<void> {
  const ending = pool;
  pool = undefined;
  await ending?.destroy();
}
