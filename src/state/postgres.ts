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

/** Whether PostgreSQL refused a write because the row exists (two processes creating one thing at once). */
export function isUniqueViolation(error: unknown): boolean {
  return UniqueViolation.safeParse(error).success;
}

/**
 * Runs `ddl` (CREATE … IF NOT EXISTS) once, before the first query that needs it: the returned function
 * resolves once it has. A failure is forgotten, so the next call tries again; two processes creating one
 * table at once is no failure (the loser's unique violation means it exists).
 */
export function createOnce(pool: pg.Pool, ddl: string): () => Promise<void> {
  let created: Promise<void> | undefined;
  return () => {
    created ??= pool.query(ddl).then(
      () => undefined,
      (error: unknown) => {
        if (isUniqueViolation(error)) return;
        created = undefined;
        throw error;
      },
    );
    return created;
  };
}

/**
 * Keyv's store on PostgreSQL, over a pool Crux owns (see `postgresPool`). The table is the one
 * @keyv/postgres uses, so data written by earlier versions of Crux reads the same.
 */
export class PostgresStore extends EventEmitter {
  /** What Keyv reads of a store's options. */
  readonly opts = { dialect: 'postgres' };
  namespace?: string;
  readonly #pool: pg.Pool;
  /** Makes the table, once. */
  readonly #ensureTable: () => Promise<void>;

  constructor(pool: pg.Pool) {
    super();
    this.#pool = pool;
    this.#ensureTable = createOnce(
      pool,
      'CREATE TABLE IF NOT EXISTS public.keyv (key VARCHAR(255) PRIMARY KEY, value TEXT)',
    );
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

  /**
   * Writes `next` (deletes, for undefined) only if the row still holds `expected` (undefined: no row), in
   * one statement, so two processes cannot both win. False when the row had changed.
   */
  async swap(key: string, expected: string | undefined, next: string | undefined): Promise<boolean> {
    if (expected === undefined) {
      if (next === undefined) return (await this.get(key)) === undefined;
      const rows = await this.#query(
        'INSERT INTO public.keyv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key, value',
        [key, next],
      );
      return rows.length === 1;
    }
    const rows =
      next === undefined
        ? await this.#query('DELETE FROM public.keyv WHERE key = $1 AND value = $2 RETURNING key, value', [
            key,
            expected,
          ])
        : await this.#query(
            'UPDATE public.keyv SET value = $3 WHERE key = $1 AND value = $2 RETURNING key, value',
            [key, expected, next],
          );
    return rows.length === 1;
  }

  async delete(key: string): Promise<boolean> {
    const rows = await this.#query('DELETE FROM public.keyv WHERE key = $1 RETURNING key, value', [key]);
    return rows.length > 0;
  }

  /** Every row of a namespace, for Keyv's `iterator()`. */
  async *iterator(namespace?: string): AsyncGenerator<[string, string]> {
    const pattern = namespace ? `${namespace.replace(/[%_\\]/gu, '\\$&')}:%` : '%';
    const rows = await this.#query('SELECT key, value FROM public.keyv WHERE key LIKE $1 ORDER BY key', [
      pattern,
    ]);
    for (const row of rows) yield [row.key, row.value];
  }

  async clear(): Promise<void> {
    const pattern = this.namespace ? `${this.namespace.replace(/[%_\\]/gu, '\\$&')}:%` : '%';
    await this.#query('DELETE FROM public.keyv WHERE key LIKE $1', [pattern]);
  }

  /** The pool is shared by every namespace's store; the factory that made it ends it. */
  async disconnect(): Promise<void> {}
}
