import { z } from 'zod';
import { DISCORD_LIMITS } from './limits.js';

/**
 * Buttons and selects, each declared once: a command, an action and a schema for the parameters its custom
 * id carries. The declaration gives the typed encoder the reply layouts use and the decoder dispatch uses,
 * so writer and reader cannot drift apart, and a custom id that does not decode (an old version, a forged or
 * truncated id) never reaches a handler.
 *
 * A custom id is `command:action:params`, with params as URL search parameters: everything the handler
 * needs travels in the id, so buttons keep working on old messages and after restarts without stored
 * per-message state.
 */

/** What each kind of parameter is, for tests that generate values from declarations. */
export type ParamKind =
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'flag' }
  | { readonly kind: 'slug'; readonly max: number }
  | { readonly kind: 'snowflake' }
  | { readonly kind: 'text'; readonly max: number }
  | { readonly kind: 'choice'; readonly values: readonly string[] };

const kinds = new WeakMap<z.ZodType, ParamKind>();

function tagged<S extends z.ZodType>(schema: S, kind: ParamKind): S {
  kinds.set(schema, kind);
  return schema;
}

/** The parameter kinds a custom id can carry: each reads the string Discord sends back into a typed value. */
export const param = {
  /** A whole number in [min, max]. */
  int: (min: number, max: number) =>
    tagged(
      z
        .string()
        .regex(/^-?\d{1,10}$/u)
        .transform(Number)
        .pipe(z.number().int().min(min).max(max)),
      { kind: 'int', min, max },
    ),
  /** A yes/no switch: present as `1`, absent otherwise. */
  flag: () =>
    tagged(
      z
        .literal('1')
        .optional()
        .transform((value) => value === '1'),
      { kind: 'flag' },
    ),
  /** An id from the corpus, a poll id or a notice id: lower-case words joined by hyphens. */
  slug: (max = 40) =>
    tagged(
      z
        .string()
        .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/u)
        .max(max),
      { kind: 'slug', max },
    ),
  /** A Discord id. */
  snowflake: () => tagged(z.string().regex(/^\d{17,20}$/u), { kind: 'snowflake' }),
  /** Free text, such as a search query. */
  text: (max: number) => tagged(z.string().min(1).max(max), { kind: 'text', max }),
  /** One of a fixed set of values. */
  choice: <const V extends readonly [string, ...string[]]>(values: V) =>
    tagged(z.enum(values), { kind: 'choice', values }),
} as const;

/** The kind of a declared parameter (seen through `.optional()`), or undefined for other schemas. */
export function paramKind(
  schema: z.ZodType,
): { readonly kind: ParamKind; readonly optional: boolean } | undefined {
  const direct = kinds.get(schema);
  if (direct) return { kind: direct, optional: direct.kind === 'flag' };
  if (schema instanceof z.ZodOptional) {
    const inner = kinds.get(schema.unwrap() as z.ZodType);
    return inner ? { kind: inner, optional: true } : undefined;
  }
  return undefined;
}

type Shape = Readonly<Record<string, z.ZodType<unknown, string | undefined>>>;

/** The typed parameters of a declaration. */
export type ParamsOf<S extends Shape> = z.output<z.ZodObject<{ -readonly [K in keyof S]: S[K] }>>;

/** A declared button or select. `V` is what the select's chosen value reads as (never for a button). */
export interface ComponentSpec<S extends Shape = Shape, V = never> {
  readonly command: string;
  readonly action: string;
  readonly params: S;
  /** The custom id for these parameters. */
  id(params: ParamsOf<S>): string;
  /** The parameters of a custom id's query (and a select's chosen value), or undefined if they do not read. */
  parse(
    query: string,
    selected?: readonly string[],
  ): ([V] extends [never] ? ParamsOf<S> : ParamsOf<S> & { readonly value: V }) | undefined;
}

const NAME = /^[a-z]+(?:-[a-z]+)*$/u;

/**
 * Declares a button (or, with `value`, a select whose chosen value is parsed by that schema). `shrink` names a
 * free-text parameter that is shortened when the id would pass Discord's 100 characters; anything else too
 * long is a programming error.
 */
export function defineComponent<const S extends Shape, V = never>(
  command: string,
  action: string,
  params: S,
  options: { readonly shrink?: keyof S & string; readonly value?: z.ZodType<V, string> } = {},
): ComponentSpec<S, V> {
  if (!NAME.test(command) || !NAME.test(action)) throw new Error(`bad component name ${command}:${action}`);
  const schema = z.object({ ...params });
  const valueSchema = options.value;
  return {
    command,
    action,
    params,
    id(values) {
      return encode(command, action, values as Readonly<Record<string, unknown>>, options.shrink);
    },
    parse(query, selected) {
      let raw: Record<string, string>;
      try {
        raw = Object.fromEntries(new URLSearchParams(query));
      } catch {
        return undefined;
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return undefined;
      if (!valueSchema) return parsed.data as never;
      const value = valueSchema.safeParse(selected?.[0]);
      return value.success ? ({ ...parsed.data, value: value.data } as never) : undefined;
    },
  };
}

/** The command, action and query of a custom id; undefined when it is not shaped like one of ours. */
export function splitCustomId(
  customId: string,
): { readonly command: string; readonly action: string; readonly query: string } | undefined {
  const match = /^([a-z]+(?:-[a-z]+)*):([a-z]+(?:-[a-z]+)*):(.*)$/su.exec(customId);
  if (!match) return undefined;
  const [, command = '', action = '', query = ''] = match;
  return { command, action, query };
}

function encode(
  command: string,
  action: string,
  values: Readonly<Record<string, unknown>>,
  shrink: string | undefined,
): string {
  const entries = Object.entries(values).flatMap(([key, value]): [string, string][] =>
    value === undefined || value === false ? [] : [[key, value === true ? '1' : String(value)]],
  );
  const build = (list: readonly [string, string][]) =>
    `${command}:${action}:${new URLSearchParams([...list]).toString()}`;
  let id = build(entries);
  const index = shrink === undefined ? -1 : entries.findIndex(([key]) => key === shrink);
  // Shortened by whole code points: cutting between a surrogate pair would leave a broken character.
  const text = Array.from(entries[index]?.[1] ?? '');
  for (
    let length = text.length - 1;
    id.length > DISCORD_LIMITS.customId && index >= 0 && length > 0;
    length--
  ) {
    const shortened = [...entries];
    shortened[index] = [shrink ?? '', text.slice(0, length).join('').trimEnd()];
    id = build(shortened);
  }
  if (id.length > DISCORD_LIMITS.customId) {
    throw new RangeError(`custom id for ${command}:${action} is ${id.length} characters; Discord allows 100`);
  }
  return id;
}
