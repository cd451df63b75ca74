import {
  ChannelType,
  type Client,
  DiscordAPIError,
  type GuildBasedChannel,
  PermissionFlagsBits,
  type SendableChannels,
  SnowflakeUtil,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { Reply } from '../core/reply.js';
import { PostError, type Poster } from '../jobs/poster.js';
import type { Logger } from '../logger.js';
import { renderChannelMessage, renderThreadName } from './render.js';

const UNKNOWN_CHANNEL = 10003;
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;
const UNKNOWN_MESSAGE = 10008;
const THREAD_ALREADY_EXISTS = 160004;
const POLL_EXPIRED = 520001;
/** Discord's largest page of poll voters. */
const VOTERS_PAGE = 100;

/** Scheduled posts through discord.js. Discord's refusals become `PostError`s; other failures rethrow. */
export class DiscordPoster implements Poster {
  readonly #client: Client;
  readonly #logger: Logger;

  constructor(client: Client, logger: Logger) {
    this.#client = client;
    this.#logger = logger;
  }

  async post(channelId: string, reply: Reply): Promise<string> {
    const channel = await this.#sendable(channelId);
    try {
      return (await channel.send(renderChannelMessage(reply))).id;
    } catch (error) {
      throw asPostError(error);
    }
  }

  async openThread(channelId: string, messageId: string, name: string, starter: Reply): Promise<string> {
    const channel = await this.#sendable(channelId);
    if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
      throw new PostError('no-permission', 'threads can only be opened in text channels');
    }
    let threadId: string;
    try {
      const thread = await channel.threads.create({
        startMessage: messageId,
        name: renderThreadName(name),
        autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
      });
      threadId = thread.id;
      await thread.send(renderChannelMessage(starter)).catch((error: unknown) => {
        // The thread is open and people can talk in it; only its first message is missing.
        this.#logger.warn({ err: error, threadId }, 'could not post a session thread’s first message');
      });
    } catch (error) {
      // A thread started from a message has the message's id; one already there is the one we wanted.
      if (error instanceof DiscordAPIError && error.code === THREAD_ALREADY_EXISTS) return messageId;
      throw asPostError(error);
    }
    return threadId;
  }

  async findPosted(channelId: string, marker: string, after: Date): Promise<string | undefined> {
    const channel = await this.#sendable(channelId);
    try {
      const messages = await channel.messages.fetch({
        limit: 100,
        after: SnowflakeUtil.generate({ timestamp: after }).toString(),
      });
      const mine = messages.find(
        (message) =>
          message.author.id === this.#client.user?.id &&
          (message.content.includes(marker) ||
            message.components.some(
              (row) =>
                'components' in row && row.components.some((c) => 'customId' in c && c.customId === marker),
            )),
      );
      return mine?.id;
    } catch (error) {
      throw asPostError(error);
    }
  }

  async edit(channelId: string, messageId: string, reply: Reply): Promise<void> {
    const channel = await this.#sendable(channelId);
    try {
      await channel.messages.edit(messageId, renderChannelMessage(reply));
    } catch (error) {
      throw asPostError(error);
    }
  }

  async endPoll(channelId: string, messageId: string): Promise<void> {
    const channel = await this.#sendable(channelId);
    try {
      await channel.messages.endPoll(messageId);
    } catch (error) {
      if (error instanceof DiscordAPIError && error.code === POLL_EXPIRED) return;
      throw asPostError(error);
    }
  }

  async pollVoters(channelId: string, messageId: string, answerId: number): Promise<string[]> {
    const channel = await this.#sendable(channelId);
    const voters: string[] = [];
    try {
      for (let after: string | undefined; ; ) {
        const page = await channel.messages.fetchPollAnswerVoters({
          messageId,
          answerId,
          limit: VOTERS_PAGE,
          ...(after ? { after } : {}),
        });
        voters.push(...page.keys());
        if (page.size < VOTERS_PAGE) return voters;
        after = page.lastKey();
      }
    } catch (error) {
      throw asPostError(error);
    }
  }

  inGuild(guildId: string): boolean {
    return this.#client.guilds.cache.has(guildId);
  }

  async notifyFacilitators(guildId: string, reply: Reply): Promise<boolean> {
    const guild = this.#client.guilds.cache.get(guildId);
    const me = guild?.members.me;
    if (!guild || !me) return false;
    const canPost = (
      channel: GuildBasedChannel | null | undefined,
    ): channel is GuildBasedChannel & SendableChannels =>
      !!channel &&
      channel.type === ChannelType.GuildText &&
      channel.permissionsFor(me).has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages]);
    const candidates = [
      guild.systemChannel,
      ...[...guild.channels.cache.values()].sort((a, b) => position(a) - position(b)),
    ];
    const channel = candidates.find(canPost);
    if (!channel) return false;
    await channel.send(renderChannelMessage(reply));
    return true;
  }

  async #sendable(channelId: string): Promise<SendableChannels & GuildBasedChannel> {
    let channel: Awaited<ReturnType<Client['channels']['fetch']>>;
    try {
      channel = await this.#client.channels.fetch(channelId);
    } catch (error) {
      throw asPostError(error);
    }
    if (!channel?.isSendable() || channel.isDMBased())
      throw new PostError('channel-missing', `channel ${channelId} is gone`);
    return channel as SendableChannels & GuildBasedChannel;
  }
}

function position(channel: GuildBasedChannel): number {
  return 'position' in channel ? channel.position : 0;
}

/**
 * Discord's refusals as `PostError`s: any 4xx is an answer that will not change by retrying (discord.js
 * already waits out 429s), so the schedule pauses instead of looping. 5xx and network errors pass through
 * and are retried later.
 */
function asPostError(error: unknown): unknown {
  if (!(error instanceof DiscordAPIError)) return error;
  if (error.code === UNKNOWN_CHANNEL) return new PostError('channel-missing', error.message);
  if (error.code === UNKNOWN_MESSAGE) return new PostError('message-missing', error.message);
  if (error.code === MISSING_ACCESS || error.code === MISSING_PERMISSIONS)
    return new PostError('no-permission', error.message);
  if (error.status >= 400 && error.status < 500 && error.status !== 429)
    return new PostError('rejected', `${error.code}: ${error.message}`);
  return error;
}
