import { literal } from '../format.js';
import { CRUX_COLOR, type Reply } from '../reply.js';

/** A command as /help lists it: generated from the registered definitions, never written by hand. */
export interface CommandSummary {
  readonly name: string;
  readonly description: string;
  readonly subcommands: readonly { readonly name: string; readonly description: string }[];
}

const HOW_A_WEEK_WORKS = [
  'The group reads one session of the schedule each week: a few sections of the texts, 1,500–4,000 words.',
  'Use `/excerpt` to put a passage from this week’s reading in front of everyone, and **Discuss** to open a thread on it.',
  'Use `/crux` for the week’s key disagreement: each position comes with the passages that argue it. **Quotes** shows them in full.',
  'Talk it through in the thread, then move on to the next session.',
];

/** The /help reply: every command with its description, and how a week works. */
export function helpReply(commands: readonly CommandSummary[]): Reply {
  const lines = commands.flatMap((command) =>
    command.subcommands.length > 0
      ? command.subcommands.map((sub) => `\`/${command.name} ${sub.name}\` — ${literal(sub.description)}`)
      : [`\`/${command.name}\` — ${literal(command.description)}`],
  );
  return {
    embeds: [
      {
        title: 'Crux: a reading group companion',
        description:
          'Crux serves excerpts and the key disagreements (cruxes) from the group’s texts on AI alignment.',
        fields: [
          { name: 'Commands', value: lines.join('\n') },
          {
            name: 'How a week works',
            value: HOW_A_WEEK_WORKS.map((line, i) => `${i + 1}. ${line}`).join('\n'),
          },
        ],
        color: CRUX_COLOR,
      },
    ],
    ephemeral: true,
  };
}
