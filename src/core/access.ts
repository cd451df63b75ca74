/** What an interaction's channel and permissions allow, as plain data. */

/** The kind of channel an interaction came from, as far as commands care. */
export type ChannelKind = 'text' | 'thread' | 'other';

/** Permission names (discord.js `PermissionFlagsBits` keys) the member and the bot have in the channel. */
export interface Permissions {
  readonly member: ReadonlySet<string>;
  readonly bot: ReadonlySet<string>;
}
