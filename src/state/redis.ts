import { createClient } from '@keyv/redis';

/** A connected Redis client, connecting on first use (and again after a failed attempt). */
export type RedisConnection = () => Promise<RedisClient>;
export type RedisClient = ReturnType<typeof newClient>;

const newClient = (url: string) =>
  createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 5000 } });

/**
 * One Redis connection for what Keyv cannot express (leases, the wake-up index). Commands fail fast while
 * Redis is down instead of queueing until it returns, as the Keyv stores do.
 */
export function redisConnection(
  url: string,
  onError: (error: unknown) => void,
): { readonly connect: RedisConnection; readonly close: () => Promise<void> } {
  const client = newClient(url);
  client.on('error', onError);
  let connected: Promise<unknown> | undefined;
  return {
    async connect() {
      connected ??= client.connect().catch((error: unknown) => {
        connected = undefined;
        throw error;
      });
      await connected;
      return client;
    },
    async close() {
      if (client.isOpen) await client.close().catch(() => undefined);
    },
  };
}
