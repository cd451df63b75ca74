import { pino } from 'pino';
import type { LogLevel } from './config.js';

/** The bot's structured logger (JSON lines; pipe through `npx pino-pretty` to read them comfortably). */
export type Logger = pino.Logger;

export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { app: 'crux' } });
}

/** A logger that keeps every entry in memory, for tests that check what was logged and at which level. */
export function recordingLogger(): {
  readonly logger: Logger;
  readonly entries: { level: number; msg: string }[];
} {
  const entries: { level: number; msg: string }[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        const { level, msg } = JSON.parse(line) as { level: number; msg: string };
        entries.push({ level, msg });
      },
    },
  );
  return { logger, entries };
}

/** A logger that discards everything, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
