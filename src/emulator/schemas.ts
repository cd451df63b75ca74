import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ZodMiniType } from 'zod/mini';
import { DISCORD_LIMITS as L } from '../core/limits.js';

/**
 * Discord's published request schemas (`discord-api-spec/zod`), strict: unknown keys are rejected.
 *
 * The package builds its schemas when it is imported, so its `setStrictObject(true)` switch comes too late
 * to have any effect. This loader makes a strict copy instead: it rewrites the module's one object factory
 * to `z.strictObject` and imports the copy. Strictness catches payload mistakes (a camelCase key where the
 * API wants snake_case) that Discord itself would silently ignore.
 */
export interface DiscordSchemas {
  /** The schema exported as `name` (e.g. `MessageCreateRequestSchema`); throws if there is none. */
  get(name: string): ZodMiniType;
}

let loading: Promise<DiscordSchemas> | undefined;

/** The strict schemas, loaded once per process. */
export function strictSchemas(): Promise<DiscordSchemas> {
  loading ??= loadStrict();
  return loading;
}

async function loadStrict(): Promise<DiscordSchemas> {
  const source = await readFile(fileURLToPath(import.meta.resolve('discord-api-spec/zod')), 'utf8');
  const factory = 'let zObject = z.object;';
  const zodImport = 'from "zod/mini"';
  if (!source.includes(factory) || !source.includes(zodImport)) {
    throw new Error(
      'discord-api-spec changed shape; update src/emulator/schemas.ts to make its schemas strict',
    );
  }
  const strict = source
    .replace(factory, 'let zObject = z.strictObject;')
    .replace(zodImport, `from ${JSON.stringify(import.meta.resolve('zod/mini'))}`);
  const file = path.join(
    tmpdir(),
    `crux-discord-schemas-${createHash('sha256').update(strict).digest('hex').slice(0, 16)}.mjs`,
  );
  await writeFile(file, strict);
  const module = (await import(pathToFileURL(file).href)) as Record<string, ZodMiniType | undefined>;
  return {
    get(name) {
      const schema = module[name];
      if (!schema) throw new Error(`discord-api-spec has no schema named ${name}`);
      return schema;
    },
  };
}

/**
 * Fields discord.js sends that a route's published schema does not list, by schema. Discord ignores them; a
 * strict check must too, or it would reject the real client. Nothing else is tolerated, and each entry was
 * seen in a real discord.js request body.
 */
export const CLIENT_EXTRA_FIELDS: Readonly<Record<string, readonly string[]>> = {
  // Every message body from MessagePayload carries enforce_nonce (and, with the client's enforceNonce
  // option, a nonce); edits carry tts as well.
  CreateMessageInteractionCallbackRequestSchema: ['enforce_nonce', 'nonce'],
  UpdateMessageInteractionCallbackRequestSchema: ['enforce_nonce', 'nonce', 'tts'],
  IncomingWebhookRequestPartialSchema: ['enforce_nonce', 'nonce'],
  IncomingWebhookUpdateRequestPartialSchema: ['enforce_nonce', 'nonce', 'tts'],
  MessageEditRequestPartialSchema: ['enforce_nonce', 'nonce', 'tts'],
  // ThreadManager#create sends the thread type even when starting from a message.
  CreateTextThreadWithMessageRequestSchema: ['type'],
};

/**
 * Checks a request `body` against the named schema (strict) and the documented limits. `dataKey` names the
 * member holding the message for callback bodies (`{ type, data }`), whose client extras are dropped first.
 */
export async function requestProblems(
  schemaName: string,
  body: unknown,
  dataKey?: string,
): Promise<LimitProblem[]> {
  const schema = (await strictSchemas()).get(schemaName);
  const message = dataKey ? (body as Record<string, unknown> | undefined)?.[dataKey] : body;
  const withoutExtras = withoutFields(message, CLIENT_EXTRA_FIELDS[schemaName] ?? []);
  const checked = dataKey ? { ...(body as object), [dataKey]: withoutExtras } : withoutExtras;
  const result = schema.safeParse(checked);
  const problems: LimitProblem[] = result.success
    ? []
    : result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      }));
  return [
    ...problems,
    ...documentedLimitProblems(message).map((p) => ({
      ...p,
      path: dataKey ? `${dataKey}.${p.path}` : p.path,
    })),
  ];
}

function withoutFields(message: unknown, fields: readonly string[]): unknown {
  if (typeof message !== 'object' || message === null || fields.length === 0) return message;
  const copy: Record<string, unknown> = { ...message };
  for (const field of fields) delete copy[field];
  return copy;
}

/** A failed check, with the path into the body, as Discord reports it in a 50035 error. */
export interface LimitProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Documented rules the published schemas do not encode, checked by hand: message content (2,000), poll
 * answers (55) and question (300), the 6,000 characters shared by all embeds, and buttons (a non-link
 * button needs a custom_id, every button a label or an emoji, and custom_ids are unique in a message).
 */
export function documentedLimitProblems(body: unknown): LimitProblem[] {
  const problems: LimitProblem[] = [];
  if (typeof body !== 'object' || body === null) return problems;
  const message = body as {
    content?: unknown;
    embeds?: unknown;
    poll?: { question?: { text?: unknown }; answers?: { poll_media?: { text?: unknown } }[] };
  };
  if (typeof message.content === 'string' && message.content.length > L.content) {
    problems.push({ path: 'content', message: `Must be ${L.content} or fewer in length.` });
  }
  if (Array.isArray(message.embeds)) {
    const total = message.embeds.reduce(
      (sum: number, embed: Record<string, unknown>) => sum + embedLength(embed),
      0,
    );
    if (total > L.embedTotal)
      problems.push({ path: 'embeds', message: `Embed size exceeds maximum size of ${L.embedTotal}` });
  }
  problems.push(...componentProblems((body as { components?: unknown }).components));
  const question = message.poll?.question?.text;
  if (typeof question === 'string' && question.length > L.pollQuestion) {
    problems.push({ path: 'poll.question.text', message: `Must be ${L.pollQuestion} or fewer in length.` });
  }
  for (const [index, answer] of (message.poll?.answers ?? []).entries()) {
    const text = answer?.poll_media?.text;
    if (typeof text === 'string' && text.length > L.pollAnswerText) {
      problems.push({
        path: `poll.answers.${index}.poll_media.text`,
        message: `Must be ${L.pollAnswerText} or fewer in length.`,
      });
    }
  }
  return problems;
}

const LINK_BUTTON_STYLE = 5;
const PREMIUM_BUTTON_STYLE = 6;

function componentProblems(components: unknown): LimitProblem[] {
  if (!Array.isArray(components)) return [];
  const problems: LimitProblem[] = [];
  const seen = new Set<string>();
  for (const [rowIndex, row] of components.entries()) {
    const children = (row as { components?: unknown }).components;
    if (!Array.isArray(children)) continue;
    for (const [index, child] of children.entries()) {
      const path = `components.${rowIndex}.components.${index}`;
      const component = child as {
        type?: number;
        style?: number;
        custom_id?: string;
        label?: string;
        emoji?: unknown;
      };
      const customId = component.custom_id;
      if (customId !== undefined) {
        if (seen.has(customId))
          problems.push({ path: `${path}.custom_id`, message: 'Component custom id cannot be duplicated' });
        seen.add(customId);
      }
      if (component.type !== 2) continue;
      const linkLike = component.style === LINK_BUTTON_STYLE || component.style === PREMIUM_BUTTON_STYLE;
      if (!linkLike && !customId)
        problems.push({ path: `${path}.custom_id`, message: 'This field is required' });
      if (!linkLike && !component.label && !component.emoji) {
        problems.push({ path: `${path}.label`, message: 'A button needs a label or an emoji' });
      }
    }
  }
  return problems;
}

function embedLength(embed: Record<string, unknown>): number {
  const text = (value: unknown) => (typeof value === 'string' ? value.length : 0);
  const fields = Array.isArray(embed.fields) ? embed.fields : [];
  return (
    text(embed.title) +
    text(embed.description) +
    text((embed.footer as { text?: unknown } | undefined)?.text) +
    text((embed.author as { name?: unknown } | undefined)?.name) +
    fields.reduce(
      (sum: number, field: { name?: unknown; value?: unknown }) => sum + text(field.name) + text(field.value),
      0,
    )
  );
}
