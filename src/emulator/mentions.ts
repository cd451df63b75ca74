import { PermissionFlagsBits } from 'discord-api-types/v10';

/**
 * Who a message actually notifies, as Discord decides it (developers/resources/message.mdx, "Allowed
 * Mentions Object" and "Default Settings for Allowed Mentions"):
 * - Only mentions present in the content can notify; ids listed in `allowed_mentions` but absent from the
 *   content are "silently ignore[d]".
 * - Without `allowed_mentions`, regular messages parse users, roles and @everyone; interaction responses
 *   and webhook messages parse users only.
 * - "To mention roles and notify their members, the role's `mentionable` field must be set to `true`, or
 *   the bot must have the `MENTION_EVERYONE` permission"; @everyone and @here always need MENTION_EVERYONE.
 * Nothing here is an error: a mention that may not notify simply notifies no one.
 */

/** The `allowed_mentions` of a request. */
export interface AllowedMentions {
  readonly parse?: readonly string[];
  readonly users?: readonly string[];
  readonly roles?: readonly string[];
  readonly replied_user?: boolean;
}

/** Where a message comes from, which decides the default allowances. */
export type MentionSource = 'channel' | 'interaction';

/** Who a message notifies. */
export interface Notified {
  readonly users: readonly string[];
  readonly roles: readonly string[];
  readonly everyone: boolean;
}

export const NOTIFIES_NOBODY: Notified = { users: [], roles: [], everyone: false };

/** What the notification rules need to know of the server. */
export interface MentionContext {
  /** Is this role mentionable (`mentionable: true`)? */
  readonly mentionable: (roleId: string) => boolean;
  /** Does the sender have a permission in the channel? */
  readonly senderHas: (permission: bigint) => boolean;
  /** The members who can see the channel, and those of them holding a role. */
  readonly viewers: () => readonly string[];
  readonly holders: (roleId: string) => readonly string[];
}

/** The mentions written in a message's content. */
export function mentionsIn(content: string): { users: string[]; roles: string[]; everyone: boolean } {
  return {
    users: [...content.matchAll(/<@!?(\d+)>/gu)].flatMap((m) => (m[1] ? [m[1]] : [])),
    roles: [...content.matchAll(/<@&(\d+)>/gu)].flatMap((m) => (m[1] ? [m[1]] : [])),
    everyone: /@(everyone|here)\b/u.test(content),
  };
}

/**
 * Checks the one documented conflict: `parse` "is mutually exclusive with the other fields" (an id list
 * next to the same type in `parse`). Returns the problem, or undefined.
 */
export function allowedMentionsProblem(allowed: AllowedMentions | undefined): string | undefined {
  if (!allowed?.parse) return undefined;
  for (const type of ['users', 'roles'] as const) {
    if (allowed.parse.includes(type) && (allowed[type]?.length ?? 0) > 0)
      return `parse:["${type}"] and ${type}: [ids...] are mutually exclusive.`;
  }
  return undefined;
}

/** Who a message with this content and these allowances notifies. */
export function notified(
  content: string,
  allowed: AllowedMentions | undefined,
  source: MentionSource,
  context: MentionContext,
): Notified {
  const written = mentionsIn(content);
  const parse = new Set(
    allowed?.parse ?? (allowed ? [] : source === 'channel' ? ['users', 'roles', 'everyone'] : ['users']),
  );
  const userAllowed = (id: string) => parse.has('users') || (allowed?.users ?? []).includes(id);
  const roleAllowed = (id: string) => parse.has('roles') || (allowed?.roles ?? []).includes(id);
  const mentionEveryone = context.senderHas(PermissionFlagsBits.MentionEveryone);
  const roles = [...new Set(written.roles)].filter(
    (id) => roleAllowed(id) && (context.mentionable(id) || mentionEveryone),
  );
  const everyone = written.everyone && parse.has('everyone') && mentionEveryone;
  const users = new Set(written.users.filter(userAllowed));
  for (const role of roles) for (const id of context.holders(role)) users.add(id);
  if (everyone) for (const id of context.viewers()) users.add(id);
  return { users: [...users], roles, everyone };
}
