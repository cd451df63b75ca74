import {
  ChannelType,
  type Client,
  DiscordAPIError,
  type GuildBasedChannel,
  PermissionFlagsBits,
  type SendableChannels,
  SnowflakeUtil,
} from 'discord.js';
import type { Reply } from '../core/reply.js';
import { PostError, type Poster } from '../jobs/poster.js';
import type { Logger } from '../logger.js';
import { DISCORD_CODES } from './codes.js';
import { renderChannelMessage } from './render.js';
import { startThread, threadableChannel } from './threads.js';

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
    const channel = threadableChannel(await this.#sendable(channelId));
    if (!channel) throw new PostError('no-permission', 'threads can only be opened in text channels');
    const opened = await startThread(channel, messageId, name, starter).catch((error: unknown) => {
      throw asPostError(error);
    });
    switch (opened.kind) {
      case 'forbidden':
        throw new PostError('no-permission', 'missing a permission to open a thread');
      case 'no-starter':
        this.#logger.warn(
          { err: opened.error, threadId: opened.threadId },
          'could not post a thread’s first message',
        );
        return opened.threadId;
      default:
        return opened.threadId;
    }
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
      if (error instanceof DiscordAPIError && error.code === DISCORD_CODES.pollExpired) return;
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
  if (error.code === DISCORD_CODES.unknownChannel) return new PostError('channel-missing', error.message);
  if (error.code === DISCORD_CODES.unknownMessage) return new PostError('message-missing', error.message);
  if (error.code === DISCORD_CODES.missingAccess || error.code === DISCORD_CODES.missingPermissions)
    return new PostError('no-permission', error.message);
  if (error.status >= 400 && error.status < 500 && error.status !== 429)
    return new PostError('rejected', `${error.code}: ${error.message}`);
  return error;
}
