import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { shippedCorpus } from '../helpers/context.js';

const { corpus } = await shippedCorpus();

/** Runs `npm run playground -- --script file` as a person would and returns its exit code and transcript. */
async function playground(script: string): Promise<{ code: number; transcript: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/playground/cli.ts', '--script', script], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });
  let transcript = '';
  child.stdout.on('data', (chunk) => {
    transcript += chunk;
  });
  child.stderr.on('data', (chunk) => {
    transcript += chunk;
  });
  const [code] = await once(child, 'exit');
  return { code: code as number, transcript };
}

describe('npm run playground -- --script', () => {
  it('plays the tour in the README: commands, buttons, a thread, suggestions, a crux, switching members', async () => {
    const { code, transcript } = await playground('test/fixtures/playground-tour.txt');
    expect(code, transcript).toBe(0);
    expect(transcript).toContain(
      'ada in #reading › /excerpt\n┌\n│ Persona selection and the road to superintelligence',
    );
    expect(transcript).toMatch(/click Context\n\(only you can see this\)\n┌\n│ » Context: /u);
    expect(transcript).toMatch(
      /click Discuss\n\(only you can see this\)\nOpened a discussion thread: #Excerpt: /u,
    );
    expect(transcript).toMatch(/threads\n🧵 Excerpt: /u);
    expect(transcript).toMatch(
      /suggest \/excerpt search:Garrabr\n1\. Search for “Garrabr” {2}→ {2}Garrabr\n2\. .*Garrabrant.*→ {2}excerpt:/u,
    );
    expect(transcript).toMatch(/click Quotes\n\(only you can see this\)/u);
    expect(transcript).toContain('bo in #reading › /crux id:hyperstition ahead:true');
    expect(transcript).toMatch(/clock \+1d\nIt is now /u);
  });

  it('plays a week with position polls: votes from three members, both closes, results, movement and the map', async () => {
    const { code, transcript } = await playground('test/fixtures/playground-week.txt');
    expect(code, transcript).toBe(0);
    expect(transcript).toMatch(
      /ada in #reading › clock next\nIt is now .*\n\n#reading:\nSession 1 starts now/u,
    );
    expect(transcript).toMatch(
      /ada in #reading › select 8\n\(the message changed\)\n\(only you can see this\)\nYour answer: \*\*A\. .*\*\* \(70% sure\)\./u,
    );
    // The poll message shows the totals so far to the next member who looks.
    expect(transcript).toMatch(
      /cy in #reading › last\n┌\n│ Position poll, before the discussion · session 1[\s\S]*?│ A\. [^\n]*: ▰{10} 2 \(100%\)/u,
    );
    expect(transcript).toContain('Position poll, after the discussion · session 1');
    expect(transcript).toContain('Poll closed, before the discussion · session 1');
    expect(transcript).toContain('Of the 3 members who answered before and after, 2 changed position.');
    expect(transcript).toMatch(/📎 positions-[\w-]+\.png \(\d+ bytes\): Bar chart\. /u);
    expect(transcript).toContain('↳ You changed position.');
    expect(transcript).toMatch(/» The group’s crux map\n[\s\S]*\*\*33%\*\* split · 3 voters/u);
  });

  it('plays a whole reading schedule by moving the clock', async () => {
    const { code, transcript } = await playground('test/fixtures/playground-schedule.txt');
    expect(code, transcript).toBe(0);
    expect(transcript).toContain(
      `│ » Reading schedule set\n│ Sessions on Tuesdays at 19:00 (Europe/Berlin) in #reading, ${corpus.sessions.length} in all.`,
    );
    expect(transcript).toMatch(
      /bo in #reading › \/schedule skip\n\(only you can see this\)\nOnly facilitators can do that/u,
    );
    for (let session = 1; session <= corpus.sessions.length; session++) {
      expect(transcript.match(new RegExp(`Reminder: session ${session},`, 'gu'))).toHaveLength(1);
      expect(transcript.match(new RegExp(`Session ${session} starts now`, 'gu'))).toHaveLength(1);
    }
    expect(transcript.match(/That’s the whole reading list/gu)).toHaveLength(1);
    const total = corpus.sessions.length;
    expect(transcript).toContain(
      `/progress show\n┌\n│ » Reading progress\n│ ▰▰▰▰▰▰▰▰▰▰ ${total}/${total} sessions done`,
    );
    // A whole schedule in seconds of real time: Discord's 5 posts per 5 s in a channel set the pace.
  }, 120_000);

  it('exits with 1 when a line fails, saying why', async () => {
    const script = path.join(tmpdir(), `crux-playground-${process.pid}.txt`);
    writeFileSync(script, '/excerpt\nclick Nope\n/nosuchcommand\n');
    const { code, transcript } = await playground(script);
    expect(code).toBe(1);
    expect(transcript).toMatch(/! No button "Nope"\. Buttons: 1 Another, 2 Context, 3 Discuss/u);
    const names = commands.map((c) => `/${c.definition(corpus).name}`).join(', ');
    expect(transcript).toContain(`! /nosuchcommand is not a command here. Commands: ${names}`);
  });
});

describe('TAB in the interactive playground', () => {
  it('completes command names, option names, and values from the bot’s autocomplete', async () => {
    const { PlaygroundSession } = await import('../../src/playground/session.js');
    const session = await PlaygroundSession.start();
    try {
      expect((await session.complete('/exc')).items).toEqual(['/excerpt']);
      expect((await session.complete('/excerpt se')).items).toEqual(['search:', 'session:']);
      const values = await session.complete('/excerpt text:void');
      expect(values.items).toEqual(['/excerpt text:void-comments']);
      expect(values.listing).toContain('Comments on "the void"');
      expect((await session.complete('help')).items).toEqual([]);
    } finally {
      await session.stop();
    }
  });
});
