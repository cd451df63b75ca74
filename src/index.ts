import { type Bot, startBot } from './app.js';
import { exitWithError } from './cli/fail.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

/** How often the bot checks that the process that started it is still there. */
const PARENT_CHECK_MS = 1000;

/**
 * `npm start` (and `node dist/src/index.js`): run the bot until it is told to stop. Run under npm, the bot is
 * npm's child: a signal npm receives is passed on, but a SIGKILL to npm cannot be, so the bot also stops
 * when its parent is gone. Otherwise a supervisor that restarts "the bot" after killing npm would leave two
 * bots connected. Process managers should run `node dist/src/index.js` themselves (see the README).
 */
// Taken first: if the parent is gone while the bot is still starting, the check below still sees it.
const parent = process.ppid;
try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  let stopping = false;
  let bot: Bot | undefined;
  const shutdown = (reason: string, code = 0): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    if (!bot) {
      // Still starting (waiting for shards another process holds): nothing runs yet, so nothing to stop.
      logger.flush();
      process.exit(code);
    }
    bot.stop().then(
      () => {
        logger.flush();
        process.exit(code);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        logger.flush();
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  setInterval(() => {
    if (process.ppid !== parent) shutdown('the process that started the bot is gone');
  }, PARENT_CHECK_MS).unref();
  // Another process runs one of this one's shards now: stop, and exit with a failure so a supervisor
  // restarts the process (which then waits for its shards).
  bot = await startBot({ config, logger, onShardLost: () => shutdown('lost a shard lease', 1) });
  // One failed promise somewhere must not take the bot down for every server.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
} catch (error) {
  exitWithError(error);
}
