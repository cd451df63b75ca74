import { mkdirSync } from 'node:fs';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import { LocalLocks } from '../locks.js';
import { SqliteWakeUps } from '../sqlite-wakeups.js';
import { WakeUps } from '../wakeups.js';
import type { Backend } from './backend.js';

/** Keyv's in-memory Map: nothing persists; for tests and trying things out. */
export function memoryBackend(): Backend {
  const locks = new LocalLocks();
  return {
    shared: false,
    open: (options) => new Keyv(options),
    locks: () => locks,
    wakeUps: (open) => new WakeUps(open('wakeups')),
    check: async () => undefined,
    close: () => locks.close(),
  };
}

/**
 * The embedded SQLite file (the default), held by one process. Every namespace shares one connection: keys
 * are `namespace:key` in one table, and one connection is what lets the file be held exclusively.
 */
export function sqliteBackend(url: string): Backend {
  const file = url.slice('sqlite://'.length);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // The one-argument form: `new KeyvSqlite(uri, options)` ignores its options.
  const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 2000 });
  const locks = new LocalLocks();
  return {
    shared: false,
    open: (options) => new Keyv({ ...options, store: store as unknown as KeyvStoreAdapter }),
    locks: () => locks,
    wakeUps: () => new SqliteWakeUps(store),
    check: () => holdExclusively(store, file),
    close: () => locks.close(),
  };
}

/**
 * Takes the SQLite file for this process alone, and makes writes cheap.
 *
 * - WAL lets reads run during a write. `synchronous=NORMAL` under WAL syncs at checkpoints rather than on
 *   every commit: a power cut or an OS crash (not a crash of the bot) can lose the last commits, never
 *   corrupt the file.
 * - `locking_mode=EXCLUSIVE` keeps the file's lock once taken: a second Crux on the same file (which would
 *   double-post, as the in-process queues are not shared) fails here with a clear message instead.
 */
async function holdExclusively(store: KeyvSqlite, file: string): Promise<void> {
  try {
    await store.query('PRAGMA locking_mode=EXCLUSIVE');
    await store.query('PRAGMA journal_mode=WAL');
    await store.query('PRAGMA synchronous=NORMAL');
    // A write takes the lock now, rather than at the first change.
    await store.query('BEGIN IMMEDIATE');
    await store.query('COMMIT');
  } catch (error) {
    if (/SQLITE_BUSY|locked/iu.test(String(error))) {
      throw new Error(
        `another process is using ${file}: the embedded SQLite file serves one Crux process. Stop the other one, or to run several use Redis or PostgreSQL (see "Scaling out" in the README)`,
      );
    }
    throw error;
  }
}
