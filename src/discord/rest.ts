import { REST, Routes } from 'discord.js';
import { z } from 'zod';

/**
 * Discord's REST budget, split the way Discord counts it. A bot may make 50 requests a second in all
 * ("Global Rate Limit", topics/rate-limits), but interaction responses (the callback, edits of the original
 * response, follow-ups) are not bound to that limit (interactions/receiving-and-responding, "Endpoints").
 * discord.js counts every request of one REST client against one global budget, so a single client would
 * hold members' answers behind scheduled posts, and 1,000 follow-ups behind each other at 50 a second.
 */

/**
 * Requests a second for everything Discord counts against the global limit: below 50, leaving room for the
 * few requests discord.js makes by itself through the gateway client.
 */
export const BOUNDED_REQUESTS_PER_SECOND = 40;

/**
 * The gateway client's REST, which Crux uses only for interaction responses: Discord does not limit
 * those globally, so neither does the client (each interaction's own per-route limits still apply).
 */
export const INTERACTION_REQUESTS_PER_SECOND = 10_000;

/** The REST client for every request bound by the global limit: posts, threads, edits, commands. */
export function boundedRest(token: string, options: { readonly api?: string | undefined } = {}): REST {
  return new REST({
    globalRequestsPerSecond: BOUNDED_REQUESTS_PER_SECOND,
    ...(options.api ? { api: options.api } : {}),
  }).setToken(token);
}

const GatewayBotSchema = z.object({ shards: z.number().int().min(1) });

/** How many shards Discord recommends for the bot (GET /gateway/bot), as discord.js's `shards: 'auto'` asks. */
export async function recommendedShardCount(rest: REST): Promise<number> {
  return GatewayBotSchema.parse(await rest.get(Routes.gatewayBot())).shards;
}
