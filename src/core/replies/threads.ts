import { type ChannelKind, listPermissions, type Permissions } from '../access.js';
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

/** What the bot needs to open a thread on a message and post in it. */
const THREAD_PERMISSIONS = [
  'ViewChannel',
  'ReadMessageHistory',
  'CreatePublicThreads',
  'SendMessagesInThreads',
];

/** The private message when the bot lacks some of what it needs to open and post in a thread. */
function botCannotOpenThreads(bot: ReadonlySet<string>): Reply | undefined {
  const missing = THREAD_PERMISSIONS.filter((p) => !bot.has(p));
  if (missing.length === 0) return undefined;
  return notice(
    `I can't open a thread here: I need ${listPermissions(missing)} in this channel. A server admin can grant ${missing.length > 1 ? 'them' : 'it'} in the channel's permission settings.`,
  );
}

/**
 * When Discord refuses a thread for missing permissions: the ones the bot lacks by its own reckoning, or,
 * when it seems to have them all, a plain account of the refusal.
 */
export function threadForbidden(bot: ReadonlySet<string>): Reply {
  return (
    botCannotOpenThreads(bot) ??
    notice(
      'Discord refused to open a thread here. Check that Crux can see this channel, read its history and create threads in it, then try again.',
    )
  );
}

/** Confirms a new thread; `mention` is the thread's channel mention. */
export function threadOpened(mention: string): Reply {
  return notice(`Opened a discussion thread: ${mention}`);
}

/** The thread exists but its first message could not be posted; `ref` finds the details in the log. */
export function threadOpenedWithoutStarter(mention: string, ref: string): Reply {
  return notice(
    `Opened a discussion thread: ${mention}, but I couldn't post its first message there (ref ${ref}).`,
  );
}

/** When someone already opened the discussion on this message. */
export function threadAlreadyOpen(mention: string): Reply {
  return notice(`The discussion is already open: ${mention}`);
}
