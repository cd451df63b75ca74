import { option } from '../src/command-options.js';

/** Options several commands share, declared once so they read the same everywhere. */

/** A required crux, picked by typing words from its question (suggestions come from `cruxChoices`). */
export const cruxOption = option.string('The crux: type words from its question', {
  required: true,
  autocomplete: true,
  maxLength: 100,
});
