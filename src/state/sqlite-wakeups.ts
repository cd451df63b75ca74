import { randomUUID } from 'node:crypto';
import type KeyvSqlite from '@keyv/sqlite';
import { ownsGuild, type ShardSet } from '../core/shards.js';
import { storeCall } from './timeout.js';
import type { WakeUp, WakeUpIndex } from './wakeups.js';

/**
 * The wake-up index in the SQLite file, as a table indexed by due time beside Keyv's, on the same
 * connection: an idle tick is one indexed lookup whatever is stored, and adding a hint inserts one row
 * (the Keyv hour buckets rewrote a whole slot list, which grew with every server meeting in that hour).
 */

const TIMEOUT_MS = 5000;
/** SQLite's default limit on a statement's parameters is 999 in older builds. */
const DELETE_BATCH = 500;

export class SqliteWakeUps implements WakeUpIndex {
  readonly #store: KeyvSqlite;
  #created: Promise<void> | undefined;

  constructor(store: KeyvSqlite) {
    this.#store = store;
  }

  async add(guildId: string, at: Date): Promise<void> {
    await this.#query(
      'INSERT INTO crux_wakeups (id, guild_id, at) VALUES (?, ?, ?)',
      [randomUUID(), guildId, at.getTime()],
      'writing a wake-up',
    );
  }

  async due(now: Date, shards?: ShardSet): Promise<WakeUp[]> {
    const rows = await this.#query(
      'SELECT id, guild_id, at FROM crux_wakeups WHERE at <= ? ORDER BY at',
      [now.getTime()],
      'reading wake-ups',
    );
    return rows
      .map((row) => ({ id: String(row.id), guildId: String(row.guild_id), at: Number(row.at) }))
      .filter((hint) => !shards || ownsGuild(shards, hint.guildId));
  }

  async done(handled: readonly WakeUp[]): Promise<void> {
    for (let i = 0; i < handled.length; i += DELETE_BATCH) {
      const ids = handled.slice(i, i + DELETE_BATCH).map((hint) => hint.id);
      await this.#query(
        `DELETE FROM crux_wakeups WHERE id IN (${ids.map(() => '?').join(', ')})`,
        ids,
        'clearing wake-ups',
      );
    }
  }

  async #query(sql: string, values: unknown[], what: string): Promise<Record<string, unknown>[]> {
    this.#created ??= this.#create().catch((error: unknown) => {
      this.#created = undefined;
      throw error;
    });
    await storeCall(this.#created, TIMEOUT_MS, 'preparing the wake-up table');
    const rows: unknown = await storeCall(this.#store.query(sql, ...values), TIMEOUT_MS, what);
    return Array.isArray(rows) ? rows : [];
  }

  async #create(): Promise<void> {
    await this.#store.query(
      'CREATE TABLE IF NOT EXISTS crux_wakeups (id TEXT PRIMARY KEY, guild_id TEXT NOT NULL, at INTEGER NOT NULL)',
    );
    await this.#store.query('CREATE INDEX IF NOT EXISTS crux_wakeups_at ON crux_wakeups (at)');
  }
}
