import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** A child process started from the project, and everything it printed so far. */
export type ScriptProcess = ChildProcess & { output: () => string };

/** Runs a TypeScript entry point of the project (`src/index.ts`, a CLI) as a newcomer would, with only `env`. */
export function runScript(script: string, env: Record<string, string>): ScriptProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return Object.assign(child, { output: () => output });
}
