import { startBot } from './app.js';
import { exitWithError } from './cli/fail.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

/** `npm start`: run the bot until it is told to stop. */
try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const bot = await startBot({ config, logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  // One failed promise somewhere must not take the bot down for every server.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
} catch (error) {
  exitWithError(error);
}
