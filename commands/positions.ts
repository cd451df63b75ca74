import { movementChart } from '../src/charts/polls.js';
import { defineCommand } from '../src/command.js';
import { cruxChoices, findCrux } from '../src/core/crux-lookup.js';
import { memberPositions, movement } from '../src/core/polls/positions.js';
import { movementReply, myPositionsReply } from '../src/core/replies/positions.js';
import { serverPolls } from '../src/state/index.js';
import { cruxOption } from './options.js';

export default defineCommand({
  name: 'positions',
  description: 'How positions on the cruxes moved: yours, or the group’s on one crux',
  declare: () => ({
    subcommands: {
      me: { description: 'Your answers per crux, before and after, and where you moved (only you see it)' },
      crux: {
        description: 'The group before and after on one crux, with a chart',
        options: { crux: cruxOption },
      },
    },
  }),

  replyPrivately: (args) => args.subcommand === 'me',

  async run(args, ctx) {
    const polls = await serverPolls(ctx.state, ctx.guildId);
    if (args.subcommand === 'me') return myPositionsReply(memberPositions(ctx.corpus, polls, ctx.userId));
    const crux = findCrux(ctx.corpus, ctx.search, args.crux, 'crux');
    const moved = movement(crux, polls);
    return movementReply(moved, moved.voters > 0 ? await movementChart(moved) : undefined);
  },

  async autocomplete(focused, _args, ctx) {
    return cruxChoices(ctx.corpus, ctx.search, focused.value);
  },
});
