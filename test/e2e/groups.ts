import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { ChannelHandle, Emulator, GuildHandle, Member } from '../../src/emulator/index.js';

/** A reading group of its own on a shared world, so scheduling scenarios do not disturb each other. */
export interface Group {
  readonly guild: GuildHandle;
  /** Has Manage Server: a facilitator. */
  readonly ada: Member;
  /** An ordinary member. */
  readonly bo: Member;
  readonly reading: ChannelHandle;
  readonly general: ChannelHandle;
  /** Epoch ms of session n. */
  readonly session: (n: number) => number;
}

/**
 * A new server whose facilitator sets up sessions every week from tomorrow at 19:00 UTC, with no reminder
 * unless `setup` asks for one, so only kickoffs and notices appear in the channel.
 */
export async function newGroup(
  world: { readonly discord: Emulator; readonly clock: { now(): Date } },
  name: string,
  setup: Record<string, number | string> = {},
): Promise<Group> {
  const guild = world.discord.addGuild({ name, channels: ['reading', 'general'] });
  const ada = guild.addMember('ada', { permissions: ['ManageGuild'] });
  const bo = guild.addMember('bo');
  // Let the bot receive the new server before its first command.
  await sleep(100);
  const tomorrow = new Date(world.clock.now().getTime() + 86_400_000);
  const weekday = ((tomorrow.getUTCDay() + 6) % 7) + 1;
  const first = Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate(), 19);
  const reply = await ada.run('schedule setup', {
    channel: guild.channel('reading'),
    weekday,
    time: '19:00',
    zone: 'UTC',
    reminder: 0,
    ...setup,
  });
  expect(reply.text).toContain('Reading schedule set');
  return {
    guild,
    ada,
    bo,
    reading: guild.channel('reading'),
    general: guild.channel('general'),
    session: (n) => first + (n - 1) * 7 * 86_400_000,
  };
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** The sessions whose kickoff is in the channel, in order, by the session their check-in button names. */
export const kickoffSessions = (channel: ChannelHandle) =>
  channel.messages().flatMap((m) => {
    const id = m.buttons.find((b) => b.customId.startsWith('progress:checkin:'))?.customId;
    return id ? [Number(new URLSearchParams(id.split(':')[2]).get('s'))] : [];
  });

/** Waits until `done` holds, polling; fails the test after `ms`. */
export async function until(done: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await sleep(20);
  }
}
