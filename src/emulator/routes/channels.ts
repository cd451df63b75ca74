import { ChannelType, MessageFlags } from 'discord-api-types/v10';
import { DiscordHttpError, ErrorCode } from '../errors.js';
import type { HttpApi } from '../http.js';
import type { EmulatedChannel, EmulatedMessage } from '../model.js';
import type { PermissionName } from '../permissions.js';
import {
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

  api.route('POST', '/channels/:channelId/messages', async ({ params, body, files }) => {
    await validate(ctx, 'POST /channels/:channelId/messages', 'MessageCreateRequestSchema', body);
    const channel = channelFor(ctx, params.channelId ?? '');
    const input = messageInput(ctx, body, files);
    const needed: PermissionName[] = [
      'ViewChannel',
      isThread(channel) ? 'SendMessagesInThreads' : 'SendMessages',
    ];
    if ((input.embeds ?? []).length > 0) needed.push('EmbedLinks');
    if (input.poll) needed.push('SendPolls');
    if (files.length > 0) needed.push('AttachFiles');
    requireBotPermissions(ctx, channel, needed);
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

  api.route('GET', '/channels/:channelId/messages', ({ params, query }) => {
    const channel = channelFor(ctx, params.channelId ?? '');
    requireBotPermissions(ctx, channel, ['ViewChannel', 'ReadMessageHistory']);
    const limit = Math.min(100, Number(query.get('limit') ?? 50));
    const before = query.get('before');
    const after = query.get('after');
    const visible = [...channel.messages.values()]
      .filter((m) => !m.deleted && !m.visibleTo)
      .filter((m) => (before ? BigInt(m.data.id) < BigInt(before) : true))
      .filter((m) => (after ? BigInt(m.data.id) > BigInt(after) : true))
      .reverse();
    return { body: visible.slice(0, limit).map((m) => m.data) };
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
    const message = messageFor(channel, params.messageId ?? '');
    if (message.data.author.id !== world.bot.id) {
      throw new DiscordHttpError(
        403,
        ErrorCode.CannotEditOtherUsersMessage,
        'Cannot edit a message authored by another user',
      );
    }
    world.editMessage(message, messageInput(ctx, body, files));
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
    requireBotPermissions(ctx, channel, ['ViewChannel', 'CreatePublicThreads', 'ReadMessageHistory']);
    const message = messageFor(channel, params.messageId ?? '');
    if (message.data.thread || world.channels.has(message.data.id)) {
      throw new DiscordHttpError(
        400,
        ErrorCode.ThreadAlreadyCreated,
        'A thread has already been created for this message',
      );
    }
    const request = body as { name: string; auto_archive_duration?: number };
    const thread = world.createThread(channel, message, request.name, request.auto_archive_duration ?? 4320);
    ctx.gateway.dispatch('THREAD_CREATE', { ...thread.data, newly_created: true });
    return { status: 201, body: thread.data };
  });

  api.route('POST', '/channels/:channelId/polls/:messageId/expire', ({ params }) => {
    const channel = channelFor(ctx, params.channelId ?? '');
    const message = messageFor(channel, params.messageId ?? '');
    const poll = world.polls.get(message.data.id);
    if (!poll || message.data.author.id !== world.bot.id) {
      throw new DiscordHttpError(403, ErrorCode.MissingPermissions, 'Missing Permissions');
    }
    if (poll.finalized) throw new DiscordHttpError(400, ErrorCode.PollExpired, 'Poll expired');
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
