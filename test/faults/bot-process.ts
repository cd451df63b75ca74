import { startBot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

/**
 * The bot as a process of its own, for the fault suite: the same `startBot` as `npm start`, configured from
 * the environment, with its clock and its scheduler's ticks driven by the test over IPC, so a test can kill
 * it with SIGKILL and start another on the same state.
 *
 * Messages in: { type: 'tick', now } sets the clock and ticks (answered { type: 'ticked', now, report } or
 * { type: 'ticked', now, error }), and { type: 'clock', now } only sets it. Out: { type: 'ready' } once
 * connected with its commands checked.
 */
let now = Number(process.env.CRUX_TEST_NOW ?? Date.now());
const config = loadConfig();
const logger = createLogger(config.logLevel);
const bot = await startBot({
  config,
  logger,
  clock: () => new Date(now),
  tickIntervalMs: 0,
  onShardLost: () => process.exit(1),
});
await bot.ready;
process.on('message', (message: { type: string; now: number }) => {
  now = message.now;
  if (message.type !== 'tick') return;
  const at = message.now;
  void bot.scheduler.tick().then(
    (report) => process.send?.({ type: 'ticked', now: at, report }),
    (error: unknown) => process.send?.({ type: 'ticked', now: at, error: String(error) }),
  );
});
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
// As `npm start` does: stop cleanly (shards' leases released) on a supervisor's SIGTERM.
process.once('SIGTERM', () => {
  void bot.stop().then(() => process.exit(0));
});
process.send?.({ type: 'ready' });
