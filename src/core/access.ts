import { listAnd } from './format.js';

/** What an interaction's channel and permissions allow, as plain data. */

/** The kind of channel an interaction came from, as far as commands care. */
export type ChannelKind = 'text' | 'thread' | 'other';

/** Permission names (discord.js `PermissionFlagsBits` keys) the member and the bot have in the channel. */
export interface Permissions {
  readonly member: ReadonlySet<string>;
  readonly bot: ReadonlySet<string>;
}

/**
 * Who may manage the reading schedule and mark progress: members with Manage Server (or Administrator),
 * and members with the server's facilitator role when one is set.
 */
export function isFacilitator(
  permissions: Permissions,
  memberRoles: readonly string[],
  facilitatorRoleId: string | null,
): boolean {
  return (
    canManageServer(permissions) || (facilitatorRoleId !== null && memberRoles.includes(facilitatorRoleId))
  );
}

/** Whether the member has Manage Server (or Administrator): server admins, who choose the facilitator role. */
export function canManageServer(permissions: Permissions): boolean {
  return permissions.member.has('ManageGuild') || permissions.member.has('Administrator');
}

/** What the bot needs in a channel to run the reading schedule there. */
export const SCHEDULE_CHANNEL_PERMISSIONS = [
  'ViewChannel',
  'SendMessages',
  'EmbedLinks',
  'ReadMessageHistory',
  'CreatePublicThreads',
  'SendMessagesInThreads',
] as const;

/** "**View Channel**, **Send Messages**, and **Embed Links**": permission names for a message. */
export function listPermissions(names: readonly string[]): string {
  return listAnd(names.map((name) => `**${name.replace(/(?<=[a-z])(?=[A-Z])/gu, ' ')}**`));
}
