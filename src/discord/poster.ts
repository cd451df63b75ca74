import {
  ChannelType,
  type Client,
  DiscordAPIError,
  type GuildBasedChannel,
  PermissionFlagsBits,
  type REST,
  Routes,
  SnowflakeUtil,
} from 'discord.js';
import { z } from 'zod';
import type { Reply } from '../core/reply.js';
import { PostError, type Posted, type Poster } from '../jobs/poster.js';
import type { Logger } from '../logger.js';
import { DISCORD_CODES } from './codes.js';
import { renderApiMessage } from './render.js';
import { startThread } from './threads.js';

/** Discord's largest page of poll voters. */
const VOTERS_PAGE = 100;

/** The parts of a message Discord returns that the poster reads. */
const CreatedSchema = z.looseObject({
  id: z.string(),
  content: z.string(),
  author: z.looseObject({ id: z.string() }),
  embeds: z.array(z.unknown()).default([]),
  poll: z.looseObject({ answers: z.array(z.looseObject({ answer_id: z.number() })) }).optional(),
  components: z
    .array(
      z.looseObject({ components: z.array(z.looseObject({ custom_id: z.string().optional() })).optional() }),
    )
    .optional(),
});
const Voters = z.looseObject({ users: z.array(z.looseObject({ id: z.string() })) });

/**
 * Scheduled posts through Discord's REST API. Discord's refusals become `PostError`s; other failures (5xx,
 * network) rethrow, for the caller's claim to judge later. The client is used only for what it already
 * knows from the gateway: which servers the bot is in, and their channels and permissions.
 */
export class DiscordPoster implements Poster {
  readonly #client: Client;
  readonly #rest: REST;
  readonly #logger: Logger;

  constructor(client: Client, rest: REST, logger: Logger) {
    this.#client = client;
    this.#rest = rest;
    this.#logger = logger;
  }

  async post(channelId: string, reply: Reply): Promise<Posted> {
    const embedded = (reply.embeds ?? []).length > 0;
    // Without Embed Links, Discord would post the text and silently drop the embeds (the readings, the
    // excerpt, the crux): a refusal to fix, not a post to record.
    if (embedded) this.#requirePermissions(channelId, [PermissionFlagsBits.EmbedLinks], 'Embed Links');
    const { body, files } = renderApiMessage(reply, SnowflakeUtil.generate().toString());
    const created = CreatedSchema.parse(
      await this.#call(() => this.#rest.post(Routes.channelMessages(channelId), { body, files })),
    );
    if (embedded && created.embeds.length === 0) {
      // The permission changed after the bot last heard of it: take the bare post back.
      await this.#rest.delete(Routes.channelMessage(channelId, created.id)).catch(() => undefined);
      throw new PostError('no-permission', 'Discord dropped the embeds: Embed Links is missing');
    }
    return posted(created);
  }

  async openThread(channelId: string, messageId: string, name: string, starter: Reply): Promise<string> {
    const opened = await this.#call(() => startThread(this.#rest, channelId, messageId, name, starter));
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

  async findPosted(channelId: string, marker: string, after: Date): Promise<Posted | undefined> {
    // Without Read Message History Discord lists no messages at all (200 with []): an empty list would
    // then mean "cannot tell", and taking it for "not posted" would post twice.
    this.#requirePermissions(channelId, [PermissionFlagsBits.ReadMessageHistory], 'Read Message History');
    const query = new URLSearchParams({
      limit: '100',
      after: SnowflakeUtil.generate({ timestamp: after }).toString(),
    });
    const messages = z
      .array(CreatedSchema)
      .parse(await this.#call(() => this.#rest.get(Routes.channelMessages(channelId), { query })));
    const me = this.#client.user?.id;
    const found = messages.find(
      (message) =>
        message.author.id === me &&
        (message.content.includes(marker) ||
          (message.components ?? []).some((row) =>
            (row.components ?? []).some((c) => c.custom_id === marker),
          )),
    );
    return found ? posted(found) : undefined;
  }

  async edit(channelId: string, messageId: string, reply: Reply): Promise<void> {
    const { body, files } = renderApiMessage(reply, '');
    const { nonce: _nonce, enforce_nonce: _enforce, ...edit } = body;
    await this.#call(() =>
      this.#rest.patch(Routes.channelMessage(channelId, messageId), { body: edit, files }),
    );
  }

  async endPoll(channelId: string, messageId: string): Promise<void> {
    try {
      await this.#rest.post(Routes.expirePoll(channelId, messageId));
    } catch (error) {
      if (error instanceof DiscordAPIError && error.code === DISCORD_CODES.pollExpired) return;
      throw asPostError(error);
    }
  }

  async pollVoters(channelId: string, messageId: string, answerId: number): Promise<string[]> {
    const voters: string[] = [];
    for (let after: string | undefined; ; ) {
      const query = new URLSearchParams({ limit: String(VOTERS_PAGE), ...(after ? { after } : {}) });
      const page = Voters.parse(
        await this.#call(() =>
          this.#rest.get(Routes.pollAnswerVoters(channelId, messageId, answerId), { query }),
        ),
      );
      voters.push(...page.users.map((user) => user.id));
      if (page.users.length < VOTERS_PAGE) return voters;
      after = page.users.at(-1)?.id;
    }
  }

  async presence(guildId: string): Promise<'present' | 'absent'> {
    if (this.#client.guilds.cache.has(guildId)) return 'present';
    // Not in this process's cache is not evidence: the server may be on another process's shard, or the
    // event that added it missed. Discord's answer is.
    try {
      await this.#rest.get(Routes.guild(guildId));
      return 'present';
    } catch (error) {
      if (
        error instanceof DiscordAPIError &&
        (error.code === DISCORD_CODES.unknownGuild || error.code === DISCORD_CODES.missingAccess)
      )
        return 'absent';
      throw error;
    }
  }

  async notifyFacilitators(guildId: string, reply: Reply): Promise<boolean> {
    const guild = this.#client.guilds.cache.get(guildId);
    const me = guild?.members.me;
    if (!guild || !me) return false;
    const canPost = (channel: GuildBasedChannel | null | undefined): channel is GuildBasedChannel =>
      !!channel &&
      channel.type === ChannelType.GuildText &&
      channel.permissionsFor(me).has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages]);
    const candidates = [
      guild.systemChannel,
      ...[...guild.channels.cache.values()].sort((a, b) => position(a) - position(b)),
    ];
    const channel = candidates.find(canPost);
    if (!channel) return false;
    await this.post(channel.id, reply);
    return true;
  }

  /**
   * Refuses (`PostError` 'no-permission') when the gateway's view of the channel says the bot lacks a
   * permission. A channel the client has not cached is let through: Discord itself will answer.
   */
  #requirePermissions(channelId: string, needed: readonly bigint[], what: string): void {
    const channel = this.#client.channels.cache.get(channelId);
    if (!channel || !('guild' in channel) || !channel.guild.members.me) return;
    const permissions = channel.permissionsFor(channel.guild.members.me);
    if (permissions && !permissions.has(needed))
      throw new PostError('no-permission', `missing ${what} in the channel`);
  }

  /** Runs a REST call, turning Discord's refusals into `PostError`s. */
  async #call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw asPostError(error);
    }
  }
}

function posted(message: z.infer<typeof CreatedSchema>): Posted {
  return { id: message.id, pollAnswerIds: message.poll?.answers.map((answer) => answer.answer_id) ?? [] };
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
