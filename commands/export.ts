import { randomBytes } from 'node:crypto';
import { defineCommand } from '../src/command.js';
import { option } from '../src/command-options.js';
import { UserError } from '../src/core/errors.js';
import { exportServer } from '../src/core/polls/export.js';
import { sessionsDone } from '../src/core/progress.js';
import { exportReply } from '../src/core/replies/data.js';
import { fitToUploadLimit } from '../src/core/uploads.js';
import { serverPolls } from '../src/state/index.js';

export default defineCommand({
  name: 'export',
  description: 'Facilitators: the server’s polls, answers and progress as CSV and JSON (only you see it)',
  declare: () => ({
    options: { member_ids: option.boolean('Show Discord member ids instead of pseudonyms') },
    requires: 'facilitator',
  }),

  replyPrivately: () => true,

  async run(args, ctx) {
    const record = await ctx.state.guilds.read(ctx.guildId);
    // The pseudonyms' key is made once per server, so a member reads the same in every export.
    const secret = await ctx.state.guilds.change(ctx.guildId, (current) =>
      current.exportSecret
        ? { record: current, result: current.exportSecret }
        : (() => {
            const made = randomBytes(32).toString('hex');
            return { record: { ...current, exportSecret: made }, result: made };
          })(),
    );
    const total = ctx.corpus.sessions.length;
    const pseudonyms = args.member_ids !== true;
    const files = exportServer({
      corpus: ctx.corpus,
      guildId: ctx.guildId,
      polls: await serverPolls(ctx.state, ctx.guildId),
      progress: {
        session: record.progress.session,
        sessionsDone: sessionsDone(ctx.corpus, record.progress.covered),
        covered: record.progress.covered,
      },
      checkIns: await ctx.state.checkIns.forServer(ctx.guildId, total),
      members: pseudonyms ? 'pseudonyms' : 'ids',
      secret,
      now: ctx.now,
    });
    const stamp = ctx.now.toISOString().slice(0, 10);
    const encode = (text: string) => new TextEncoder().encode(text);
    const fitted = fitToUploadLimit(
      [
        {
          name: `crux-votes-${stamp}.csv`,
          data: encode(files.csv),
          description: 'Every poll answer, one row each',
        },
        {
          name: `crux-export-${stamp}.json`,
          data: encode(files.json),
          description: 'Polls, answers and reading progress',
        },
      ],
      ctx.attachmentSizeLimit,
    );
    if (fitted.kind === 'too-large') throw new UserError(fitted.note);
    return exportReply(fitted.files, files.votes, pseudonyms, fitted.note);
  },
});
