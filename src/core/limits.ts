/**
 * Discord's documented limits, in one place. The render choke point enforces them on every reply and the
 * corpus validation checks the curated data against the ones it must fit (crux questions become poll
 * questions, position labels become poll answers).
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthorName: 256,
  /** Sum of title, description, field names and values, footer and author name across all embeds. */
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionValue: 100,
  selectOptionDescription: 100,
  selectPlaceholder: 150,
  modalTitle: 45,
  autocompleteChoices: 25,
  autocompleteChoiceName: 100,
  autocompleteChoiceValue: 100,
  threadName: 100,
  pollQuestion: 300,
  pollAnswers: 10,
  pollAnswerText: 55,
  pollMinHours: 1,
  pollMaxHours: 768,
} as const;
