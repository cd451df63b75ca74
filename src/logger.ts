import { pino } from 'pino';
import type { LogLevel } from './config.js';

/** The bot's structured logger (JSON lines; pipe through `npx pino-pretty` to read them comfortably). */
export type Logger = pino.Logger;

/**
 * Logs go to stdout through an asynchronous destination: a slow reader of the logs (a pipe to pino-pretty, a
 * busy log shipper) must never stall the bot, as a synchronous write to a full pipe does. Lines are buffered
 * and written as the reader takes them, up to `LOG_BUFFER_MAX_BYTES`; past that, new lines are dropped
 * rather than let a reader that stopped grow the bot's memory without end. `flush` (called at shutdown)
 * writes what is left. No minimum batch: a quiet bot's lines ("waiting for shards…") must show at once, and
 * while one write is in flight the lines that follow are batched anyway.
 */
export function createLogger(level: LogLevel): Logger {
  return pino(
    { level, base: { app: 'crux' } },
    pino.destination({ dest: 1, sync: false, minLength: 0, maxLength: LOG_BUFFER_MAX_BYTES }),
  );
}

/** The most log output held in memory for a reader that has fallen behind. */
const LOG_BUFFER_MAX_BYTES = 16 * 1024 * 1024;

/** A logger that keeps every entry in memory, for tests that check what was logged and at which level. */
export function recordingLogger(): {
  readonly logger: Logger;
  readonly entries: { level: number; msg: string; err?: { type: string; message: string } }[];
} {
  const entries: { level: number; msg: string; err?: { type: string; message: string } }[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        const { level, msg, err } = JSON.parse(line) as {
          level: number;
          msg: string;
          err?: { type: string; message: string };
        };
        entries.push({ level, msg, ...(err ? { err: { type: err.type, message: err.message } } : {}) });
      },
    },
  );
  return { logger, entries };
}

/** A logger that discards everything, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
