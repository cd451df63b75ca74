import { ConfigError } from '../config.js';
import { CorpusError } from '../core/corpus/read.js';
import { StateUnavailableError } from '../state/index.js';

/**
 * Ends a command-line entry point after an error. Problems a person can fix (configuration, corpus, a
 * rejected token) print as plain sentences with exit code 1; anything else prints its stack, since it is a bug.
 */
export function exitWithError(error: unknown): never {
  if (
    error instanceof ConfigError ||
    error instanceof CorpusError ||
    error instanceof StateUnavailableError
  ) {
    console.error(error.message);
  } else if (isRejectedToken(error)) {
    console.error(
      'Discord rejected DISCORD_TOKEN. Copy a fresh token from the Developer Portal (Bot → Reset Token) into .env.',
    );
  } else {
    console.error(error);
  }
  process.exit(1);
}

function isRejectedToken(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (('code' in error && error.code === 'TokenInvalid') || ('status' in error && error.status === 401))
  );
}
