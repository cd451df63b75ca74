import { literal } from '../format.js';
import type { CommandMentions } from '../mentions.js';
import { CRUX_COLOR, type Reply } from '../reply.js';

/** A command as /help lists it: generated from the registered definitions, never written by hand. */
export interface CommandSummary {
  readonly name: string;
  readonly description: string;
  readonly subcommands: readonly { readonly name: string; readonly description: string }[];
}

/** How a reading week goes, naming the commands a member uses at each step. */
const howAWeekWorks = (mention: CommandMentions['mention']) => [
  'The group reads one session of the schedule each week: a few sections of the texts, 1,500–4,000 words.',
  `At the session time Crux posts the readings, an excerpt and the week’s crux, and opens a thread. Read the texts with ${mention('read')} (page by page here, or as an e-book), then press **I’ve read it**.`,
  'A position poll on the crux asks where you stand before the discussion (and, if the group chose, after it). Answers are private; only totals are shown.',
  'During the week, `/excerpt` puts a passage in front of everyone and `/crux` the week’s key disagreement, each side with the passages that argue it.',
  'Talk it through in the thread. Before the next session the poll closes with its result; `/positions me` shows how your own views moved and `/map` where the group agrees and where it is divided.',
];

/** The /help reply: every command with its description, and how a week works. */
export function helpReply(commands: readonly CommandSummary[], mentions: CommandMentions): Reply {
  const mention = (name: string, sub?: string) => mentions.mention(name, sub);
  // One field per command keeps each within Discord's 1,024 characters as commands grow.
  const fields = commands.map((command) => ({
    name: `/${command.name}`,
    value:
      command.subcommands.length > 0
        ? command.subcommands
            .map((sub) => `${mention(command.name, sub.name)} — ${literal(sub.description)}`)
            .join('\n')
        : `${mention(command.name)} — ${literal(command.description)}`,
  }));
  return {
    embeds: [
      {
        title: 'Crux: a reading group companion',
        description:
          'Crux serves excerpts and the key disagreements (cruxes) from the group’s texts on AI alignment.',
        fields: [
          ...fields,
          {
            name: 'How a week works',
            value: howAWeekWorks(mention)
              .map((line, i) => `${i + 1}. ${line}`)
              .join('\n'),
          },
        ],
        color: CRUX_COLOR,
      },
    ],
    ephemeral: true,
  };
}
