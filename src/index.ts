import { startBot } from './app.js';
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
try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const bot = await startBot({ config, logger });
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    bot.stop().then(
      () => {
        logger.flush();
        process.exit(0);
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
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown('the process that started the bot is gone');
  }, PARENT_CHECK_MS).unref();
  // One failed promise somewhere must not take the bot down for every server.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
} catch (error) {
  exitWithError(error);
}
