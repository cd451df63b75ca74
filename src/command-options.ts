import type { ApplicationCommandOptionAllowedChannelTypes } from '@discordjs/builders';
import { z } from 'zod';
import { DISCORD_LIMITS } from './core/limits.js';

/**
 * Slash command options, each declared once: what Discord shows (type, description, choices, bounds) and
 * the schema that reads the value Discord sends back. The command's definition and its handler's argument
 * types both come from these declarations, so they cannot drift apart (yuudachi's `ArgumentsOf`, with a
 * schema that also checks at run time what a stale or forged definition might send).
 */

/** The option types Crux uses, by Discord's name for them. */
export type OptionType = 'string' | 'integer' | 'boolean' | 'channel' | 'role';

/** One option: `T` is the value the handler gets, `R` whether Discord requires it. */
export interface OptionSpec<T, R extends boolean> {
  readonly type: OptionType;
  readonly description: string;
  readonly required: R;
  readonly schema: z.ZodType<T>;
  readonly autocomplete?: boolean;
  readonly choices?: readonly { readonly name: string; readonly value: string | number }[];
  readonly min?: number;
  readonly max?: number;
  readonly maxLength?: number;
  /** Discord channel types a channel option accepts. */
  readonly channelTypes?: readonly ApplicationCommandOptionAllowedChannelTypes[];
}

type Required<R extends boolean> = { readonly required?: R };

const snowflake = z.string().regex(/^\d{17,20}$/u);

/** Declares options; each returns the spec its settings describe. */
export const option = {
  string<const R extends boolean = false>(
    description: string,
    settings: Required<R> & {
      readonly autocomplete?: boolean;
      readonly maxLength?: number;
      /** Choices that come from data (such as the corpus's topics); the handler checks the value. */
      readonly choices?: readonly { readonly name: string; readonly value: string }[];
    } = {},
  ): OptionSpec<string, R> {
    const maxLength = settings.maxLength ?? 100;
    return {
      type: 'string',
      description,
      required: (settings.required ?? false) as R,
      schema: z.string().max(maxLength),
      ...(settings.choices ? { choices: settings.choices } : { maxLength }),
      ...(settings.autocomplete ? { autocomplete: true } : {}),
    };
  },
  integer<const R extends boolean = false>(
    description: string,
    settings: Required<R> & { readonly min: number; readonly max: number },
  ): OptionSpec<number, R> {
    return {
      type: 'integer',
      description,
      required: (settings.required ?? false) as R,
      schema: z.number().int().min(settings.min).max(settings.max),
      min: settings.min,
      max: settings.max,
    };
  },
  boolean<const R extends boolean = false>(
    description: string,
    settings: Required<R> = {},
  ): OptionSpec<boolean, R> {
    return { type: 'boolean', description, required: (settings.required ?? false) as R, schema: z.boolean() };
  },
  /**
   * A value from a fixed list: strings, or whole numbers (an integer option); the handler gets the literal
   * union of the values.
   */
  choice<const V extends string | number, const R extends boolean = false>(
    description: string,
    choices: readonly [
      { readonly name: string; readonly value: V },
      ...{ readonly name: string; readonly value: V }[],
    ],
    settings: Required<R> = {},
  ): OptionSpec<V, R> {
    return {
      type: typeof choices[0].value === 'number' ? 'integer' : 'string',
      description,
      required: (settings.required ?? false) as R,
      schema: z.literal(choices.map((c) => c.value)),
      choices,
    };
  },
  /** A channel, read as its id. */
  channel<const R extends boolean = false>(
    description: string,
    settings: Required<R> & { readonly channelTypes: readonly ApplicationCommandOptionAllowedChannelTypes[] },
  ): OptionSpec<string, R> {
    return {
      type: 'channel',
      description,
      required: (settings.required ?? false) as R,
      schema: snowflake,
      channelTypes: settings.channelTypes,
    };
  },
  /** A role, read as its id. */
  role<const R extends boolean = false>(
    description: string,
    settings: Required<R> = {},
  ): OptionSpec<string, R> {
    return { type: 'role', description, required: (settings.required ?? false) as R, schema: snowflake };
  },
} as const;

/** A command's or subcommand's options, by name. */
export type Options = Readonly<Record<string, OptionSpec<unknown, boolean>>>;

type ValueOf<S> = S extends OptionSpec<infer T, boolean> ? T : never;
type RequiredKeys<O extends Options> = {
  [K in keyof O]: O[K] extends OptionSpec<unknown, true> ? K : never;
}[keyof O];

/** The arguments a handler receives for these options: required ones always there, others optional. */
export type ArgsOf<O extends Options> = {
  readonly [K in RequiredKeys<O>]: ValueOf<O[K]>;
} & {
  readonly [K in Exclude<keyof O, RequiredKeys<O>>]?: ValueOf<O[K]>;
};

const schemas = new WeakMap<Options, z.ZodType<Record<string, unknown>>>();

/**
 * The schema reading flattened options into typed arguments, made once per declaration: zod compiles an
 * object schema on its first use, which cost more than the parse itself when it was remade per interaction.
 */
export function argsSchema(options: Options): z.ZodType<Record<string, unknown>> {
  let schema = schemas.get(options);
  if (!schema) {
    schema = buildArgsSchema(options);
    schemas.set(options, schema);
  }
  return schema;
}

function buildArgsSchema(options: Options): z.ZodType<Record<string, unknown>> {
  return z.object(
    Object.fromEntries(
      Object.entries(options).map(([name, spec]) => [
        name,
        spec.required ? spec.schema : spec.schema.optional(),
      ]),
    ),
  );
}

/** Checks declarations against Discord's rules for option names and descriptions. */
export function checkOptions(where: string, options: Options): void {
  for (const [name, spec] of Object.entries(options)) {
    if (!/^[-_\p{Ll}\p{N}]{1,32}$/u.test(name))
      throw new Error(`${where}: option name "${name}" is not allowed`);
    if (spec.description.length < 1 || spec.description.length > 100)
      throw new Error(`${where}: option ${name}'s description must be 1–100 characters`);
    if ((spec.choices?.length ?? 0) > DISCORD_LIMITS.autocompleteChoices)
      throw new Error(`${where}: option ${name} has more than 25 choices`);
  }
}
