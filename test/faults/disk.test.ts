import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kickoffSessions, newGroup } from '../e2e/groups.js';
import { runScript } from '../helpers/processes.js';
import { type ChildWorld, childWorld } from './harness.js';

/**
 * The embedded SQLite file on a disk that fills up or turns read-only, on a small tmpfs mounted by the
 * test. Mounting needs root (CI runs as root); elsewhere these are skipped, and say so.
 */
const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(path.join(tmpdir(), 'crux-mount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

const STORAGE_NOTICE = "I can't reach my storage right now";
let disk: string;
let world: ChildWorld;

beforeEach(async () => {
  if (!canMount) return;
  disk = mkdtempSync(path.join(tmpdir(), 'crux-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', disk]);
  world = await childWorld({ start: '2027-04-05T12:00:00Z' });
});
afterEach(async () => {
  if (!canMount) return;
  await world.close();
  execFileSync('umount', [disk]);
  rmSync(disk, { recursive: true, force: true });
});

const stateUrl = () => `sqlite://${path.join(disk, 'state.sqlite')}`;

describe.skipIf(!canMount)('the SQLite file’s disk', () => {
  it('read-only, with -wal and -shm beside the file: the bot refuses to start, with one clear message', async () => {
    const bot = await world.start({ KEYV_URL: stateUrl() });
    await newGroup(world, 'Read-only');
    await bot.kill();
    expect(existsSync(path.join(disk, 'state.sqlite-wal'))).toBe(true);
    execFileSync('mount', ['-o', 'remount,ro', disk]);

    const started = runScript('src/index.ts', {
      DISCORD_TOKEN: world.discord.token,
      DISCORD_CLIENT_ID: world.discord.applicationId,
      DISCORD_API_URL: world.discord.apiUrl,
      KEYV_URL: stateUrl(),
      LOG_LEVEL: 'warn',
    });
    const [code] = await once(started, 'exit');
    expect(code).toBe(1);
    const output = started.output().trim();
    expect(output).toContain('Crux cannot use its state store');
    expect(output).toContain('Check that the file and its folder are writable');
    expect(output).not.toMatch(/^\s+at /mu);
    expect(output.split('\n')).toHaveLength(1);
  });

  it('full: members are told, nothing is posted half-way, and all carries on once there is room', async () => {
    const bot = await world.start({ KEYV_URL: stateUrl() });
    const group = await newGroup(world, 'Full disk');
    const filler = path.join(disk, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
    } catch {
      // dd stops with "No space left on device": the disk is full, as wanted.
    }

    const refused = await group.ada.run('schedule pause');
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toContain(STORAGE_NOTICE);
    // The session falls due: its claim cannot be written, so nothing is posted that could be posted twice.
    await bot.tick(group.session(1));
    expect(kickoffSessions(group.reading)).toEqual([]);

    rmSync(filler);
    await bot.tick(group.session(1) + 60_000);
    await bot.tick(group.session(1) + 10 * 60_000);
    expect(kickoffSessions(group.reading)).toEqual([1]);
    expect((await group.ada.run('schedule pause')).text).not.toContain(STORAGE_NOTICE);
    expect(bot.alive(), bot.output()).toBe(true);
    expect(bot.output()).not.toContain('unhandled rejection');
  });
});
