import { isDeepStrictEqual } from 'node:util';
import { type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody, Routes } from 'discord.js';
import { z } from 'zod';

/** What a deploy changed, by command name. */
export interface DeploySummary {
  readonly scope: { readonly guildId: string } | 'global';
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  readonly unchanged: readonly string[];
  /** The id Discord gave each registered command, by name: what makes a command mention clickable. */
  readonly ids: readonly (readonly [name: string, id: string])[];
}

/**
 * Registers the slash commands with one bulk overwrite (to one server when `guildId` is set, where changes
 * show at once; otherwise globally) and reports what changed compared with what was registered before.
 */
export async function deployCommands(options: {
  readonly rest: REST;
  readonly clientId: string;
  readonly guildId?: string | undefined;
  readonly definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
}): Promise<DeploySummary> {
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.clientId, options.guildId)
    : Routes.applicationCommands(options.clientId);
  const existing = RegisteredCommands.parse(await options.rest.get(route));
  const diff = diffCommands(existing, options.definitions);
  const registered =
    diff.added.length + diff.removed.length + diff.changed.length > 0
      ? RegisteredCommands.parse(await options.rest.put(route, { body: options.definitions }))
      : existing;
  return {
    scope: options.guildId ? { guildId: options.guildId } : 'global',
    ...diff,
    ids: commandIds(registered),
  };
}

/** What Discord answers with for registered commands: each with at least a name and an id. */
const RegisteredCommands = z.array(z.looseObject({ id: z.string(), name: z.string() }));

/** Name and id of each command in a list Discord returned. */
function commandIds(commands: z.infer<typeof RegisteredCommands>): [string, string][] {
  return commands.map((command) => [command.name, command.id]);
}

/** Compares registered commands with the wanted ones, ignoring fields Discord adds or defaults. */
export function diffCommands(
  existing: readonly Record<string, unknown>[],
  wanted: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
): Omit<DeploySummary, 'scope' | 'ids'> {
  const before = new Map(existing.map((command) => [String(command.name), normalize(command)]));
  const after = new Map(
    wanted.map((command) => [command.name, normalize(command as unknown as Record<string, unknown>)]),
  );
  const names = (predicate: (name: string) => boolean, from: Map<string, unknown>) =>
    [...from.keys()].filter(predicate).sort();
  return {
    added: names((name) => !before.has(name), after),
    removed: names((name) => !after.has(name), before),
    changed: names(
      (name) => before.has(name) && !isDeepStrictEqual(before.get(name), after.get(name)),
      after,
    ),
    unchanged: names(
      (name) => before.has(name) && isDeepStrictEqual(before.get(name), after.get(name)),
      after,
    ),
  };
}

/** A deploy summary as a few readable lines. */
export function formatSummary(summary: Omit<DeploySummary, 'ids'>): string {
  const where =
    summary.scope === 'global'
      ? 'globally (can take up to an hour to show everywhere)'
      : `to server ${summary.scope.guildId}`;
  const list = (label: string, names: readonly string[]) =>
    names.length > 0 ? [`  ${label}: ${names.map((n) => `/${n}`).join(', ')}`] : [];
  const changes = [
    ...list('added', summary.added),
    ...list('changed', summary.changed),
    ...list('removed', summary.removed),
  ];
  return changes.length === 0
    ? `Commands registered ${where} are already up to date (${summary.unchanged.length} unchanged).`
    : [`Registered commands ${where}:`, ...changes, ...list('unchanged', summary.unchanged)].join('\n');
}

/** The fields that define a command's behaviour, with Discord's defaults filled in so both sides compare equal. */
function normalize(command: Record<string, unknown>): unknown {
  return {
    name: command.name,
    description: command.description,
    type: command.type ?? 1,
    default_member_permissions: command.default_member_permissions ?? null,
    contexts: Array.isArray(command.contexts) ? [...command.contexts].sort() : null,
    nsfw: command.nsfw ?? false,
    options: normalizeOptions(command.options),
  };
}

function normalizeOptions(options: unknown): unknown {
  if (!Array.isArray(options) || options.length === 0) return [];
  return options.map((option: Record<string, unknown>) => ({
    type: option.type,
    name: option.name,
    description: option.description,
    required: option.required ?? false,
    autocomplete: option.autocomplete ?? false,
    choices: Array.isArray(option.choices)
      ? option.choices.map((c: Record<string, unknown>) => ({ name: c.name, value: c.value }))
      : [],
    min_value: option.min_value ?? null,
    max_value: option.max_value ?? null,
    min_length: option.min_length ?? null,
    max_length: option.max_length ?? null,
    channel_types: option.channel_types ?? [],
    options: normalizeOptions(option.options),
  }));
}
