import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openState, type State } from '../../src/state/index.js';

const tempDir = mkdtempSync(path.join(tmpdir(), 'crux-state-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

/** Fresh ids per run, so the shared Redis and PostgreSQL servers never see a previous run's keys. */
let nextGuild = Date.now() * 1000;
const newGuildId = () => String(nextGuild++);

const backends: Array<[string, () => string]> = [
  ['memory', () => 'memory:'],
  ['sqlite', () => `sqlite://${path.join(tempDir, `state-${nextGuild}.sqlite`)}`],
  ['redis', () => 'redis://127.0.0.1:6379'],
  ['postgres', () => 'postgres://postgres@127.0.0.1:5432/test'],
];

describe.each(backends)('GuildStore on %s', (_name, url) => {
  const open = (at: string): State =>
    openState(at, (error) => {
      throw error;
    });

  it('reads the declared defaults for a server it has not seen', async () => {
    const state = open(url());
    try {
      expect(await state.guilds.read(newGuildId())).toEqual({
        version: 1,
        excerpts: { shown: [] },
        cruxes: { shown: [] },
      });
    } finally {
      await state.close();
    }
  });

  it('keeps every one of 100 concurrent changes to one server', async () => {
    const state = open(url());
    const guildId = newGuildId();
    try {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          state.guilds.change(guildId, (record) => ({
            record: { ...record, excerpts: { shown: [...record.excerpts.shown, `e${i}`] } },
            result: undefined,
          })),
        ),
      );
      expect((await state.guilds.read(guildId)).excerpts.shown).toHaveLength(100);
    } finally {
      await state.close();
    }
  });

  it('writes nothing when a change fails halfway', async () => {
    const state = open(url());
    const guildId = newGuildId();
    try {
      await state.guilds.change(guildId, (record) => ({
        record: { ...record, cruxes: { shown: ['kept'] } },
        result: 1,
      }));
      await expect(
        state.guilds.change(guildId, () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await state.guilds.read(guildId)).cruxes.shown).toEqual(['kept']);
    } finally {
      await state.close();
    }
  });

  it('keeps servers apart and forgets one on request', async () => {
    const state = open(url());
    const [a, b] = [newGuildId(), newGuildId()];
    try {
      await state.guilds.change(a, (record) => ({
        record: { ...record, cruxes: { shown: ['x'] } },
        result: undefined,
      }));
      expect((await state.guilds.read(b)).cruxes.shown).toEqual([]);
      await state.guilds.delete(a);
      expect((await state.guilds.read(a)).cruxes.shown).toEqual([]);
    } finally {
      await state.close();
    }
  });
});

describe('GuildStore on the embedded SQLite file', () => {
  it('survives a restart', async () => {
    const url = `sqlite://${path.join(tempDir, 'restart.sqlite')}`;
    const guildId = newGuildId();
    const first = openState(url, () => undefined);
    await first.guilds.change(guildId, (record) => ({
      record: { ...record, excerpts: { shown: ['a', 'b'] } },
      result: undefined,
    }));
    await first.close();
    const second = openState(url, () => undefined);
    try {
      expect((await second.guilds.read(guildId)).excerpts.shown).toEqual(['a', 'b']);
    } finally {
      await second.close();
    }
  });

  it('refuses a key that is not a Discord id', async () => {
    const state = openState('memory:', () => undefined);
    await expect(state.guilds.read('../other')).rejects.toThrow(RangeError);
    await state.close();
  });
});
