import { pino } from 'pino';
import type { LogLevel } from './config.js';

/** The bot's structured logger (JSON lines; pipe through `npx pino-pretty` to read them comfortably). */
export type Logger = pino.Logger;

export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { app: 'crux' } });
}

/** A logger that discards everything, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
