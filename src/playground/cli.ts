import { readFile } from 'node:fs/promises';
import { createInterface, type Interface } from 'node:readline/promises';
import { InteractionFailed } from '../emulator/members.js';
import { PlaygroundError, PlaygroundSession } from './session.js';

/**
 * `npm run playground`: a local Discord with the real bot, in the terminal. No Discord account or token.
 * `npm run playground -- --script file` runs the lines of `file` and prints the transcript; it exits
 * with 1 if any line fails, so a test can keep the playground honest.
 */
const scriptFlag = process.argv.indexOf('--script');
const scriptFile = scriptFlag === -1 ? undefined : process.argv[scriptFlag + 1];

const out = (text: string) => process.stdout.write(`${text}\n`);

/** Runs one line, printing its output; returns false when the line failed. */
async function runLine(session: PlaygroundSession, line: string): Promise<boolean> {
  try {
    const output = await session.execute(line);
    if (output) out(output);
    return true;
  } catch (error) {
    if (error instanceof PlaygroundError) out(`! ${error.message}`);
    else if (error instanceof InteractionFailed) out(`! Discord says: ${error.message}.`);
    else out(`! ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

async function runScript(session: PlaygroundSession, file: string): Promise<number> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  let failures = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    if (line.trim().startsWith('#')) {
      out(line);
      continue;
    }
    out(`\n${session.prompt}${line}`);
    if (!(await runLine(session, line))) failures++;
  }
  return failures === 0 ? 0 : 1;
}

async function runInteractive(session: PlaygroundSession): Promise<void> {
  const rl: Interface = createInterface({
    input: process.stdin,
    output: process.stdout,
    completer: async (line: string): Promise<[string[], string]> => {
      const { items, listing } = await session.complete(line);
      // Autocomplete choices have names as well as values; show both, then let TAB fill in a single match.
      if (listing && items.length !== 1) out(`\n${listing}`);
      return [items.length === 1 ? [...items] : [], line];
    },
  });
  out('Crux playground: a local Discord server "Reading Group" with #reading and #general.');
  out('ada has Manage Server; bo is a member. Press TAB for suggestions, type help for more.\n');
  rl.setPrompt(session.prompt);
  rl.prompt();
  for await (const line of rl) {
    if (['quit', 'exit'].includes(line.trim())) break;
    await runLine(session, line);
    rl.setPrompt(session.prompt);
    rl.prompt();
  }
  rl.close();
}

const session = await PlaygroundSession.start();
let code = 0;
try {
  if (scriptFile) code = await runScript(session, scriptFile);
  else await runInteractive(session);
} finally {
  await session.stop();
}
process.exit(code);
