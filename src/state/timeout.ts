/**
 * Every call to a store goes through `storeCall`, so a store that is down, restarting or hung fails the
 * call in a bounded time with a `StorageError` the rest of the bot can tell apart from a bug: members are
 * told plainly that their request was not saved, and scheduled work tries again later.
 */

/** A store could not be used for a call: unreachable, restarting, refusing, or too slow. */
export class StorageError extends Error {
  override name = 'StorageError';
}

/** A storage call that took too long; the interaction fails with a plain answer instead of hanging. */
export class StorageTimeoutError extends StorageError {
  override name = 'StorageTimeoutError';
}

/** Runs a store call: a `StorageTimeoutError` when it has not settled within `ms`, a `StorageError` when it fails. */
export async function storeCall<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageTimeoutError(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw new StorageError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
