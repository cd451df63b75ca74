import { DiscordSnowflake } from '@sapphire/snowflake';
import {
  type APIAttachment,
  type APIEmbed,
  type APIGuildMember,
  type APIMessage,
  type APIMessageComponent,
  type APIOverwrite,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  ChannelType,
  MessageFlags,
  MessageType,
  OverwriteType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import {
  type AllowedMentions,
  type MentionSource,
  NOTIFIES_NOBODY,
  type Notified,
  notified,
} from './mentions.js';
import {
  BOT_DEFAULTS,
  bits,
  computePermissions,
  EVERYONE_DEFAULTS,
  type PermissionName,
} from './permissions.js';

/**
 * The emulated Discord's state: users, servers, channels, threads, messages, polls and votes, kept as the
 * API objects Discord would return. Routes and the gateway read and change it; tests read it through
 * the member-facing API in `members.ts`.
 */

export interface EmulatedGuild {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  readonly roles: Map<string, APIRole>;
  readonly members: Map<string, { roles: string[]; joinedAt: string }>;
  readonly channelIds: string[];
  /** False once the bot has been removed (or the server deleted). */
  botPresent: boolean;
}

/** A text channel or a public thread, as the API returns it. */
export type ChannelData = (APITextChannel | APIThreadChannel) & {
  guild_id: string;
  name: string;
  permission_overwrites?: APIOverwrite[];
};

export interface EmulatedChannel {
  data: ChannelData;
  readonly guildId: string;
  /** Insertion-ordered, oldest first. */
  readonly messages: Map<string, EmulatedMessage>;
  deleted: boolean;
}

export interface EmulatedMessage {
  data: APIMessage;
  /** Set for ephemeral messages: only this user sees them. */
  readonly visibleTo?: string;
  deleted: boolean;
  /** Who the message notified (see mentions.ts): recomputed when its content is edited. */
  notified: Notified;
}

export interface EmulatedPoll {
  readonly messageId: string;
  readonly channelId: string;
  readonly answers: readonly { readonly id: number; readonly text: string }[];
  readonly allowMultiselect: boolean;
  /** Answer id → user ids. */
  readonly votes: Map<number, Set<string>>;
  expiresAt: number;
  finalized: boolean;
}

/** A message as a request describes it, before the emulator turns it into a stored message. */
export interface MessageInput {
  readonly content?: string | null;
  readonly embeds?: APIEmbed[] | null;
  readonly components?: APIMessageComponent[] | null;
  readonly flags?: number | null;
  readonly poll?: {
    question: { text?: string };
    answers: { poll_media: { text?: string } }[];
    duration?: number;
    allow_multiselect?: boolean;
  } | null;
  readonly attachments?: APIAttachment[];
  readonly allowed_mentions?: AllowedMentions;
}

export class World {
  readonly users = new Map<string, APIUser>();
  readonly guilds = new Map<string, EmulatedGuild>();
  readonly channels = new Map<string, EmulatedChannel>();
  readonly polls = new Map<string, EmulatedPoll>();
  /** The bytes of every file the bot uploaded, by attachment id. */
  readonly files = new Map<string, Uint8Array>();
  readonly bot: APIUser;
  readonly applicationId: string;
  readonly #now: () => number;

  constructor(options: { readonly now: () => number; readonly botName: string }) {
    this.#now = options.now;
    this.bot = this.createUser(options.botName, true);
    this.applicationId = this.bot.id;
  }

  now(): number {
    return this.#now();
  }

  /** A fresh snowflake from the emulator's clock, so ids sort by creation like Discord's. */
  newId(): string {
    return DiscordSnowflake.generate({ timestamp: BigInt(this.now()) }).toString();
  }

  createUser(name: string, bot = false): APIUser {
    const user: APIUser = {
      id: this.newId(),
      username: name,
      discriminator: '0',
      global_name: bot ? null : name,
      avatar: null,
      ...(bot ? { bot: true } : {}),
    };
    this.users.set(user.id, user);
    return user;
  }

  /** A server with @everyone, the bot as a member (with the role its invite grants), and an owner. */
  createGuild(name: string, owner: APIUser): EmulatedGuild {
    const id = this.newId();
    const guild: EmulatedGuild = {
      id,
      name,
      ownerId: owner.id,
      roles: new Map(),
      members: new Map(),
      channelIds: [],
      botPresent: true,
    };
    this.guilds.set(id, guild);
    this.createRole(guild, '@everyone', EVERYONE_DEFAULTS, id);
    const botRole = this.createRole(guild, this.bot.username, BOT_DEFAULTS);
    this.addMember(guild, owner, []);
    this.addMember(guild, this.bot, [botRole.id]);
    return guild;
  }

  createRole(
    guild: EmulatedGuild,
    name: string,
    permissions: readonly PermissionName[],
    id = this.newId(),
    mentionable = false,
  ): APIRole {
    const role: APIRole = {
      id,
      name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: guild.roles.size,
      permissions: bits(permissions).toString(),
      managed: false,
      // Discord's default for a new role; a server admin turns it on in the role's settings.
      mentionable,
      flags: 0 as APIRole['flags'],
    };
    guild.roles.set(id, role);
    return role;
  }

  addMember(guild: EmulatedGuild, user: APIUser, roles: string[]): void {
    guild.members.set(user.id, { roles, joinedAt: new Date(this.now()).toISOString() });
  }

  createChannel(guild: EmulatedGuild, name: string, overwrites: APIOverwrite[] = []): EmulatedChannel {
    const id = this.newId();
    const channel: EmulatedChannel = {
      data: {
        id,
        type: ChannelType.GuildText,
        guild_id: guild.id,
        name,
        position: guild.channelIds.length,
        permission_overwrites: overwrites,
        parent_id: null,
        topic: null,
        nsfw: false,
        rate_limit_per_user: 0,
        last_message_id: null,
      },
      guildId: guild.id,
      messages: new Map(),
      deleted: false,
    };
    this.channels.set(id, channel);
    guild.channelIds.push(id);
    return channel;
  }

  /** A public thread started from a message: it takes the message's id, as on Discord. */
  createThread(
    parent: EmulatedChannel,
    message: EmulatedMessage,
    name: string,
    autoArchive: number,
  ): EmulatedChannel {
    const id = message.data.id;
    const thread: EmulatedChannel = {
      data: {
        id,
        type: ChannelType.PublicThread,
        guild_id: parent.guildId,
        parent_id: parent.data.id,
        owner_id: this.bot.id,
        name,
        last_message_id: null,
        message_count: 0,
        member_count: 1,
        rate_limit_per_user: 0,
        total_message_sent: 0,
        flags: 0 as APIThreadChannel['flags'],
        thread_metadata: {
          archived: false,
          auto_archive_duration: autoArchive as 60,
          archive_timestamp: new Date(this.now()).toISOString(),
          locked: false,
        },
      },
      guildId: parent.guildId,
      messages: new Map(),
      deleted: false,
    };
    this.channels.set(id, thread);
    this.guilds.get(parent.guildId)?.channelIds.push(id);
    message.data = { ...message.data, thread: thread.data as APIMessage['thread'] };
    return thread;
  }

  /** The channel whose permission overwrites apply: a thread's parent, or the channel itself. */
  permissionChannel(channel: EmulatedChannel): EmulatedChannel {
    const parentId = channel.data.type === ChannelType.PublicThread ? channel.data.parent_id : undefined;
    return (parentId ? this.channels.get(parentId) : undefined) ?? channel;
  }

  /** A user's permissions in a channel, by Discord's algorithm. */
  permissions(userId: string, channel: EmulatedChannel): bigint {
    const guild = this.guilds.get(channel.guildId);
    const member = guild?.members.get(userId);
    if (!guild || !member) return 0n;
    return computePermissions({
      guildId: guild.id,
      ownerId: guild.ownerId,
      userId,
      roles: new Map([...guild.roles].map(([id, role]) => [id, BigInt(role.permissions)])),
      memberRoles: member.roles,
      overwrites: this.permissionChannel(channel).data.permission_overwrites ?? [],
    });
  }

  /** Sets the bot's overwrite in a channel: allow and deny lists, replacing any earlier one. */
  setBotOverwrite(
    channel: EmulatedChannel,
    allow: readonly PermissionName[],
    deny: readonly PermissionName[],
  ): void {
    const others = (channel.data.permission_overwrites ?? []).filter((o) => o.id !== this.bot.id);
    channel.data.permission_overwrites = [
      ...others,
      {
        id: this.bot.id,
        type: OverwriteType.Member,
        allow: bits(allow).toString(),
        deny: bits(deny).toString(),
      },
    ];
  }

  memberPayload(guild: EmulatedGuild, userId: string): APIGuildMember {
    const member = guild.members.get(userId);
    const user = this.users.get(userId);
    if (!member || !user) throw new Error(`${userId} is not a member of ${guild.name}`);
    return {
      user,
      roles: member.roles,
      joined_at: member.joinedAt,
      deaf: false,
      mute: false,
      flags: 0 as APIGuildMember['flags'],
      nick: null,
    };
  }

  /** Stores a message the bot sent, shaped as Discord returns it. */
  addMessage(
    channel: EmulatedChannel,
    input: MessageInput,
    extra: Partial<APIMessage> = {},
    visibleTo?: string,
    source: MentionSource = 'channel',
  ): EmulatedMessage {
    const id = this.newId();
    // An ephemeral message notifies no one but the member it is for, who is not pinged by it either.
    const notifiedBy = visibleTo
      ? NOTIFIES_NOBODY
      : this.#notified(channel, input.content ?? '', input.allowed_mentions, source);
    const data: APIMessage = {
      id,
      channel_id: channel.data.id,
      author: this.bot,
      content: input.content ?? '',
      timestamp: new Date(this.now()).toISOString(),
      edited_timestamp: null,
      tts: false,
      ...this.#mentionFields(notifiedBy),
      attachments: input.attachments ?? [],
      embeds: input.embeds ?? [],
      pinned: false,
      type: MessageType.Default,
      flags: input.flags ?? 0,
      components: (input.components ?? []) as APIMessage['components'],
      ...(input.poll ? { poll: this.#createPoll(channel, id, input.poll) } : {}),
      ...extra,
    };
    const message: EmulatedMessage = {
      data,
      deleted: false,
      notified: notifiedBy,
      ...(visibleTo ? { visibleTo } : {}),
    };
    channel.messages.set(id, message);
    channel.data.last_message_id = id;
    return message;
  }

  /**
   * Applies an edit: only the fields the request sets change, as on Discord. An edit of the content
   * rebuilds the mentions "from scratch", with default allowances unless the edit gives its own
   * (resources/message.mdx, "Edit Message").
   */
  editMessage(message: EmulatedMessage, input: MessageInput, source: MentionSource = 'channel'): void {
    const channel = this.channels.get(message.data.channel_id);
    if (input.content !== undefined && channel && !message.visibleTo) {
      message.notified = this.#notified(channel, input.content ?? '', input.allowed_mentions, source);
    }
    // change-log.mdx, "Add Polls when Editing Deferred Interaction Responses": a poll can be added while
    // filling a deferred response; any other message keeps the poll it was created with.
    const deferred = ((message.data.flags ?? 0) & MessageFlags.Loading) !== 0;
    const poll =
      input.poll && deferred && !message.data.poll && channel
        ? { poll: this.#createPoll(channel, message.data.id, input.poll) }
        : {};
    message.data = {
      ...message.data,
      ...poll,
      ...this.#mentionFields(message.notified),
      ...(input.content !== undefined ? { content: input.content ?? '' } : {}),
      ...(input.embeds !== undefined ? { embeds: input.embeds ?? [] } : {}),
      ...(input.components !== undefined
        ? { components: (input.components ?? []) as APIMessage['components'] }
        : {}),
      ...(input.attachments !== undefined ? { attachments: input.attachments } : {}),
      // Editing a deferred "thinking…" message turns it into a normal one.
      flags: (message.data.flags ?? 0) & ~MessageFlags.Loading,
      edited_timestamp: new Date(this.now()).toISOString(),
    };
  }

  /** Who a message from the bot in `channel` notifies (mentions.ts). */
  #notified(
    channel: EmulatedChannel,
    content: string,
    allowed: AllowedMentions | undefined,
    source: MentionSource,
  ): Notified {
    const guild = this.guilds.get(channel.guildId);
    if (!guild) return NOTIFIES_NOBODY;
    const canView = (userId: string) =>
      (this.permissions(userId, channel) & PermissionFlagsBits.ViewChannel) !== 0n;
    return notified(content, allowed, source, {
      mentionable: (roleId) => guild.roles.get(roleId)?.mentionable === true,
      senderHas: (permission) => (this.permissions(this.bot.id, channel) & permission) !== 0n,
      viewers: () => [...guild.members.keys()].filter((id) => id !== this.bot.id && canView(id)),
      holders: (roleId) =>
        [...guild.members.entries()]
          .filter(([id, member]) => member.roles.includes(roleId) && id !== this.bot.id && canView(id))
          .map(([id]) => id),
    });
  }

  /** A message's mention fields, as Discord fills them from who was notified. */
  #mentionFields(who: Notified): Pick<APIMessage, 'mentions' | 'mention_roles' | 'mention_everyone'> {
    return {
      mention_everyone: who.everyone,
      mentions: who.users.flatMap((id) => this.users.get(id) ?? []),
      mention_roles: [...who.roles],
    };
  }

  #createPoll(
    channel: EmulatedChannel,
    messageId: string,
    poll: NonNullable<MessageInput['poll']>,
  ): APIMessage['poll'] {
    const hours = poll.duration ?? 24;
    const stored: EmulatedPoll = {
      messageId,
      channelId: channel.data.id,
      // resources/poll.mdx, "Poll Answer Object": answer ids "currently" start at 1 and go up one by one,
      // but "We recommend against depending on this sequence". The emulator numbers them 11, 13, 15… so a
      // client that assumes 1, 2, 3… fails here rather than on the day Discord changes.
      answers: poll.answers.map((answer, index) => ({
        id: 11 + index * 2,
        text: answer.poll_media.text ?? '',
      })),
      allowMultiselect: poll.allow_multiselect ?? false,
      votes: new Map(),
      expiresAt: this.now() + hours * 3_600_000,
      finalized: false,
    };
    this.polls.set(messageId, stored);
    return this.pollPayload(stored, poll.question.text ?? '');
  }

  /** The poll object of a message, with current counts. */
  pollPayload(poll: EmulatedPoll, question: string): NonNullable<APIMessage['poll']> {
    return {
      question: { text: question },
      answers: poll.answers.map((answer) => ({ answer_id: answer.id, poll_media: { text: answer.text } })),
      expiry: new Date(poll.expiresAt).toISOString(),
      allow_multiselect: poll.allowMultiselect,
      layout_type: 1,
      results: {
        is_finalized: poll.finalized,
        answer_counts: poll.answers.map((answer) => ({
          id: answer.id,
          count: poll.votes.get(answer.id)?.size ?? 0,
          me_voted: false,
        })),
      },
    };
  }

  /** A server as GUILD_CREATE carries it: roles, channels, threads and members included. */
  guildCreatePayload(guild: EmulatedGuild): Record<string, unknown> {
    const channels = guild.channelIds.flatMap((id) => {
      const channel = this.channels.get(id);
      return channel && !channel.deleted ? [channel] : [];
    });
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [...guild.roles.values()],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      joined_at: guild.members.get(this.bot.id)?.joinedAt,
      large: false,
      unavailable: false,
      member_count: guild.members.size,
      voice_states: [],
      members: [...guild.members.keys()].map((userId) => this.memberPayload(guild, userId)),
      channels: channels.filter((c) => c.data.type !== ChannelType.PublicThread).map((c) => c.data),
      threads: channels.filter((c) => c.data.type === ChannelType.PublicThread).map((c) => c.data),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }
}
