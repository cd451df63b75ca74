import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord-api-types/v10';
import { movementChart } from '../src/charts/polls.js';
import { defineCommand } from '../src/command.js';
import { cruxChoices, cruxNotFound, lookUpCrux } from '../src/core/crux-lookup.js';
import { memberPositions, movement } from '../src/core/polls/positions.js';
import { movementReply, myPositionsReply } from '../src/core/replies/positions.js';
import { notice } from '../src/core/reply.js';
import { serverPolls } from '../src/state/index.js';
import { cruxOption } from './options.js';

type PositionsArgs = { readonly subcommand?: string; readonly crux?: string };

export default defineCommand<PositionsArgs>({
  define: () =>
    new SlashCommandBuilder()
      .setName('positions')
      .setDescription('How positions on the cruxes moved: yours, or the group’s on one crux')
      .setContexts(InteractionContextType.Guild)
      .addSubcommand((sub) =>
        sub
          .setName('me')
          .setDescription('Your answers per crux, before and after, and where you moved (only you see it)'),
      )
      .addSubcommand((sub) =>
        sub
          .setName('crux')
          .setDescription('The group before and after on one crux, with a chart')
          .addStringOption(cruxOption),
      ),

  replyPrivately: (args) => args.subcommand === 'me',

  async run(args, ctx) {
    const polls = await serverPolls(ctx.state, ctx.guildId);
    if (args.subcommand === 'me') return myPositionsReply(memberPositions(ctx.corpus, polls, ctx.userId));
    const typed = args.crux ?? '';
    const lookup = lookUpCrux(ctx.corpus, ctx.search, typed);
    if (lookup.kind !== 'found') return notice(cruxNotFound(typed, lookup, 'crux'));
    const moved = movement(lookup.crux, polls);
    return movementReply(moved, moved.voters > 0 ? await movementChart(moved) : undefined);
  },

  async autocomplete(focused, _args, ctx) {
    return cruxChoices(ctx.corpus, ctx.search, focused.value);
  },
});
