import { mapChart } from '../src/charts/polls.js';
import { defineCommand } from '../src/command.js';
import { cruxMap } from '../src/core/polls/positions.js';
import { mapReply } from '../src/core/replies/positions.js';
import { serverPolls } from '../src/state/index.js';

export default defineCommand({
  name: 'map',
  description: 'The group’s crux map: where it agrees, where it is divided, and where minds changed',
  declare: () => ({}),

  async run(_args, ctx) {
    const map = cruxMap(ctx.corpus, await serverPolls(ctx.state, ctx.guildId));
    return mapReply(ctx.corpus, map, map.entries.length > 0 ? await mapChart(map.entries) : undefined);
  },
});
