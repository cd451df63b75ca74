import { DISCORD_LIMITS } from './limits.js';

/**
 * Component custom ids: `command:action:params`, with params as URL search parameters. The command routes
 * the interaction to its module; the params carry everything the handler needs, so buttons keep working on
 * old messages and after restarts without any stored per-message state.
 */
export interface CustomId {
  readonly command: string;
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
}

type ParamValue = string | number | boolean | undefined;

/**
 * Encodes a custom id. When the result would pass Discord's 100-character limit, the parameter named in
 * `shrinkable` (free text such as a search query) is shortened until it fits; anything else too long is a
 * programming error.
 */
export function encodeCustomId(
  command: string,
  action: string,
  params: Readonly<Record<string, ParamValue>> = {},
  shrinkable?: string,
): string {
  const entries = Object.entries(params).filter(
    (entry): entry is [string, string | number | boolean] => entry[1] !== undefined,
  );
  const build = (list: ReadonlyArray<[string, string | number | boolean]>) =>
    `${command}:${action}:${new URLSearchParams(list.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
  let id = build(entries);
  if (id.length > DISCORD_LIMITS.customId && shrinkable) {
    const index = entries.findIndex(([key]) => key === shrinkable);
    const value = index === -1 ? '' : String(entries[index]?.[1]);
    for (let length = value.length - 1; length >= 0 && id.length > DISCORD_LIMITS.customId; length--) {
      const shortened = [...entries];
      shortened[index] = [shrinkable, value.slice(0, length).trimEnd()];
      id = build(shortened);
    }
  }
  if (id.length > DISCORD_LIMITS.customId) {
    throw new RangeError(`custom id for ${command}:${action} is ${id.length} characters; Discord allows 100`);
  }
  return id;
}

/** Decodes a custom id; `undefined` when it is not one of ours. */
export function decodeCustomId(customId: string): CustomId | undefined {
  const match = /^([a-z-]+):([a-z-]+):(.*)$/su.exec(customId);
  if (!match) return undefined;
  const [, command = '', action = '', query = ''] = match;
  return { command, action, params: Object.fromEntries(new URLSearchParams(query)) };
}

/** Reads an integer parameter, falling back when it is missing or malformed. */
export function intParam(params: Readonly<Record<string, string>>, key: string, fallback: number): number {
  const value = Number.parseInt(params[key] ?? '', 10);
  return Number.isFinite(value) ? value : fallback;
}
