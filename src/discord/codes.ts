/**
 * Discord's JSON error codes that Crux gives a defined outcome, in one place
 * (developers/topics/opcodes-and-status-codes.mdx, "JSON Error Codes").
 */
export const DISCORD_CODES = {
  unknownChannel: 10003,
  unknownGuild: 10004,
  unknownMessage: 10008,
  unknownInteraction: 10062,
  missingAccess: 50001,
  missingPermissions: 50013,
  threadAlreadyExists: 160004,
  pollExpired: 520001,
} as const;
