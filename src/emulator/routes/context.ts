import { type APIAttachment, PermissionFlagsBits } from 'discord-api-types/v10';
import { DiscordHttpError, ErrorCode, invalidFormBody } from '../errors.js';
import type { Gateway } from '../gateway.js';
import type { UploadedFile } from '../http.js';
import type { InteractionRegistry } from '../interactions.js';
import { LIMITS } from '../limits.js';
import type { EmulatedChannel, MessageInput, World } from '../model.js';
import type { PermissionName } from '../permissions.js';
import { requestProblems } from '../schemas.js';

/** A request the emulator refused as Discord would (400 Invalid Form Body), kept so a test can fail on it. */
export interface Violation {
  readonly route: string;
  readonly problems: readonly { readonly path: string; readonly message: string }[];
}

/** What every route module works with. */
export interface EmulatorContext {
  readonly world: World;
  readonly gateway: Gateway;
  readonly interactions: InteractionRegistry;
  readonly violations: Violation[];
  readonly ackDeadlineMs: number;
  /** The per-file upload limit (LIMITS.fileBytes unless a test lowers it). */
  readonly fileSizeLimitBytes: number;
  /** Registered commands: global under the key "", per server under its id. */
  readonly commands: Map<string, import('discord-api-types/v10').APIApplicationCommand[]>;
}

/**
 * Checks a body against Discord's schema (strict) and the documented limits; refuses it with 50035 and the
 * failing paths, and records the violation for the test.
 */
export async function validate(
  ctx: EmulatorContext,
  route: string,
  schema: string,
  body: unknown,
  dataKey?: string,
): Promise<void> {
  const problems = await requestProblems(schema, body, dataKey);
  if (problems.length === 0) return;
  ctx.violations.push({ route, problems });
  throw invalidFormBody(problems);
}

/** A channel the bot can address: 404 when it was deleted, 403 when the bot is no longer in its server. */
export function channelFor(ctx: EmulatorContext, channelId: string): EmulatedChannel {
  const channel = ctx.world.channels.get(channelId);
  if (!channel || channel.deleted)
    throw new DiscordHttpError(404, ErrorCode.UnknownChannel, 'Unknown Channel');
  if (!ctx.world.guilds.get(channel.guildId)?.botPresent)
    throw new DiscordHttpError(403, ErrorCode.MissingAccess, 'Missing Access');
  return channel;
}

/**
 * Refuses unless the bot has every permission in the channel: 403 / 50001 Missing Access when it cannot
 * even see the channel, 403 / 50013 Missing Permissions otherwise (topics/opcodes-and-status-codes.mdx,
 * "JSON Error Codes"; topics/permissions.mdx, "Implicit Permissions": without View Channel, nothing else
 * applies).
 */
export function requireBotPermissions(
  ctx: EmulatorContext,
  channel: EmulatedChannel,
  needed: readonly PermissionName[],
): void {
  const have = ctx.world.permissions(ctx.world.bot.id, channel);
  if ((have & PermissionFlagsBits.ViewChannel) === 0n)
    throw new DiscordHttpError(403, ErrorCode.MissingAccess, 'Missing Access');
  if (needed.some((name) => (have & PermissionFlagsBits[name]) === 0n)) {
    throw new DiscordHttpError(403, ErrorCode.MissingPermissions, 'Missing Permissions');
  }
}

/** Whether the bot has a permission in the channel. */
export function botHas(ctx: EmulatorContext, channel: EmulatedChannel, permission: PermissionName): boolean {
  return (ctx.world.permissions(ctx.world.bot.id, channel) & PermissionFlagsBits[permission]) !== 0n;
}

/**
 * Refuses files over the per-file limit (10 MiB without boosts) and requests over 25 MiB in all, with
 * 413 / 40005 "Request entity too large" (reference.mdx, "Uploading Files"; change-log.mdx, "Default File
 * Upload Limit Change" and "Per-Attachment File Upload Behavior for Apps").
 */
export function requireUploadSizes(ctx: EmulatorContext, files: readonly UploadedFile[]): void {
  const total = files.reduce((sum, file) => sum + file.data.length, 0);
  if (files.some((file) => file.data.length > ctx.fileSizeLimitBytes) || total > LIMITS.requestBytes)
    throw new DiscordHttpError(413, ErrorCode.RequestEntityTooLarge, 'Request entity too large');
}

/** A request's message fields, with uploaded files turned into attachments. */
export function messageInput(
  ctx: EmulatorContext,
  body: unknown,
  files: readonly UploadedFile[],
): MessageInput {
  requireUploadSizes(ctx, files);
  const message = (body ?? {}) as MessageInput & {
    attachments?: { id: string | number; description?: string }[];
  };
  const attachments: APIAttachment[] = files.map((file, index) => {
    const id = ctx.world.newId();
    ctx.world.files.set(id, file.data);
    const described = message.attachments?.find((a) => String(a.id) === String(index));
    return {
      id,
      filename: file.name,
      size: file.data.length,
      url: `https://cdn.discordapp.com/attachments/emulated/${id}/${file.name}`,
      proxy_url: `https://media.discordapp.net/attachments/emulated/${id}/${file.name}`,
      content_type: file.contentType,
      ...(described?.description ? { description: described.description } : {}),
    };
  });
  return { ...message, ...(files.length > 0 ? { attachments } : { attachments: undefined }) };
}
