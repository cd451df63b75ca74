import {
  ChannelType,
  DiscordAPIError,
  type NewsChannel,
  type TextBasedChannel,
  type TextChannel,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { Reply } from '../core/reply.js';
import { DISCORD_CODES } from './codes.js';
import { renderChannelMessage, renderThreadName } from './render.js';

/** How opening a discussion thread on a message went. */
export type ThreadOutcome =
  | { readonly kind: 'opened'; readonly threadId: string }
  /** The thread is open and people can talk in it; only its first message is missing. */
  | { readonly kind: 'no-starter'; readonly threadId: string; readonly error: unknown }
  /** The message already has a thread (a thread started from a message has the message's id). */
  | { readonly kind: 'exists'; readonly threadId: string }
  /** The bot lacks a permission it needs there. */
  | { readonly kind: 'forbidden' };

/** A channel threads can be started in from a message. */
export function threadableChannel(channel: TextBasedChannel | null): TextChannel | NewsChannel | undefined {
  return channel?.type === ChannelType.GuildText || channel?.type === ChannelType.GuildAnnouncement
    ? channel
    : undefined;
}

/**
 * Opens a week-long public thread on a message and posts its first message: the one place that knows
 * Discord's answers to this (already a thread, missing access or permissions). Other failures are thrown.
 */
export async function startThread(
  channel: TextChannel | NewsChannel,
  messageId: string,
  name: string,
  starter: Reply | undefined,
): Promise<ThreadOutcome> {
  let threadId: string;
  try {
    const thread = await channel.threads.create({
      startMessage: messageId,
      name: renderThreadName(name),
      autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
    });
    threadId = thread.id;
    if (!starter) return { kind: 'opened', threadId };
    try {
      await thread.send(renderChannelMessage(starter));
    } catch (error) {
      return { kind: 'no-starter', threadId, error };
    }
  } catch (error) {
    if (error instanceof DiscordAPIError && error.code === DISCORD_CODES.threadAlreadyExists)
      return { kind: 'exists', threadId: messageId };
    if (
      error instanceof DiscordAPIError &&
      (error.code === DISCORD_CODES.missingPermissions || error.code === DISCORD_CODES.missingAccess)
    )
      return { kind: 'forbidden' };
    throw error;
  }
  return { kind: 'opened', threadId };
}
