import { Client, GatewayIntentBits, Options, Partials } from 'discord.js';
import type { ShardSet } from '../core/shards.js';
import { INTERACTION_REQUESTS_PER_SECOND } from './rest.js';

/** How the Discord client is built: what it listens to and how much it remembers. */
export interface ClientSettings {
  /** Base URL of the Discord API (`…/api`); only set to use the local emulator. */
  readonly apiUrl?: string | undefined;
  /** The gateway shards to connect, of how many; Discord's recommendation for all of them by default. */
  readonly shards?: ShardSet;
}

/**
 * Creates the discord.js client. Crux needs the Guilds intent (slash commands, buttons and selects arrive as
 * interactions; it never reads message content) and GuildMessagePolls for votes on native polls. Votes on a
 * poll whose message is not cached (after a restart) still arrive because of the Message, Poll and
 * PollAnswer partials. Caches are bounded because discord.js keeps everything but messages forever by
 * default. The client's REST answers interactions only; everything else goes through `boundedRest`.
 */
export function createClient(settings: ClientSettings = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessagePolls],
    partials: [Partials.Message, Partials.Poll, Partials.PollAnswer],
    ...(settings.shards
      ? { shards: [...settings.shards.ids], shardCount: settings.shards.count }
      : { shards: 'auto' as const }),
    // Every message carries a nonce Discord enforces, so a post retried after a dropped connection is not
    // posted twice.
    enforceNonce: true,
    rest: {
      globalRequestsPerSecond: INTERACTION_REQUESTS_PER_SECOND,
      ...(settings.apiUrl ? { api: settings.apiUrl } : {}),
    },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 50,
      GuildMemberManager: { maxSize: 200, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: { maxSize: 500, keepOverLimit: (user) => user.id === user.client.user.id },
      PresenceManager: 0,
      ReactionManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      VoiceStateManager: 0,
    }),
    sweepers: {
      ...Options.DefaultSweeperSettings,
      // A sweeper filter returns the predicate; returning a boolean instead crashes the process when it fires.
      messages: { interval: 3600, lifetime: 1800 },
      threads: { interval: 3600, lifetime: 3600 },
    },
  });
}
