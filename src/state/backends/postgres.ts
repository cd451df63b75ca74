import type { KeyvStoreAdapter } from 'keyv';
import { AtomicKeyv, postgresSwap } from '../atomic.js';
import { PostgresLocks } from '../locks.js';
import { PostgresStore, postgresPool } from '../postgres.js';
import { PostgresWakeUps } from '../shared-wakeups.js';
import type { Backend } from './backend.js';

/** PostgreSQL, shared by several processes: one pool for every namespace, leases and the wake-up index. */
export function postgresBackend(url: string, onError: (error: unknown) => void): Backend {
  const pool = postgresPool(url, onError);
  const locks = new PostgresLocks(pool);
  return {
    shared: true,
    open(options) {
      const store = new PostgresStore(pool);
      return new AtomicKeyv({ ...options, store: store as unknown as KeyvStoreAdapter }, postgresSwap(store));
    },
    locks: () => locks,
    wakeUps: () => new PostgresWakeUps(pool),
    check: async () => undefined,
    close: () => pool.end().catch(() => undefined),
  };
}
