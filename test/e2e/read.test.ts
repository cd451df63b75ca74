import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readingDocument } from '../../src/core/reading/document.js';
import { readingMarkdown } from '../../src/downloads/markdown.js';
import type { MessageView } from '../../src/emulator/index.js';
import { startWorld, type World } from './harness.js';

/**
 * /read with the real bot on the emulator: a session's readings page by page, privately, the section menu,
 * the spoiler gate, I've read it from the last page, and the downloads, whose bytes are the session's text.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());
afterEach(() => {
  expect(world.discord.violations).toEqual([]);
});

const footer = (message: MessageView) => message.embeds[0]?.footer?.text ?? '';

describe('/read', () => {
  it('pages through this week’s readings privately, to I’ve read it on the last page', async () => {
    const session = world.bot.corpus.sessions[0];
    const first = await world.bo.run('read');
    expect(first.ephemeral).toBe(true);
    expect(world.ada.sees(world.guild.channel('reading')).map((m) => m.id)).not.toContain(first.id);
    expect(footer(first)).toMatch(
      new RegExp(`^Session 1 · section 1 of ${session?.sections.length} · .*words left$`, 'u'),
    );
    expect(first.embeds[0]?.title).toBe(session?.sections[0]?.heading);
    let page = first;
    const headings = new Set<string>();
    let wordsLeft = Number.POSITIVE_INFINITY;
    while (page.buttons.some((b) => b.label === 'Next ▶' && !b.disabled)) {
      headings.add(page.embeds[0]?.title ?? '');
      const left = Number(/([\d,]+) words left/u.exec(footer(page))?.[1]?.replaceAll(',', ''));
      expect(left).toBeLessThan(wordsLeft);
      wordsLeft = left;
      expect(page.buttons.map((b) => b.label)).not.toContain('I’ve read it');
      page = await world.bo.click(page, 'Next ▶');
      expect(page.via).toBe('update');
    }
    headings.add(page.embeds[0]?.title ?? '');
    expect([...headings]).toEqual(session?.sections.map((s) => s.heading));
    expect(footer(page)).toMatch(/the end$/u);
    const checkedIn = await world.bo.click(page, 'I’ve read it');
    expect(checkedIn.content).toBe('Checked in for session 1. You are the first.');
  });

  it('jumps to a section from its menu', async () => {
    const session = world.bot.corpus.sessions[0];
    const first = await world.bo.run('read');
    const third = session?.sections[2];
    const options = first.selects[0]?.options ?? [];
    expect(options.map((o) => o.label)).toEqual(session?.sections.map((s) => s.heading));
    const value = options.find((o) => o.label === third?.heading)?.value ?? '';
    const jumped = await world.bo.select(first, [value]);
    expect(jumped.embeds[0]?.title).toBe(third?.heading);
    expect(footer(jumped)).toMatch(/^Session 1 · section 3 of /u);
  });

  it('keeps to the sessions the group has reached unless asked with ahead', async () => {
    const refused = await world.bo.run('read', { session: 4 });
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toMatch(/^Session 4 is ahead of the group, which has reached session 1/u);
    const ahead = await world.bo.run('read', { session: 4, ahead: true });
    expect(ahead.ephemeral).toBe(true);
    expect(footer(ahead)).toMatch(/^Session 4 · section 1 of /u);
  });

  it('names who wrote each part of a comment thread, never a guessed name', async () => {
    const page = await world.bo.run('read', { session: 3, ahead: true });
    const marks = (page.embeds[0]?.description ?? '').split('\n').filter((l) => l.startsWith('-# '));
    expect(marks.length).toBeGreaterThan(0);
    const descriptions = world.bot.corpus.texts.flatMap((t) => t.writers.map((w) => w.description));
    for (const mark of marks) expect(descriptions.map((d) => `-# ${d}`)).toContain(mark.replaceAll('\\', ''));
  });

  it('downloads the session as Markdown holding exactly its readings, and as EPUB', async () => {
    const page = await world.bo.run('read');
    const markdown = await world.bo.click(page, 'Download Markdown');
    expect(markdown.ephemeral).toBe(true);
    const [file] = markdown.attachments;
    expect(file?.filename).toBe('crux-session-1.md');
    const session = world.bot.corpus.sessions[0];
    if (!session) throw new Error('no session 1');
    const bytes = Buffer.from(world.discord.file(file ?? { id: '' })).toString('utf8');
    expect(bytes).toBe(readingMarkdown(readingDocument(world.bot.corpus, session)));
    const epub = await world.bo.run('read', { format: 'epub' });
    expect(epub.attachments[0]?.filename).toBe('crux-session-1.epub');
    expect(
      Buffer.from(world.discord.file(epub.attachments[0] ?? { id: '' }))
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    expect(epub.content).toMatch(/as EPUB, \d+ KB\. Open it in any e-book reader/u);
  });

  it('refuses a text the session does not read, saying which sessions do', async () => {
    const reply = await world.bo.run('read', { text: 'coding-agents-notes' });
    expect(reply.content).toMatch(
      /^Session 1 does not read \*\*Notes on coding agents.*\*\*; sessions 6, 7, 8, 9 do\./u,
    );
  });
});
