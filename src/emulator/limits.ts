/**
 * Discord's documented limits, as the emulator enforces them. Deliberately the emulator's own copy, read
 * from Discord's documentation (github.com/discord/discord-api-docs, `developers/`), never imported from
 * the bot: an oracle that shared the checked code's constants would agree with it when both are wrong.
 *
 * Lengths are counted as Discord counts them: in Unicode code points ("the API calculates length based on
 * the number of codepoints in the string", discord-api-docs#1315), embed text after trimming leading and
 * trailing whitespace (resources/message.mdx, "Embed Limits").
 */
export const LIMITS = {
  /** resources/message.mdx, "Create Message": content "up to 2000 characters". */
  content: 2000,
  /** resources/message.mdx, "Embed Limits": the six text fields of all embeds together. */
  embedTotal: 6000,
  /** components/reference.mdx, "Action Row": "up to 5 action rows as top-level components" (legacy). */
  legacyActionRows: 5,
  /** resources/poll.mdx, "Poll Media Object": "300 for the question, and 55 for any answer". */
  pollQuestion: 300,
  pollAnswerText: 55,
  /** interactions/application-commands.mdx, "Application Command Option Choice Structure": value ≤ 100. */
  choiceValue: 100,
  choiceName: 100,
  /**
   * reference.mdx, "Uploading Files": "The default limit is `10 MiB` for all users" per file, and "The
   * maximum request size when sending a message is 25 MiB". change-log.mdx, "Default File Upload Limit
   * Change" (2025-01-16).
   */
  fileBytes: 10 * 1024 * 1024,
  requestBytes: 25 * 1024 * 1024,
} as const;

/** A string's length as Discord counts it: code points. */
export function discordLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
