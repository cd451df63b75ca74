import { type Client, Events } from 'discord.js';
import type { JobDeps } from '../jobs/deps.js';
import { serverJoined, serverLeft } from '../jobs/servers.js';

/**
 * Gateway events besides interactions, turned into plain calls: votes on native polls, and the bot being
 * removed from or added to a server. A failure is logged; the next event or the scheduler catches up.
 */
export function listenForEvents(client: Client, jobs: JobDeps): void {
  const { logger } = jobs;
  const guard = (what: string, work: Promise<void>) =>
    work.catch((error: unknown) => logger.error({ err: error }, `could not handle ${what}`));
  client.on(Events.MessagePollVoteAdd, (answer, userId) => {
    void guard('a poll vote', jobs.polls.nativeVote(answer.poll.messageId, userId, answer.id, true));
  });
  client.on(Events.MessagePollVoteRemove, (answer, userId) => {
    void guard('a poll vote', jobs.polls.nativeVote(answer.poll.messageId, userId, answer.id, false));
  });
  // Removal, not an outage: discord.js reports an unavailable server as GuildUnavailable instead.
  client.on(Events.GuildDelete, (guild) => void guard('a removal', serverLeft(guild.id, jobs)));
  client.on(Events.GuildCreate, (guild) => void guard('a server', serverJoined(guild.id, jobs)));
}
