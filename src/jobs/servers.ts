import { backInServerReply } from '../core/replies/session.js';
import type { JobDeps } from './deps.js';
import { pause, tellFacilitators } from './facilitators.js';

/**
 * A server's presence and data: the bot removed (its schedule pauses, its data is kept for a while in case
 * it is invited back, then deleted), and invited back.
 */

/** The bot was removed from a server: pause its schedule and start the retention clock. */
export async function serverLeft(guildId: string, deps: JobDeps): Promise<void> {
  await deps.state.guilds.change(guildId, (record) =>
    record.leftAt !== null
      ? { record, result: undefined }
      : { record: { ...record, leftAt: deps.clock().getTime() }, result: undefined },
  );
  await pause(guildId, 'bot-removed', undefined, deps);
}

/**
 * The bot is in the server again: nothing is deleted, and the facilitators are told that the schedule it
 * paused when it was removed waits for them to resume it.
 */
export async function serverJoined(guildId: string, deps: JobDeps): Promise<void> {
  const returned = await deps.state.guilds.change(guildId, (record) =>
    record.leftAt === null
      ? { record, result: undefined }
      : { record: { ...record, leftAt: null }, result: record },
  );
  if (!returned) return;
  deps.logger.info({ guildId }, 'back in a server the bot had left; its data is kept');
  if (returned.schedule?.status === 'paused' && returned.schedule.pause?.reason === 'bot-removed')
    await tellFacilitators(guildId, backInServerReply(returned.facilitatorRoleId), deps);
}

/** Deletes everything stored for a server the bot left longer ago than the retention period. */
export async function forgetServer(guildId: string, deps: JobDeps): Promise<void> {
  const record = await deps.state.guilds.read(guildId);
  if (record.leftAt === null || deps.clock().getTime() < record.leftAt + deps.retentionMs) return;
  for (const poll of record.polls) await deps.state.polls.delete(guildId, poll.id);
  await deps.state.checkIns.forgetServer(guildId, deps.corpus.sessions.length);
  await deps.state.guilds.delete(guildId);
  deps.logger.info({ guildId, polls: record.polls.length }, 'deleted the data of a server the bot left');
}
