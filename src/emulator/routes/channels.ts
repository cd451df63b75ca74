import { ChannelType, MessageFlags } from 'discord-api-types/v10';
import { DiscordHttpError, ErrorCode, invalidFormBody } from '../errors.js';
import type { HttpApi } from '../http.js';
import type { EmulatedChannel, EmulatedMessage, MessageInput } from '../model.js';
import type { PermissionName } from '../permissions.js';
import {
  botHas,
  channelFor,
  type EmulatorContext,
  messageInput,
  requireBotPermissions,
  validate,
} from './context.js';

/** Messages the bot posts, edits, reads and deletes; threads; poll expiry and voters. */
export function registerChannelRoutes(api: HttpApi, ctx: EmulatorContext): void {
  const { world } = ctx;

  const isThread = (channel: EmulatedChannel) => channel.data.type === ChannelType.PublicThread;
  /** Messages by nonce, for `enforce_nonce`: Discord answers a repeat within a few minutes with the first. */
  const byNonce = new Map<string, { message: EmulatedMessage; at: number }>();
  const NONCE_WINDOW_MS = 5 * 60_000;

  const messageFor = (channel: EmulatedChannel, messageId: string): EmulatedMessage => {
    const message = channel.messages.get(messageId);
    // Ephemeral messages are not channel messages: the bot cannot fetch them through the channel.
    if (!message || message.deleted || message.visibleTo)
      throw new DiscordHttpError(404, ErrorCode.UnknownMessage, 'Unknown Message');
    return message;
  };

  /**
   * Embeds the bot may not show. Without Embed Links, Discord refuses a message that is only embeds (403 /
   * 50013) but accepts one with anything else and silently drops its embeds: the docs are silent, this is
   * the reported behaviour (discord-api-docs#2601, #5648, #1657).
   */
  const embedsAllowed = (channel: EmulatedChannel, input: MessageInput): MessageInput => {
    if ((input.embeds ?? []).length === 0 || botHas(ctx, channel, 'EmbedLinks')) return input;
    const { embeds: _dropped, ...rest } = input;
    if (isEmpty(rest)) throw new DiscordHttpError(403, ErrorCode.MissingPermissions, 'Missing Permissions');
    return { ...rest, embeds: [] };
  };

  api.route('POST', '/channels/:channelId/messages', async ({ params, body, files }) => {
    const route = 'POST /channels/:channelId/messages';
    await validate(ctx, route, 'MessageCreateRequestSchema', body);
    const channel = channelFor(ctx, params.channelId ?? '');
    const requested = messageInput(ctx, body, files);
    // resources/message.mdx, "Create Message": at least one of content, embeds, components, files or poll.
    if (isEmpty(requested)) {
      ctx.violations.push({ route, problems: [{ path: '', message: 'Cannot send an empty message' }] });
      throw new DiscordHttpError(400, ErrorCode.CannotSendEmptyMessage, 'Cannot send an empty message');
    }
    const needed: PermissionName[] = [
      'ViewChannel',
      isThread(channel) ? 'SendMessagesInThreads' : 'SendMessages',
    ];
    if (requested.poll) needed.push('SendPolls');
    if (files.length > 0) needed.push('AttachFiles');
    requireBotPermissions(ctx, channel, needed);
    const input = embedsAllowed(channel, requested);
    if ((Number(input.flags ?? 0) & MessageFlags.Ephemeral) !== 0) {
      throw new DiscordHttpError(
        400,
        ErrorCode.InvalidFormBody,
        'Invalid Form Body (a channel message cannot be ephemeral)',
      );
    }
    const { nonce, enforce_nonce: enforce } = (body ?? {}) as {
      nonce?: string | number;
      enforce_nonce?: boolean;
    };
    const key = nonce !== undefined && enforce ? `${channel.data.id}:${nonce}` : undefined;
    const earlier = key ? byNonce.get(key) : undefined;
    if (earlier && world.now() - earlier.at < NONCE_WINDOW_MS) return { body: earlier.message.data };
    const message = world.addMessage(channel, input, {
      guild_id: channel.guildId,
      ...(nonce !== undefined ? { nonce } : {}),
    } as never);
    if (key) byNonce.set(key, { message, at: world.now() });
    if (isThread(channel) && 'message_count' in channel.data)
      channel.data.message_count = (channel.data.message_count ?? 0) + 1;
    ctx.gateway.dispatch('MESSAGE_CREATE', { ...message.data, guild_id: channel.guildId });
    return { body: message.data };
  });

  /**
   * resources/message.mdx, "Get Channel Messages": newest first; `before`, `after` and `around` are
   * mutually exclusive; limit 1–100 (default 50). Without Read Message History "no messages will be
   * returned": 200 with [], not an error (discord-api-docs#455). `after` returns the batch right after that
   * id (still newest first), as forward-paging clients rely on.
   */
  api.route('GET', '/channels/:channelId/messages', ({ params, query }) => {
    const route = 'GET /channels/:channelId/messages';
    const channel = channelFor(ctx, params.channelId ?? '');
    requireBotPermissions(ctx, channel, ['ViewChannel']);
    const limit = Number(query.get('limit') ?? 50);
    const anchors = ['before', 'after', 'around'].filter((key) => query.has(key));
    const problems = [
      ...(Number.isInteger(limit) && limit >= 1 && limit <= 100
        ? []
        : [{ path: 'limit', message: 'int value should be between 1 and 100.' }]),
      ...(anchors.length > 1
        ? [{ path: anchors.join(','), message: 'before, after and around are mutually exclusive' }]
        : []),
    ];
    if (problems.length > 0) {
      ctx.violations.push({ route, problems });
      throw invalidFormBody(problems);
    }
    if (!botHas(ctx, channel, 'ReadMessageHistory')) return { body: [] };
    // Oldest first, then the window the anchor asks for, answered newest first.
    const all = [...channel.messages.values()].filter((m) => !m.deleted && !m.visibleTo);
    const id = (m: EmulatedMessage) => BigInt(m.data.id);
    const before = query.get('before');
    const after = query.get('after');
    const around = query.get('around');
    let window: EmulatedMessage[];
    if (after) window = all.filter((m) => id(m) > BigInt(after)).slice(0, limit);
    else if (before) window = all.filter((m) => id(m) < BigInt(before)).slice(-limit);
    else if (around) {
      const pivot = all.findIndex((m) => id(m) >= BigInt(around));
      const start = Math.max(0, (pivot < 0 ? all.length : pivot) - Math.floor(limit / 2));
      window = all.slice(start, start + limit);
    } else window = all.slice(-limit);
    return { body: window.reverse().map((m) => m.data) };
  });

  api.route('GET', '/channels/:channelId/messages/:messageId', ({ params }) => {
    const channel = channelFor(ctx, params.channelId ?? '');
    requireBotPermissions(ctx, channel, ['ViewChannel', 'ReadMessageHistory']);
    return { body: messageFor(channel, params.messageId ?? '').data };
  });

  api.route('PATCH', '/channels/:channelId/messages/:messageId', async ({ params, body, files }) => {
    await validate(
      ctx,
      'PATCH /channels/:channelId/messages/:messageId',
      'MessageEditRequestPartialSchema',
      body,
    );
    const channel = channelFor(ctx, params.channelId ?? '');
    requireBotPermissions(ctx, channel, ['ViewChannel']);
    const message = messageFor(channel, params.messageId ?? '');
    if (message.data.author.id !== world.bot.id) {
      throw new DiscordHttpError(
        403,
        ErrorCode.CannotEditOtherUsersMessage,
        'Cannot edit a message authored by another user',
      );
    }
    // resources/poll.mdx, "Poll Endpoints": "After creation, the poll message cannot be edited."
    if (message.data.poll)
      throw new DiscordHttpError(400, ErrorCode.CannotEditPollMessage, 'Cannot edit a poll message');
    world.editMessage(message, embedsAllowed(channel, messageInput(ctx, body, files)));
    ctx.gateway.dispatch('MESSAGE_UPDATE', { ...message.data, guild_id: channel.guildId });
    return { body: message.data };
  });

  api.route('DELETE', '/channels/:channelId/messages/:messageId', ({ params }) => {
    const channel = channelFor(ctx, params.channelId ?? '');
    const message = messageFor(channel, params.messageId ?? '');
    if (message.data.author.id !== world.bot.id) requireBotPermissions(ctx, channel, ['ManageMessages']);
    message.deleted = true;
    ctx.gateway.dispatch('MESSAGE_DELETE', {
      id: message.data.id,
      channel_id: channel.data.id,
      guild_id: channel.guildId,
    });
    return {};
  });

  api.route('POST', '/channels/:channelId/messages/:messageId/threads', async ({ params, body }) => {
    await validate(
      ctx,
      'POST /channels/:channelId/messages/:messageId/threads',
      'CreateTextThreadWithMessageRequestSchema',
      body,
    );
    const channel = channelFor(ctx, params.channelId ?? '');
    if (isThread(channel))
      throw new DiscordHttpError(400, 50024, 'Cannot execute action on this channel type');
    // topics/permissions.mdx: Create Public Threads "Allows for creating public and announcement threads";
    // the endpoint documents no other requirement (Read Message History is not one).
    requireBotPermissions(ctx, channel, ['ViewChannel', 'CreatePublicThreads']);
    const message = messageFor(channel, params.messageId ?? '');
    if (message.data.thread || world.channels.has(message.data.id)) {
      throw new DiscordHttpError(
        400,
        ErrorCode.ThreadAlreadyCreated,
        'A thread has already been created for this message',
      );
    }
    const request = body as { name: string; auto_archive_duration?: number };
    // resources/channel.mdx, "Channel Object": the channel's default_auto_archive_duration is "copied onto
    // newly created threads"; Discord's clients show 1440 (a day) for a channel that has none.
    const fallback =
      'default_auto_archive_duration' in channel.data
        ? channel.data.default_auto_archive_duration
        : undefined;
    const thread = world.createThread(
      channel,
      message,
      request.name,
      request.auto_archive_duration ?? fallback ?? 1440,
    );
    ctx.gateway.dispatch('THREAD_CREATE', { ...thread.data, newly_created: true });
    // resources/channel.mdx, "Start Thread from Message": "Fires a Thread Create and a Message Update
    // Gateway event"; the message is flagged HAS_THREAD (resources/message.mdx, "Message Flags").
    message.data = { ...message.data, flags: (message.data.flags ?? 0) | MessageFlags.HasThread };
    ctx.gateway.dispatch('MESSAGE_UPDATE', { ...message.data, guild_id: channel.guildId });
    return { status: 201, body: thread.data };
  });

  /**
   * resources/poll.mdx, "End Poll": "Immediately ends the poll. You cannot end polls from other users."
   * topics/opcodes-and-status-codes.mdx: 520006 "Cannot expire a non-poll message", 520001 "Poll expired"
   * (also once its duration has run out). The statuses are not documented; 400 as for other form errors.
   */
  api.route('POST', '/channels/:channelId/polls/:messageId/expire', ({ params }) => {
    const channel = channelFor(ctx, params.channelId ?? '');
    requireBotPermissions(ctx, channel, ['ViewChannel']);
    const message = messageFor(channel, params.messageId ?? '');
    const poll = world.polls.get(message.data.id);
    if (!poll)
      throw new DiscordHttpError(
        400,
        ErrorCode.CannotExpireNonPollMessage,
        'Cannot expire a non-poll message',
      );
    if (message.data.author.id !== world.bot.id)
      throw new DiscordHttpError(403, ErrorCode.MissingPermissions, 'Missing Permissions');
    if (poll.finalized || poll.expiresAt <= world.now())
      throw new DiscordHttpError(400, ErrorCode.PollExpired, 'Poll expired');
    poll.finalized = true;
    poll.expiresAt = world.now();
    message.data = { ...message.data, poll: world.pollPayload(poll, message.data.poll?.question.text ?? '') };
    ctx.gateway.dispatch('MESSAGE_UPDATE', { ...message.data, guild_id: channel.guildId });
    return { body: message.data };
  });

  api.route('GET', '/channels/:channelId/polls/:messageId/answers/:answerId', ({ params, query }) => {
    const channel = channelFor(ctx, params.channelId ?? '');
    requireBotPermissions(ctx, channel, ['ViewChannel', 'ReadMessageHistory']);
    const poll = world.polls.get(messageFor(channel, params.messageId ?? '').data.id);
    if (!poll) throw new DiscordHttpError(404, ErrorCode.UnknownMessage, 'Unknown Message');
    const after = query.get('after');
    const limit = Math.min(100, Number(query.get('limit') ?? 25));
    const voters = [...(poll.votes.get(Number(params.answerId)) ?? [])]
      .filter((id) => (after ? BigInt(id) > BigInt(after) : true))
      .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
      .slice(0, limit)
      .flatMap((id) => world.users.get(id) ?? []);
    return { body: { users: voters } };
  });
}

/** Whether a message would show nothing: no content, embeds, components, files or poll. */
function isEmpty(input: MessageInput): boolean {
  return (
    !(input.content ?? '').trim() &&
    (input.embeds ?? []).length === 0 &&
    (input.components ?? []).length === 0 &&
    (input.attachments ?? []).length === 0 &&
    !input.poll
  );
}
