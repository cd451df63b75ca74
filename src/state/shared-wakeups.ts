import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ownsGuild, type ShardSet } from '../core/shards.js';
import { createOnce } from './postgres.js';
import type { RedisConnection } from './redis.js';
import { storeCall } from './timeout.js';
import type { WakeUp, WakeUpIndex } from './wakeups.js';

/**
 * The wake-up index on a store several processes share, in the store's own ordered structure, so a tick
 * asks only for what is due (an idle tick is one indexed lookup, whatever is stored) and `add` and `done`
 * touch only their own entries: processes adding and clearing at once cannot lose each other's hints.
 */

const TIMEOUT_MS = 5000;

/** A sorted set scored by due time; members are `guildId:hintId`. */
export class RedisWakeUps implements WakeUpIndex {
  readonly #redis: RedisConnection;
  readonly #key: string;

  constructor(redis: RedisConnection, key = 'crux:wakeups') {
    this.#redis = redis;
    this.#key = key;
  }

  async add(guildId: string, at: Date): Promise<void> {
    const client = await this.#redis();
    await storeCall(
      client.zAdd(this.#key, { score: at.getTime(), value: `${guildId}:${randomUUID()}` }),
      TIMEOUT_MS,
      'writing a wake-up',
    );
  }

  async due(now: Date, shards?: ShardSet): Promise<WakeUp[]> {
    const client = await this.#redis();
    const entries = await storeCall(
      client.zRangeWithScores(this.#key, '-inf', now.getTime(), { BY: 'SCORE' }),
      TIMEOUT_MS,
      'reading wake-ups',
    );
    // Hints of other processes' servers are due for them, not for this one: left where they are.
    return entries
      .map(({ value, score }) => {
        const [guildId = '', id = ''] = value.split(':');
        return { id, guildId, at: score };
      })
      .filter((hint) => !shards || ownsGuild(shards, hint.guildId));
  }

  async done(handled: readonly WakeUp[]): Promise<void> {
    if (handled.length === 0) return;
    const client = await this.#redis();
    await storeCall(
      client.zRem(
        this.#key,
        handled.map((hint) => `${hint.guildId}:${hint.id}`),
      ),
      TIMEOUT_MS,
      'clearing wake-ups',
    );
  }
}

/** Rows of `crux_wakeups`, indexed by due time; a tick selects only its own shards' rows. */
export class PostgresWakeUps implements WakeUpIndex {
  readonly #pool: pg.Pool;
  readonly #table: string;
  readonly #ensureTable: () => Promise<void>;

  constructor(pool: pg.Pool, table = 'crux_wakeups') {
    if (!/^[a-z_][a-z0-9_]*$/u.test(table)) throw new RangeError(`not a table name: ${table}`);
    this.#pool = pool;
    this.#table = table;
    this.#ensureTable = createOnce(
      pool,
      `CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, guild_id TEXT NOT NULL, at BIGINT NOT NULL);
       CREATE INDEX IF NOT EXISTS ${table}_at ON ${table} (at)`,
    );
  }

  async add(guildId: string, at: Date): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#table} (id, guild_id, at) VALUES ($1, $2, $3)`,
      [randomUUID(), guildId, at.getTime()],
      'writing a wake-up',
    );
  }

  async due(now: Date, shards?: ShardSet): Promise<WakeUp[]> {
    // The shard is computed as Discord does, (id >> 22) % count, so other processes' rows are not read.
    const result = shards
      ? await this.#query(
          `SELECT id, guild_id, at FROM ${this.#table}
           WHERE at <= $1 AND ((guild_id::bigint >> 22) % $2) = ANY($3::int[]) ORDER BY at`,
          [now.getTime(), shards.count, shards.ids],
          'reading wake-ups',
        )
      : await this.#query(
          `SELECT id, guild_id, at FROM ${this.#table} WHERE at <= $1 ORDER BY at`,
          [now.getTime()],
          'reading wake-ups',
        );
    return result.rows.map((row: { id: string; guild_id: string; at: string }) => ({
      id: row.id,
      guildId: row.guild_id,
      at: Number(row.at),
    }));
  }

  async done(handled: readonly WakeUp[]): Promise<void> {
    if (handled.length === 0) return;
    await this.#query(
      `DELETE FROM ${this.#table} WHERE id = ANY($1::text[])`,
      [handled.map((hint) => hint.id)],
      'clearing wake-ups',
    );
  }

  async #query(sql: string, values: unknown[], what: string): Promise<pg.QueryResult> {
    await storeCall(this.#ensureTable(), TIMEOUT_MS, 'preparing the wake-up table');
    return storeCall(this.#pool.query(sql, values), TIMEOUT_MS, what);
  }
}
