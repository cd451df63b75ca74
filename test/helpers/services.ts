import { connect } from 'node:net';

/**
 * Redis and PostgreSQL run on every machine of this project, CI included (.ci/run sets
 * CRUX_REQUIRE_SERVICES so their absence fails there); elsewhere their tests are skipped when nothing listens.
 */
const required = process.env.CRUX_REQUIRE_SERVICES === '1';

const listening = async (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

/** Whether each shared server can be used by the tests on this machine. */
export const available = {
  redis: required || (await listening(6379)),
  postgres: required || (await listening(5432)),
};

/** The shared servers' URLs. */
export const REDIS_URL = 'redis://127.0.0.1:6379';
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Fresh Discord-like ids per run, so the shared servers never see a previous run's keys. */
let nextId = Date.now() * 1000;
export const newGuildId = (): string => String(nextId++);
