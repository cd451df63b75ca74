import type { SlashCommandStringOption } from '@discordjs/builders';

/** Options several commands share, defined once so they read the same everywhere. */

/** A required crux, picked by typing words from its question (suggestions come from `cruxChoices`). */
export function cruxOption(option: SlashCommandStringOption): SlashCommandStringOption {
  return option
    .setName('crux')
    .setDescription('The crux: type words from its question')
    .setRequired(true)
    .setAutocomplete(true)
    .setMaxLength(100);
}
