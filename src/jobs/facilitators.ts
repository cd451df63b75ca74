import { pausedForProblemReply } from '../core/replies/session.js';
import type { Reply } from '../core/reply.js';
import { type DueAction, type PauseReason, pauseSchedule } from '../core/schedule/plan.js';
import type { JobDeps } from './deps.js';

/** Telling a server's facilitators about a problem, and pausing its schedule for one only they can fix. */

/** Tells a server's facilitators something in a channel the bot may post in, or logs that it cannot. */
export async function tellFacilitators(
  guildId: string,
  reply: Reply,
  deps: Pick<JobDeps, 'poster' | 'logger'>,
): Promise<void> {
  const told = await deps.poster.notifyFacilitators(guildId, reply).catch(() => false);
  if (!told) deps.logger.warn({ guildId }, 'no channel to tell the facilitators in');
}

/**
 * Pauses an active schedule for a problem only a person can fix, and tells the facilitators (or the log).
 * A finished schedule has nothing left to pause: the messages it still owed are given up, since the channel
 * cannot take them and no later step would retry them.
 */
export async function pause(
  guildId: string,
  reason: PauseReason,
  action: DueAction | undefined,
  deps: JobDeps,
): Promise<void> {
  const record = await deps.state.guilds.change(guildId, (current) => {
    if (current.schedule?.status === 'finished')
      return { record: { ...current, schedule: { ...current.schedule, notices: [] } }, result: undefined };
    if (current.schedule?.status !== 'active') return { record: current, result: undefined };
    const next = { ...current, schedule: pauseSchedule(current.schedule, reason, deps.clock()) };
    return { record: next, result: next };
  });
  if (!record?.schedule) return;
  deps.metrics?.paused(reason);
  if (reason === 'bot-removed') return;
  const session = action && 'session' in action ? action.session : record.schedule.next;
  await tellFacilitators(
    guildId,
    pausedForProblemReply(session, reason, record.schedule.settings.channelId, record.facilitatorRoleId),
    deps,
  );
}
