import { EventEmitter } from 'node:events';
import pg from 'pg';
import { z } from 'zod';

/**
 * A PostgreSQL connection pool that reports, rather than throws, the errors of idle connections. pg emits
 * them as 'error' events, and an event nobody listens to kills the process: that is what a server restart
 * did to @keyv/postgres, which keeps its pool to itself. Here the error is reported, the dead connection
 * dropped, and a new one made on the next query, so a store restart costs at most the requests in flight.
 */
export function postgresPool(uri: string, onError: (error: unknown) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: uri,
    connectionTimeoutMillis: 5000,
    // A hung server (frozen, or a dropped network) would otherwise hold each pooled connection forever; a
    // query that times out releases its connection with the error, and the pool replaces it.
    query_timeout: 10_000,
    keepAlive: true,
  });
  pool.on('error', onError);
  return pool;
}

const UniqueViolation = z.object({ code: z.literal('23505') });

/**
 * Keyv's store on PostgreSQL, over a pool Crux owns (see `postgresPool`). The table is the one
 * @keyv/postgres uses, so data written by earlier versions of Crux reads the same.
 */
export class PostgresStore extends EventEmitter {
  /** What Keyv reads of a store's options. */
  readonly opts = { dialect: 'postgres' };
  namespace?: string;
  readonly #pool: pg.Pool;
  /** The table, made once; forgotten when making it failed, so the next query tries again. */
  #table: Promise<void> | undefined;

  constructor(pool: pg.Pool) {
    super();
    this.#pool = pool;
  }

  #ensureTable(): Promise<void> {
    this.#table ??= this.#pool
      .query('CREATE TABLE IF NOT EXISTS public.keyv (key VARCHAR(255) PRIMARY KEY, value TEXT)')
      .then(
        () => undefined,
        (error: unknown) => {
          // Two processes creating the table at once: one wins, the other sees it exists.
          if (UniqueViolation.safeParse(error).success) return;
          this.#table = undefined;
          throw error;
        },
      );
    return this.#table;
  }

  async #query(sql: string, values: unknown[]): Promise<{ key: string; value: string }[]> {
    await this.#ensureTable();
    const result = await this.#pool.query<{ key: string; value: string }>(sql, values);
    return result.rows;
  }

  async get(key: string): Promise<string | undefined> {
    const [row] = await this.#query('SELECT key, value FROM public.keyv WHERE key = $1', [key]);
    return row?.value;
  }

  async getMany(keys: string[]): Promise<(string | undefined)[]> {
    const rows = await this.#query('SELECT key, value FROM public.keyv WHERE key = ANY($1)', [keys]);
    const byKey = new Map(rows.map((row) => [row.key, row.value]));
    return keys.map((key) => byKey.get(key));
  }

  async set(key: string, value: string): Promise<void> {
    await this.#query(
      'INSERT INTO public.keyv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  async delete(key: string): Promise<boolean> {
    const rows = await this.#query('DELETE FROM public.keyv WHERE key = $1 RETURNING key, value', [key]);
    return rows.length > 0;
  }

  async clear(): Promise<void> {
    const pattern = this.namespace ? `${this.namespace.replace(/[%_\\]/gu, '\\$&')}:%` : '%';
    await this.#query('DELETE FROM public.keyv WHERE key LIKE $1', [pattern]);
  }

  /** The pool is shared by every namespace's store; the factory that made it ends it. */
  async disconnect(): Promise<void> {}
}
