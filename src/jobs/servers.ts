import type { JobDeps } from './deps.js';
import { pause } from './facilitators.js';

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

/** The bot is in the server again: nothing is deleted; a facilitator resumes the schedule when ready. */
export async function serverJoined(guildId: string, deps: JobDeps): Promise<void> {
  await deps.state.guilds.change(guildId, (record) =>
    record.leftAt === null
      ? { record, result: undefined }
      : { record: { ...record, leftAt: null }, result: undefined },
  );
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
