import { type CommandContext, defineCommand, on } from '../src/command.js';
import { option } from '../src/command-options.js';
import type { Corpus } from '../src/core/corpus/types.js';
import { UserError } from '../src/core/errors.js';
import {
  type CoverageTarget,
  describeTarget,
  progressBar,
  sectionsOf,
  sessionsDone,
  withCovered,
  withoutCovered,
} from '../src/core/progress.js';
import {
  PROGRESS_COMMAND,
  progressCheckIn,
  progressUndo,
  progressView,
} from '../src/core/replies/checkin.js';
import {
  checkedInReply,
  checkInsReply,
  checkInUndoneReply,
  myProgressReply,
  progressReply,
  sessionSetReply,
} from '../src/core/replies/progress.js';
import { notice, type Reply } from '../src/core/reply.js';

/** The options that name what /progress mark and unmark apply to. */
const target = (corpus: Corpus) => ({
  session: option.integer('A whole session', { min: 1, max: corpus.sessions.length }),
  text: option.string('A whole text', { autocomplete: true, maxLength: 100 }),
  section: option.string('One section', { autocomplete: true, maxLength: 100 }),
});

export default defineCommand({
  name: PROGRESS_COMMAND,
  description: 'Where the group is in the reading list, and who has done the reading',
  declare: (corpus) => ({
    subcommands: {
      show: { description: 'Sessions done, texts and sections covered, and what comes next' },
      me: { description: 'The sessions you have checked in for (only you see it)' },
      checkins: {
        description: 'Facilitators: who has checked in for a session',
        options: {
          session: option.integer('Which session (default: this week’s)', {
            min: 1,
            max: corpus.sessions.length,
          }),
        },
        requires: 'facilitator',
      },
      set: {
        description: 'Facilitators: correct which session the group is on this week',
        options: {
          session: option.integer('The session the group is reading', {
            required: true,
            min: 1,
            max: corpus.sessions.length,
          }),
        },
        requires: 'facilitator',
      },
      mark: {
        description: 'Facilitators: mark a session, text or section as covered',
        options: target(corpus),
        requires: 'facilitator',
      },
      unmark: {
        description: 'Facilitators: mark a session, text or section as not covered',
        options: target(corpus),
        requires: 'facilitator',
      },
    },
  }),

  replyPrivately: (args) => args.subcommand === 'me' || args.subcommand === 'checkins',

  async run(args, ctx) {
    const record = await ctx.state.guilds.read(ctx.guildId);
    switch (args.subcommand) {
      case 'me':
        return myProgressReply(
          ctx.corpus,
          await ctx.state.checkIns.forMember(ctx.guildId, ctx.userId, ctx.corpus.sessions.length),
          record.progress.session,
        );
      case 'checkins': {
        const session = args.session ?? record.progress.session;
        return checkInsReply(session, await ctx.state.checkIns.forSession(ctx.guildId, session));
      }
      case 'set':
        return setSession(args.session, ctx);
      case 'mark':
      case 'unmark':
        return mark(args, args.subcommand === 'mark', ctx);
      case 'show':
        return progressReply(ctx.corpus, record.progress, record.schedule);
    }
  },

  async autocomplete(focused, _args, ctx) {
    const typed = focused.value.trim().toLowerCase();
    if (focused.name === 'text') {
      return ctx.corpus.texts
        .filter((text) => text.title.toLowerCase().includes(typed))
        .map((text) => ({ name: text.title, value: text.id }));
    }
    if (focused.name === 'section') {
      return ctx.corpus.sessions
        .flatMap((session) => session.sections.map((section) => ({ session: session.number, section })))
        .filter(({ section }) => section.heading.toLowerCase().includes(typed))
        .map(({ session, section }) => ({
          name: `Session ${session} · ${section.heading}`,
          value: section.id,
        }));
    }
    return [];
  },

  components: [
    on(progressCheckIn, async (params, ctx) => {
      if (!ctx.corpus.sessions.some((s) => s.number === params.s)) {
        return { type: 'reply', reply: notice('That session is no longer in the reading list.') };
      }
      return {
        type: 'reply',
        reply: checkedInReply(params.s, await ctx.state.checkIns.add(ctx.guildId, params.s, ctx.userId)),
      };
    }),
    // The button on the wrap-up: the group's progress, privately.
    on(progressView, async (_params, ctx) => {
      const record = await ctx.state.guilds.read(ctx.guildId);
      return {
        type: 'reply',
        reply: { ...progressReply(ctx.corpus, record.progress, record.schedule), ephemeral: true },
      };
    }),
    on(progressUndo, async (params, ctx) => {
      const removed = await ctx.state.checkIns.remove(ctx.guildId, params.s, ctx.userId);
      return { type: 'update', reply: checkInUndoneReply(params.s, removed) };
    }),
  ],
});

async function mark(
  args: { readonly session?: number; readonly text?: string; readonly section?: string },
  covered: boolean,
  ctx: CommandContext,
): Promise<Reply> {
  const { corpus } = ctx;
  const given = [args.session !== undefined, args.text !== undefined, args.section !== undefined].filter(
    Boolean,
  ).length;
  if (given !== 1) throw new UserError('Give exactly one of **session**, **text** or **section**.');
  const target: CoverageTarget =
    args.session !== undefined
      ? { kind: 'session', session: args.session }
      : args.text !== undefined
        ? { kind: 'text', textId: args.text }
        : { kind: 'section', sectionId: args.section ?? '' };
  const sections = sectionsOf(corpus, target);
  if (sections.length === 0)
    throw new UserError('There is no such text or section. Pick one from the suggestions as you type.');
  const done = await ctx.state.guilds.change(ctx.guildId, (record) => {
    const next = covered
      ? withCovered(corpus, record.progress.covered, sections)
      : withoutCovered(record.progress.covered, sections);
    return {
      record: { ...record, progress: { ...record.progress, covered: next } },
      result: sessionsDone(corpus, next).length,
    };
  });
  return {
    content: `${describeTarget(corpus, target)} is now marked ${covered ? 'covered' : 'not covered'} (${sections.length} section${sections.length === 1 ? '' : 's'}). ${progressBar(done, corpus.sessions.length)} sessions done.`,
  };
}

/** A facilitator's correction of the group's week: what /excerpt and /crux draw from, and the check-ins shown. */
async function setSession(session: number, ctx: CommandContext): Promise<Reply> {
  const schedule = await ctx.state.guilds.change(ctx.guildId, (record) => ({
    record: { ...record, progress: { ...record.progress, session } },
    result: record.schedule,
  }));
  return sessionSetReply(ctx.corpus, session, schedule);
}
