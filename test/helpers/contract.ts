import { Client, InteractionWebhook, MessagePayload } from 'discord.js';
import type { RenderedMessage } from '../../src/discord/render.js';
import { requestProblems } from '../../src/emulator/schemas.js';

/** A real, never-connected discord.js client: MessagePayload needs its options to build a request body. */
const client = new Client({ intents: [] }) as Client<true>;
const webhook = new InteractionWebhook(client, '100000000000000000', 'token');

/**
 * The request body discord.js would send for a rendered reply, built by discord.js itself and serialized as
 * it goes over the wire (keys left undefined vanish).
 */
export function requestBody(rendered: RenderedMessage): Record<string, unknown> {
  return JSON.parse(JSON.stringify(MessagePayload.create(webhook, rendered).resolveBody().body));
}

/**
 * Everything Discord would reject in an interaction response carrying `rendered`: the official schema
 * (strict) plus the documented limits the schema leaves out. An empty list means Discord accepts it.
 */
export async function responseProblems(rendered: RenderedMessage, type: 4 | 7 = 4): Promise<string[]> {
  const schema =
    type === 4
      ? 'CreateMessageInteractionCallbackRequestSchema'
      : 'UpdateMessageInteractionCallbackRequestSchema';
  const problems = await requestProblems(schema, { type, data: requestBody(rendered) }, 'data');
  return problems.map((problem) => `${problem.path}: ${problem.message}`);
}
