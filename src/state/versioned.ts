import type { z } from 'zod';

/**
 * Reading stored records: every record carries the version of its shape. A record of an older version is
 * brought up to date here, step by step, then parsed by the current schema (which also fills the defaults
 * of fields added since); a newer version, or one that does not parse, is reported, never cast.
 */

/** A stored record this version of Crux cannot read: written by a newer Crux, or damaged. */
export class StoredRecordError extends Error {
  override name = 'StoredRecordError';
}

/** How to read one kind of record. */
export interface RecordFormat<T> {
  /** For messages: "server state", "a poll". */
  readonly what: string;
  readonly version: number;
  readonly schema: z.ZodType<T>;
  /**
   * Steps that change a record's shape, by the version they upgrade from (step 2 turns a version-2 record
   * into a version-3 one). Versions that only added fields with defaults need no step.
   */
  readonly steps?: Readonly<Record<number, (record: Record<string, unknown>) => Record<string, unknown>>>;
}

/** Parses a stored value of `format` (undefined for nothing stored is the caller's concern). */
export function readVersioned<T>(format: RecordFormat<T>, stored: unknown): T {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored))
    throw new StoredRecordError(`${format.what} is not a record`);
  const { version: raw, ...fields } = stored as Record<string, unknown>;
  const version = raw === undefined ? 1 : raw;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new StoredRecordError(`${format.what} has no readable version`);
  if (version > format.version)
    throw new StoredRecordError(
      `${format.what} has version ${version}; this Crux reads up to ${format.version}`,
    );
  let upgraded: Record<string, unknown> = fields;
  for (let from = version; from < format.version; from++)
    upgraded = format.steps?.[from]?.(upgraded) ?? upgraded;
  const parsed = format.schema.safeParse(upgraded);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`)
      .join('; ');
    throw new StoredRecordError(`${format.what} does not read as version ${format.version}: ${where}`);
  }
  return parsed.data;
}

/** What is written for a record: its fields with the current version. */
export function writeVersioned<T extends object>(
  format: RecordFormat<T>,
  record: T,
): T & { version: number } {
  return { ...record, version: format.version };
}
