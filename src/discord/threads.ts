import { DiscordAPIError, type REST, Routes, SnowflakeUtil, ThreadAutoArchiveDuration } from 'discord.js';
import { z } from 'zod';
import type { Reply } from '../core/reply.js';
import { DISCORD_CODES } from './codes.js';
import { renderApiMessage, renderThreadName } from './render.js';

/** How opening a discussion thread on a message went. */
export type ThreadOutcome =
  | { readonly kind: 'opened'; readonly threadId: string }
  /** The thread is open and people can talk in it; only its first message is missing. */
  | { readonly kind: 'no-starter'; readonly threadId: string; readonly error: unknown }
  /** The message already has a thread (a thread started from a message has the message's id). */
  | { readonly kind: 'exists'; readonly threadId: string }
  /** The bot lacks a permission it needs there. */
  | { readonly kind: 'forbidden' };

const Created = z.looseObject({ id: z.string() });

/**
 * Opens a week-long public thread on a message and posts its first message: the one place that knows
 * Discord's answers to this (already a thread, missing access or permissions), for the Discuss buttons and
 * the weekly session alike. Other failures are thrown.
 */
export async function startThread(
  rest: REST,
  channelId: string,
  messageId: string,
  name: string,
  starter: Reply | undefined,
): Promise<ThreadOutcome> {
  let threadId: string;
  try {
    const thread = await rest.post(Routes.threads(channelId, messageId), {
      body: { name: renderThreadName(name), auto_archive_duration: ThreadAutoArchiveDuration.OneWeek },
    });
    threadId = Created.parse(thread).id;
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
  if (!starter) return { kind: 'opened', threadId };
  try {
    const { body, files } = renderApiMessage(starter, SnowflakeUtil.generate().toString());
    await rest.post(Routes.channelMessages(threadId), { body, files });
    return { kind: 'opened', threadId };
  } catch (error) {
    return { kind: 'no-starter', threadId, error };
  }
}
