import { connect } from 'node:net';
import { createClient } from '@keyv/redis';
import pg from 'pg';

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

/** A store of its own, emptied for a test or a benchmark, and how to drop it afterwards. */
export interface FreshStore {
  readonly url: string;
  drop(): Promise<void>;
}

/** A Redis database (`database` 1–15, one per test file, so files never share keys), flushed now and after. */
export async function freshRedis(database: number): Promise<FreshStore> {
  const url = `redis://127.0.0.1:6379/${database}`;
  const client = createClient({ url });
  await client.connect();
  await client.flushDb();
  return {
    url,
    async drop() {
      await client.flushDb();
      await client.close();
    },
  };
}

/** A PostgreSQL database made now (named `name` and this process), dropped after. */
export async function freshPostgres(name: string): Promise<FreshStore> {
  const database = `${name}_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  return {
    url: POSTGRES_URL.replace(/\/test$/u, `/${database}`),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}
