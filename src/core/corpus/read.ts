import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildResult, buildCorpus } from './build.js';
import type { RawCorpus } from './schema.js';
import type { Corpus } from './types.js';

/**
 * The shipped `data/` folder: the nearest one above this module, so it is found from the sources (run with
 * tsx) and from the build in `dist/` alike.
 */
export const DATA_DIR = findDataDir(path.dirname(fileURLToPath(import.meta.url)));

function findDataDir(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'data', 'texts.json'))) return path.join(dir, 'data');
    if (path.dirname(dir) === dir) return path.join(from, 'data');
  }
}

const DATA_FILES = ['topics', 'texts', 'schedule', 'excerpts', 'cruxes'] as const;

/** Reads every data file (and every text file that `texts.json` names) from `dir`. Missing files become problems, not exceptions. */
export async function readRawCorpus(dir: string = DATA_DIR): Promise<{ raw: RawCorpus; problems: string[] }> {
  const problems: string[] = [];
  const json: Record<string, unknown> = {};
  for (const name of DATA_FILES) {
    try {
      json[name] = JSON.parse(await readFile(path.join(dir, `${name}.json`), 'utf8'));
    } catch (error) {
      problems.push(
        `${name}.json: ${error instanceof SyntaxError ? `not valid JSON (${error.message})` : 'cannot be read'}`,
      );
      json[name] = undefined;
    }
  }
  const files = new Map<string, Buffer>();
  const texts = Array.isArray(json.texts) ? json.texts : [];
  for (const entry of texts) {
    const file = typeof entry === 'object' && entry && 'file' in entry ? entry.file : undefined;
    if (typeof file !== 'string' || file.includes('..')) continue;
    try {
      files.set(file, await readFile(path.join(dir, file)));
    } catch {
      // Reported by buildCorpus as a missing file, with the text that names it.
    }
  }
  return {
    raw: {
      json: {
        topics: json.topics,
        texts: json.texts,
        schedule: json.schedule,
        excerpts: json.excerpts,
        cruxes: json.cruxes,
      },
      files,
    },
    problems,
  };
}

/** The corpus failed validation; `problems` lists every one. */
export class CorpusError extends Error {
  override name = 'CorpusError';
  constructor(readonly problems: readonly string[]) {
    super(
      [
        `The corpus in data/ has ${problems.length} problem(s); fix them and start again:`,
        ...problems.map((p) => `  - ${p}`),
      ].join('\n'),
    );
  }
}

/** Loads and validates the corpus; throws `CorpusError` listing every problem. */
export async function loadValidCorpus(dir: string = DATA_DIR): Promise<Corpus> {
  const result = await loadCorpus(dir);
  if (!result.ok) throw new CorpusError(result.problems);
  return result.corpus;
}

/** Reads and validates the corpus in `dir`. */
export async function loadCorpus(dir: string = DATA_DIR): Promise<BuildResult> {
  const { raw, problems } = await readRawCorpus(dir);
  const built = buildCorpus(raw);
  if (problems.length === 0) return built;
  return { ok: false, problems: [...problems, ...(built.ok ? [] : built.problems)] };
}
