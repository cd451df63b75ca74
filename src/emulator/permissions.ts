import { type APIOverwrite, OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';

/** Permission names as discord.js and discord-api-types spell them (`ViewChannel`, `SendPolls`…). */
export type PermissionName = keyof typeof PermissionFlagsBits;

const ALL = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** The bits for a list of permission names. */
export function bits(names: readonly PermissionName[]): bigint {
  return names.reduce((all, name) => all | PermissionFlagsBits[name], 0n);
}

/** The names of the permissions set in `value`. */
export function names(value: bigint): PermissionName[] {
  return (Object.keys(PermissionFlagsBits) as PermissionName[]).filter(
    (name) => (value & PermissionFlagsBits[name]) !== 0n,
  );
}

/** What a fresh server's @everyone role may do, as Discord sets it up. */
export const EVERYONE_DEFAULTS: readonly PermissionName[] = [
  'ViewChannel',
  'SendMessages',
  'SendMessagesInThreads',
  'CreatePublicThreads',
  'EmbedLinks',
  'AttachFiles',
  'AddReactions',
  'ReadMessageHistory',
  'UseApplicationCommands',
  'SendPolls',
];

/** The permissions Crux's invite link asks for. */
export const BOT_DEFAULTS: readonly PermissionName[] = [
  'ViewChannel',
  'SendMessages',
  'EmbedLinks',
  'AttachFiles',
  'ReadMessageHistory',
  'CreatePublicThreads',
  'SendMessagesInThreads',
  'SendPolls',
];

/** Inputs to Discord's permission computation for one member in one channel. */
export interface PermissionInputs {
  readonly guildId: string;
  readonly ownerId: string;
  readonly userId: string;
  /** Role id → permission bits, including @everyone (whose id is the guild id). */
  readonly roles: ReadonlyMap<string, bigint>;
  readonly memberRoles: readonly string[];
  readonly overwrites: readonly APIOverwrite[];
}

/**
 * Discord's algorithm: base permissions from @everyone and the member's roles; the owner and Administrator
 * have everything; then the channel's overwrites for @everyone, the member's roles, and the member.
 */
export function computePermissions(inputs: PermissionInputs): bigint {
  if (inputs.userId === inputs.ownerId) return ALL;
  let base = inputs.roles.get(inputs.guildId) ?? 0n;
  for (const role of inputs.memberRoles) base |= inputs.roles.get(role) ?? 0n;
  if ((base & PermissionFlagsBits.Administrator) !== 0n) return ALL;
  const apply = (overwrite: APIOverwrite | undefined) => {
    if (!overwrite) return;
    base &= ~BigInt(overwrite.deny);
    base |= BigInt(overwrite.allow);
  };
  apply(inputs.overwrites.find((o) => o.id === inputs.guildId));
  let roleDeny = 0n;
  let roleAllow = 0n;
  for (const overwrite of inputs.overwrites) {
    if (overwrite.type === OverwriteType.Role && inputs.memberRoles.includes(overwrite.id)) {
      roleDeny |= BigInt(overwrite.deny);
      roleAllow |= BigInt(overwrite.allow);
    }
  }
  base = (base & ~roleDeny) | roleAllow;
  apply(inputs.overwrites.find((o) => o.type === OverwriteType.Member && o.id === inputs.userId));
  return base;
}
