import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { ComponentRoute } from '../../src/command.js';
import {
  type ComponentSpec,
  defineComponent,
  type ParamKind,
  param,
  paramKind,
  splitCustomId,
} from '../../src/core/components.js';
import { DISCORD_LIMITS } from '../../src/core/limits.js';

/**
 * Every declared button and select, generated from its declaration: random and extreme parameters survive
 * encode → decode unchanged within Discord's 100 characters, and hostile ids never reach a handler with
 * anything but parameters that read.
 */

// A fixed seed keeps CI repeatable; change it locally to explore further.
fc.configureGlobal({ seed: 20261125 });

type AnySpec = ComponentSpec<Record<string, never>, unknown>;
// Every route's spec is a full declaration; the route type keeps only what dispatch reads.
const specs = commands.flatMap((module) =>
  module.components.map((route: ComponentRoute) => route.spec as unknown as AnySpec),
);

function arbitraryFor(kind: ParamKind): fc.Arbitrary<unknown> {
  switch (kind.kind) {
    case 'int':
      return fc.integer({ min: kind.min, max: kind.max });
    case 'flag':
      return fc.boolean();
    case 'slug':
      return fc
        .stringMatching(/^[a-z0-9]{1,12}(?:-[a-z0-9]{1,12}){0,5}$/u)
        .map((slug) => slug.slice(0, kind.max).replace(/-+$/u, ''));
    case 'snowflake':
      return fc.bigInt({ min: 10n ** 16n, max: 10n ** 19n }).map(String);
    case 'text':
      return fc
        .string({ minLength: 1, maxLength: kind.max, unit: 'grapheme' })
        .filter((s) => s.trim().length > 0);
    case 'choice':
      return fc.constantFrom(...kind.values);
  }
}

function paramsArbitrary(spec: AnySpec): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, schema] of Object.entries(spec.params)) {
    const declared = paramKind(schema);
    if (!declared)
      throw new Error(`${spec.command}:${spec.action} param ${name} is not declared with param.*`);
    fields[name] =
      declared.optional && declared.kind.kind !== 'flag'
        ? fc.option(arbitraryFor(declared.kind), { nil: undefined })
        : arbitraryFor(declared.kind);
  }
  return fc.record(fields);
}

const withoutUndefined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

describe('every declared component', () => {
  it('has a unique command:action, so dispatch finds exactly one handler', () => {
    const keys = specs.map((spec) => `${spec.command}:${spec.action}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThan(15);
  });

  it.each(specs.map((spec) => [`${spec.command}:${spec.action}`, spec] as const))(
    '%s round-trips any parameters within 100 characters',
    (_name, spec) => {
      fc.assert(
        fc.property(paramsArbitrary(spec), (params) => {
          // A select's chosen value travels apart from its id; give it a value its schema reads.
          const id = spec.id(params as never);
          expect(id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
          const split = splitCustomId(id);
          expect(split).toMatchObject({ command: spec.command, action: spec.action });
          const parsed = spec.parse(split?.query ?? '', ['0']) as Record<string, unknown> | undefined;
          expect(parsed).toBeDefined();
          const { value: _value, ...read } = parsed ?? {};
          const shrunk = Object.entries(spec.params).find(
            ([, schema]) => paramKind(schema)?.kind.kind === 'text',
          );
          if (shrunk && typeof params[shrunk[0]] === 'string') {
            // Free text may be shortened to fit; it is always a prefix of what was given.
            const [name] = shrunk;
            expect(String(params[name])).toContain(String(read[name] ?? '').trimEnd());
            expect(withoutUndefined({ ...read, [name]: undefined })).toEqual(
              withoutUndefined({ ...params, [name]: undefined }),
            );
          } else {
            expect(withoutUndefined(read)).toEqual(withoutUndefined(params));
          }
        }),
        { numRuns: 200 },
      );
    },
  );

  it.each(specs.map((spec) => [`${spec.command}:${spec.action}`, spec] as const))(
    '%s never throws on hostile queries, and what it accepts reads as declared',
    (_name, spec) => {
      fc.assert(
        fc.property(
          fc.string({ maxLength: 120 }),
          fc.array(fc.string(), { maxLength: 2 }),
          (query, selected) => {
            const parsed = spec.parse(query, selected);
            if (parsed === undefined) return;
            // Whatever reads must re-encode to an id that reads the same.
            const { value: _value, ...params } = parsed as Record<string, unknown>;
            const again = spec.parse(splitCustomId(spec.id(params as never))?.query ?? '', selected);
            expect(again).toEqual(parsed);
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});

describe('parameters', () => {
  const spec = defineComponent('test', 'thing', {
    n: param.int(0, 10),
    f: param.flag(),
    s: param.slug().optional(),
    c: param.choice(['a', 'b']),
  });

  it.each([
    ['n=11&c=a', 'an integer out of range'],
    ['n=1.5&c=a', 'a fraction'],
    ['n=1&c=z', 'a choice not declared'],
    ['n=1&c=a&f=yes', 'a flag that is not 1'],
    ['n=1&c=a&s=Not%20a%20slug', 'a slug with spaces'],
    ['c=a', 'a missing required parameter'],
    ['n=%E0%A4%A&c=a', 'broken percent-encoding'],
  ])('refuses %s (%s)', (query) => {
    expect(spec.parse(query)).toBeUndefined();
  });

  it('reads flags as booleans and leaves absent optionals out', () => {
    expect(spec.parse('n=3&c=b&f=1')).toEqual({ n: 3, c: 'b', f: true });
    expect(spec.parse('n=3&c=b')).toEqual({ n: 3, c: 'b', f: false });
  });

  it('shortens only the declared free-text parameter to fit', () => {
    const search = defineComponent(
      'test',
      'search',
      { q: param.text(100), s: param.int(1, 9) },
      { shrink: 'q' },
    );
    const id = search.id({ q: 'ünïcödé words '.repeat(20), s: 3 });
    expect(id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
    expect(search.parse(splitCustomId(id)?.query ?? '')?.q).toMatch(/^ünïcödé words/u);
    const long = defineComponent('test', 'long', { t: param.text(200) });
    expect(() => long.id({ t: 'x'.repeat(150) })).toThrow(RangeError);
  });

  it('ignores ids that are not shaped like ours', () => {
    for (const id of ['something else', 'poll:', ':vote:p=1', 'Poll:vote:p=1'])
      expect(splitCustomId(id)).toBeUndefined();
  });
});
