import type { ChannelKind, Permissions } from '../access.js';
import { notice, type Reply } from '../reply.js';

/** Replies about discussion threads, shared by every Discuss button. */

/** Why a thread cannot be opened, checked before asking Discord. `undefined` when it can. */
export function threadRefusal(channelKind: ChannelKind, permissions: Permissions): Reply | undefined {
  if (channelKind === 'thread')
    return notice('This message is already in a thread, so the discussion can continue right here.');
  if (channelKind !== 'text')
    return notice('Discussion threads can only be opened in a server text channel.');
  if (!permissions.member.has('CreatePublicThreads')) {
    return notice(
      'You need the **Create Public Threads** permission in this channel to open a discussion thread. Ask a moderator, or reply in the channel instead.',
    );
  }
  return botCannotOpenThreads(permissions.bot);
}

/** The private message when the bot itself lacks what it needs to open and post in a thread. */
export function botCannotOpenThreads(bot: ReadonlySet<string>): Reply | undefined {
  const missing = ['CreatePublicThreads', 'SendMessagesInThreads'].filter((p) => !bot.has(p));
  if (missing.length === 0) return undefined;
  return notice(
    `I can't open a thread here: I need ${missing.map((p) => `**${spaced(p)}**`).join(' and ')} in this channel. A server admin can grant them in the channel's permission settings.`,
  );
}

/** Confirms a new thread; `mention` is the thread's channel mention. */
export function threadOpened(mention: string): Reply {
  return notice(`Opened a discussion thread: ${mention}`);
}

/** When someone already opened the discussion on this message. */
export function threadAlreadyOpen(mention: string): Reply {
  return notice(`The discussion is already open: ${mention}`);
}

/** "CreatePublicThreads" → "Create Public Threads". */
function spaced(permission: string): string {
  return permission.replace(/(?<=[a-z])(?=[A-Z])/gu, ' ');
}
