import KeyvRedis from '@keyv/redis';
import type { KeyvStoreAdapter } from 'keyv';
import { AtomicKeyv, redisSwap } from '../atomic.js';
import { RedisLocks } from '../locks.js';
import { redisConnection } from '../redis.js';
import { RedisWakeUps } from '../shared-wakeups.js';
import type { Backend } from './backend.js';

/**
 * Redis, shared by several processes. Each namespace gets its own Keyv adapter (a shared one would prefix
 * keys with whichever namespace opened last); leases and the wake-up index share one more connection.
 */
export function redisBackend(url: string, onError: (error: unknown) => void): Backend {
  const connection = redisConnection(url, onError);
  const locks = new RedisLocks(connection.connect);
  return {
    shared: true,
    open(options) {
      // Fail fast when Redis is down instead of queueing commands until it returns.
      const store = new KeyvRedis(
        { url, disableOfflineQueue: true, socket: { connectTimeout: 5000 } },
        { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: 5000 },
      );
      return new AtomicKeyv({ ...options, store: store as unknown as KeyvStoreAdapter }, redisSwap(store));
    },
    locks: () => locks,
    wakeUps: () => new RedisWakeUps(connection.connect),
    check: async () => undefined,
    close: () => connection.close(),
  };
}
