import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

/**
 * The emulator is Discord as documented, not a mirror of the bot: it must import nothing from the bot, or
 * it would share the constants and assumptions it is meant to check (and could not be published alone).
 */
const root = path.resolve(import.meta.dirname, '../../src/emulator');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier a file imports: static imports, re-exports, dynamic imports and `import()` types. */
function specifiers(source: string): string[] {
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/gu,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/gu,
    /^\s*import\s+['"]([^'"]+)['"]/gmu,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].flatMap((m) => (m[1] ? [m[1]] : [])));
}

it('no file of the emulator imports anything outside src/emulator but Node built-ins and packages', () => {
  const files = sources(root);
  expect(files.length).toBeGreaterThan(10);
  const outside = files.flatMap((file) =>
    specifiers(readFileSync(file, 'utf8')).flatMap((specifier) => {
      if (!specifier.startsWith('.') && !specifier.startsWith('/')) return [];
      const target = path.resolve(path.dirname(file), specifier);
      return target.startsWith(`${root}${path.sep}`) ? [] : [`${path.relative(root, file)} → ${specifier}`];
    }),
  );
  expect(outside).toEqual([]);
});

it('the check sees a relative import that leaves the emulator', () => {
  expect(
    specifiers("import { DISCORD_LIMITS } from '../core/limits.js';\nconst x = await import('../app.js');"),
  ).toEqual(['../core/limits.js', '../app.js']);
});
