import { type APIAttachment, PermissionFlagsBits } from 'discord-api-types/v10';
import { DiscordHttpError, ErrorCode, invalidFormBody } from '../errors.js';
import type { Gateway } from '../gateway.js';
import type { UploadedFile } from '../http.js';
import type { InteractionRegistry } from '../interactions.js';
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

/** Refuses with 403 / 50013 unless the bot has every permission in the channel. */
export function requireBotPermissions(
  ctx: EmulatorContext,
  channel: EmulatedChannel,
  needed: readonly PermissionName[],
): void {
  const have = ctx.world.permissions(ctx.world.bot.id, channel);
  if (needed.some((name) => (have & PermissionFlagsBits[name]) === 0n)) {
    throw new DiscordHttpError(403, ErrorCode.MissingPermissions, 'Missing Permissions');
  }
}

/** A request's message fields, with uploaded files turned into attachments. */
export function messageInput(
  ctx: EmulatorContext,
  body: unknown,
  files: readonly UploadedFile[],
): MessageInput {
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
