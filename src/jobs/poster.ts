import type { Reply } from '../core/reply.js';
import type { PauseReason } from '../core/schedule/plan.js';

/**
 * What scheduled work needs from Discord, as plain calls. The discord.js implementation lives in
 * src/discord/poster.ts; jobs never see a discord.js object.
 */
export interface Poster {
  /**
   * Posts to a channel and returns what Discord made of it. Throws `PostError` when Discord cannot take it,
   * including when it would show the post without its embeds (no Embed Links).
   */
  post(channelId: string, reply: Reply): Promise<Posted>;
  /** Opens a thread on a message and posts its first message; returns the thread id. */
  openThread(channelId: string, messageId: string, name: string, starter: Reply): Promise<string>;
  /**
   * A message of this bot in the channel, posted after `after`, that carries `marker`: as a component's
   * custom id, or in its text (for messages that have no components, such as native polls). Throws
   * `PostError` when it cannot tell (it may not read the channel's history): never "not posted" unseen.
   */
  findPosted(channelId: string, marker: string, after: Date): Promise<Posted | undefined>;
  /** Replaces a message's content. Throws `PostError` ('message-missing' when it was deleted). */
  edit(channelId: string, messageId: string, reply: Reply): Promise<void>;
  /** Ends a native poll the bot posted; one already ended is fine. */
  endPoll(channelId: string, messageId: string): Promise<void>;
  /** Who voted for one answer of a native poll (an id from `Posted.pollAnswerIds`), every page. */
  pollVoters(channelId: string, messageId: string, answerId: number): Promise<string[]>;
  /**
   * Whether the bot is in the server, on Discord's word: 'absent' only when Discord says so (it does not
   * know the server, or refuses the bot access to it), never because a cache lacks it. Throws when Discord
   * cannot be asked (an outage): nothing is concluded then.
   */
  presence(guildId: string): Promise<'present' | 'absent'>;
  /** Tells a server's facilitators something, in a channel the bot may post in; false when there is none. */
  notifyFacilitators(guildId: string, reply: Reply): Promise<boolean>;
}

/** A message Discord created. */
export interface Posted {
  readonly id: string;
  /**
   * For a native poll, the id Discord gave each answer, in the order they were sent. Discord numbers them
   * itself and warns against assuming 1, 2, 3… (resources/poll.mdx, "Poll Answer Object").
   */
  readonly pollAnswerIds: readonly number[];
}

/** Why Discord refused: the schedule's pause reasons, and a message that is gone. */
export type PostErrorReason = Exclude<PauseReason, 'facilitator'> | 'message-missing';

/** Discord refused a post for a reason only a person can fix; the schedule pauses instead of retrying. */
export class PostError extends Error {
  override name = 'PostError';
  constructor(
    readonly reason: PostErrorReason,
    message: string,
  ) {
    super(message);
  }
}
