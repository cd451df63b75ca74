import type { JobDeps } from './deps.js';
import { pause } from './facilitators.js';

/**
 * A server's presence and data: the bot removed (its schedule pauses, its data is kept for a while in case
 * it is invited back, then deleted), invited back, and a member asking for their data to be deleted.
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

/** What deleting a member's data removed. */
export interface Forgotten {
  readonly answers: number;
  readonly checkIns: number;
}

/** Deletes one member's poll answers and check-ins in a server. */
export async function forgetMember(
  guildId: string,
  userId: string,
  deps: Pick<JobDeps, 'state' | 'corpus'>,
): Promise<Forgotten> {
  const record = await deps.state.guilds.read(guildId);
  let answers = 0;
  for (const summary of record.polls) {
    const removed = await deps.state.polls.change(guildId, summary.id, (poll) => {
      if (!poll.ballots[userId]) return { record: poll, result: false };
      const { [userId]: _gone, ...ballots } = poll.ballots;
      return { record: { ...poll, ballots }, result: true };
    });
    if (removed) answers++;
  }
  const checkIns = await deps.state.checkIns.forgetMember(guildId, userId, deps.corpus.sessions.length);
  return { answers, checkIns };
}
