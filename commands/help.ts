import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { defineCommand } from '../src/command.js';
import { type CommandSummary, helpReply } from '../src/core/replies/help.js';

export default defineCommand({
  name: 'help',
  description: 'What Crux does, every command, and how a reading week works',
  declare: () => ({}),

  replyPrivately: () => true,

  async run(_args, ctx) {
    const summaries: CommandSummary[] = ctx.commands.map((command) => ({
      name: command.name,
      description: command.description,
      subcommands: (command.options ?? [])
        .filter((option) => option.type === ApplicationCommandOptionType.Subcommand)
        .map((option) => ({ name: option.name, description: option.description })),
    }));
    return helpReply(summaries, ctx.mentions);
  },
});
