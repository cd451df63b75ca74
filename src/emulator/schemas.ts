import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ZodMiniType } from 'zod/mini';
import { discordLength, LIMITS as L } from './limits.js';
import { allowedMentionsProblem } from './mentions.js';

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
  const result = schema.safeParse(asDiscordMeasures(checked));
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
 * answers (55) and question (300), the 6,000 characters shared by all embeds, legacy action rows (at most
 * five, a select alone in its row), buttons (a non-link button needs a custom_id, every button a label or an
 * emoji, and custom_ids are unique in a message), `allowed_mentions` (`parse` excludes an id list of the
 * same type) and autocomplete choices.
 */
export function documentedLimitProblems(body: unknown): LimitProblem[] {
  const problems: LimitProblem[] = [];
  if (typeof body !== 'object' || body === null) return problems;
  const message = body as {
    content?: unknown;
    embeds?: unknown;
    flags?: unknown;
    allowed_mentions?: Parameters<typeof allowedMentionsProblem>[0];
    choices?: unknown;
    poll?: { question?: { text?: unknown }; answers?: { poll_media?: { text?: unknown } }[] };
  };
  if (typeof message.content === 'string' && discordLength(message.content) > L.content) {
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
  const componentsV2 = (Number(message.flags ?? 0) & IS_COMPONENTS_V2) !== 0;
  problems.push(...componentProblems((body as { components?: unknown }).components, componentsV2));
  const mentions = allowedMentionsProblem(message.allowed_mentions);
  // resources/message.mdx, "Allowed Mentions Object": parse "is mutually exclusive with the other fields".
  if (mentions) problems.push({ path: 'allowed_mentions', message: mentions });
  problems.push(...choiceProblems(message.choices));
  const question = message.poll?.question?.text;
  if (typeof question === 'string' && discordLength(question) > L.pollQuestion) {
    problems.push({ path: 'poll.question.text', message: `Must be ${L.pollQuestion} or fewer in length.` });
  }
  for (const [index, answer] of (message.poll?.answers ?? []).entries()) {
    const text = answer?.poll_media?.text;
    if (typeof text === 'string' && discordLength(text) > L.pollAnswerText) {
      problems.push({
        path: `poll.answers.${index}.poll_media.text`,
        message: `Must be ${L.pollAnswerText} or fewer in length.`,
      });
    }
  }
  return problems;
}

/** Message flag 1 << 15 (resources/message.mdx, "Message Flags"): layout by Components V2. */
const IS_COMPONENTS_V2 = 1 << 15;

/**
 * Autocomplete choices (interactions/application-commands.mdx, "Application Command Option Choice
 * Structure"): name 1–100 characters, a string value at most 100.
 */
function choiceProblems(choices: unknown): LimitProblem[] {
  if (!Array.isArray(choices)) return [];
  return choices.flatMap((choice: { name?: unknown; value?: unknown }, index) => {
    const found: LimitProblem[] = [];
    if (typeof choice.value === 'string' && discordLength(choice.value) > L.choiceValue)
      found.push({ path: `choices.${index}.value`, message: `Must be ${L.choiceValue} or fewer in length.` });
    if (typeof choice.name === 'string' && discordLength(choice.name) > L.choiceName)
      found.push({ path: `choices.${index}.name`, message: `Must be ${L.choiceName} or fewer in length.` });
    return found;
  });
}

/**
 * A copy of a body measured as Discord measures it, for the schemas' length checks: embed text trimmed
 * (resources/message.mdx, "Embed Limits": whitespace "trimmed automatically") and every character outside
 * the Basic Multilingual Plane counted once, not as a UTF-16 pair (discord-api-docs#1315).
 */
function asDiscordMeasures(value: unknown, inEmbed = false): unknown {
  if (typeof value === 'string')
    return (inEmbed ? value.trim() : value).replace(/[\u{10000}-\u{10FFFF}]/gu, '·');
  if (Array.isArray(value)) return value.map((item) => asDiscordMeasures(item, inEmbed));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, asDiscordMeasures(item, inEmbed || key === 'embeds')]),
  );
}

const LINK_BUTTON_STYLE = 5;
const PREMIUM_BUTTON_STYLE = 6;

function componentProblems(components: unknown, componentsV2: boolean): LimitProblem[] {
  if (!Array.isArray(components)) return [];
  const problems: LimitProblem[] = [];
  if (!componentsV2 && components.length > L.legacyActionRows) {
    problems.push({
      path: 'components',
      message: `Must be ${L.legacyActionRows} or fewer in length.`,
    });
  }
  const seen = new Set<string>();
  for (const [rowIndex, row] of components.entries()) {
    const children = (row as { components?: unknown }).components;
    if (!Array.isArray(children)) continue;
    // components/reference.mdx, "Action Row": "up to 5 … buttons or a single select component".
    const selects = children.filter((child: { type?: number }) => child.type !== 2);
    if (selects.length > 0 && children.length > 1) {
      problems.push({
        path: `components.${rowIndex}.components`,
        message: 'An action row holds buttons or a single select menu',
      });
    }
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

/** An embed's share of the 6,000: its six text fields, trimmed, in code points. */
function embedLength(embed: Record<string, unknown>): number {
  const text = (value: unknown) => (typeof value === 'string' ? discordLength(value.trim()) : 0);
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
