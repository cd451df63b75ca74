import type { APIApplicationCommand } from 'discord-api-types/v10';
import { DiscordHttpError, ErrorCode } from '../errors.js';
import type { HttpApi } from '../http.js';
import { channelFor, type EmulatorContext, requireBotPermissions, validate } from './context.js';

/** Gateway discovery, the bot's own user and application, servers, and command registration. */
export function registerAppRoutes(api: HttpApi, ctx: EmulatorContext): void {
  const { world } = ctx;
  api.route('GET', '/gateway', () => ({ body: { url: ctx.gateway.url } }), { auth: false });
  // events/gateway.mdx "Get Gateway Bot": the URL, the recommended shard count and the session start limit.
  api.route('GET', '/gateway/bot', () => ({ body: ctx.gateway.botGateway() }));
  api.route('GET', '/users/@me', () => ({ body: world.bot }));
  api.route('GET', '/applications/@me', () => ({
    body: {
      id: world.applicationId,
      name: world.bot.username,
      icon: null,
      description: '',
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      bot: world.bot,
    },
  }));

  const guildFor = (guildId: string) => {
    const guild = world.guilds.get(guildId);
    if (!guild) throw new DiscordHttpError(404, ErrorCode.UnknownGuild, 'Unknown Guild');
    if (!guild.botPresent) throw new DiscordHttpError(403, ErrorCode.MissingAccess, 'Missing Access');
    return guild;
  };
  api.route('GET', '/guilds/:guildId', ({ params }) => {
    const {
      channels: _c,
      threads: _t,
      members: _m,
      voice_states: _v,
      presences: _p,
      ...guild
    } = world.guildCreatePayload(guildFor(params.guildId ?? ''));
    return { body: guild };
  });
  api.route('GET', '/guilds/:guildId/channels', ({ params }) => ({
    body: guildFor(params.guildId ?? '').channelIds.flatMap((id) => {
      const channel = world.channels.get(id);
      return channel && !channel.deleted ? [channel.data] : [];
    }),
  }));
  api.route('GET', '/guilds/:guildId/roles', ({ params }) => ({
    body: [...guildFor(params.guildId ?? '').roles.values()],
  }));
  api.route('GET', '/guilds/:guildId/members/:userId', ({ params }) => {
    const guild = guildFor(params.guildId ?? '');
    if (!guild.members.has(params.userId ?? '')) throw new DiscordHttpError(404, 10007, 'Unknown Member');
    return { body: world.memberPayload(guild, params.userId ?? '') };
  });
  // A channel the bot cannot view answers 403 / 50001 Missing Access (topics/opcodes-and-status-codes.mdx;
  // discord-api-docs#867, the discord.js guide's "Permissions (extended)").
  api.route('GET', '/channels/:channelId', ({ params }) => {
    const channel = channelFor(ctx, params.channelId ?? '');
    requireBotPermissions(ctx, channel, ['ViewChannel']);
    return { body: channel.data };
  });

  const listCommands = (scope: string) => ({ body: ctx.commands.get(scope) ?? [] });
  const putCommands = async (route: string, scope: string, body: unknown, guildId?: string) => {
    if (!Array.isArray(body)) throw new DiscordHttpError(400, ErrorCode.InvalidFormBody, 'Invalid Form Body');
    for (const command of body) await validate(ctx, route, 'ApplicationCommandUpdateRequestSchema', command);
    const before = ctx.commands.get(scope) ?? [];
    const registered = (body as APIApplicationCommand[]).map(
      (command): APIApplicationCommand => ({
        ...command,
        type: command.type ?? 1,
        default_member_permissions: command.default_member_permissions ?? null,
        nsfw: command.nsfw ?? false,
        integration_types: command.integration_types ?? [0],
        contexts: command.contexts ?? null,
        id: before.find((b) => b.name === command.name)?.id ?? world.newId(),
        application_id: world.applicationId,
        version: world.newId(),
        ...(guildId ? { guild_id: guildId } : {}),
      }),
    );
    ctx.commands.set(scope, registered);
    return { body: registered };
  };
  api.route('GET', '/applications/:appId/commands', () => listCommands(''));
  api.route('PUT', '/applications/:appId/commands', ({ body }) =>
    putCommands('PUT /applications/:appId/commands', '', body),
  );
  api.route('GET', '/applications/:appId/guilds/:guildId/commands', ({ params }) => {
    guildFor(params.guildId ?? '');
    return listCommands(params.guildId ?? '');
  });
  api.route('PUT', '/applications/:appId/guilds/:guildId/commands', ({ params, body }) => {
    guildFor(params.guildId ?? '');
    return putCommands(
      'PUT /applications/:appId/guilds/:guildId/commands',
      params.guildId ?? '',
      body,
      params.guildId,
    );
  });
}
