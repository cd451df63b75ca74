import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord-api-types/v10';
import { type CommandContext, defineCommand } from '../src/command.js';
import { isFacilitator } from '../src/core/access.js';
import { intParam } from '../src/core/custom-id.js';
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
  checkedInReply,
  checkInsReply,
  checkInUndoneReply,
  myProgressReply,
  progressReply,
  sessionSetReply,
} from '../src/core/replies/progress.js';
import { notFacilitatorReply } from '../src/core/replies/schedule.js';
import { PROGRESS_ACTIONS, PROGRESS_COMMAND } from '../src/core/replies/session.js';
import { notice, type Outcome, type Reply } from '../src/core/reply.js';

type ProgressArgs = {
  readonly subcommand?: string;
  readonly session?: number;
  readonly text?: string;
  readonly section?: string;
};

export default defineCommand<ProgressArgs>({
  define: (corpus) => {
    const target = (sub: import('@discordjs/builders').SlashCommandSubcommandBuilder) =>
      sub
        .addIntegerOption((o) =>
          o
            .setName('session')
            .setDescription('A whole session')
            .setMinValue(1)
            .setMaxValue(corpus.sessions.length),
        )
        .addStringOption((o) =>
          o.setName('text').setDescription('A whole text').setAutocomplete(true).setMaxLength(100),
        )
        .addStringOption((o) =>
          o.setName('section').setDescription('One section').setAutocomplete(true).setMaxLength(100),
        );
    return new SlashCommandBuilder()
      .setName(PROGRESS_COMMAND)
      .setDescription('Where the group is in the reading list, and who has done the reading')
      .setContexts(InteractionContextType.Guild)
      .addSubcommand((sub) =>
        sub.setName('show').setDescription('Sessions done, texts and sections covered, and what comes next'),
      )
      .addSubcommand((sub) =>
        sub.setName('me').setDescription('The sessions you have checked in for (only you see it)'),
      )
      .addSubcommand((sub) =>
        sub
          .setName('checkins')
          .setDescription('Facilitators: who has checked in for a session')
          .addIntegerOption((o) =>
            o
              .setName('session')
              .setDescription('Which session (default: this week’s)')
              .setMinValue(1)
              .setMaxValue(corpus.sessions.length),
          ),
      )
      .addSubcommand((sub) =>
        sub
          .setName('set')
          .setDescription('Facilitators: correct which session the group is on this week')
          .addIntegerOption((o) =>
            o
              .setName('session')
              .setDescription('The session the group is reading')
              .setRequired(true)
              .setMinValue(1)
              .setMaxValue(corpus.sessions.length),
          ),
      )
      .addSubcommand((sub) =>
        target(
          sub.setName('mark').setDescription('Facilitators: mark a session, text or section as covered'),
        ),
      )
      .addSubcommand((sub) =>
        target(
          sub
            .setName('unmark')
            .setDescription('Facilitators: mark a session, text or section as not covered'),
        ),
      );
  },

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
        if (!isFacilitator(ctx.permissions, ctx.memberRoles, record.facilitatorRoleId))
          return notFacilitatorReply(record.facilitatorRoleId);
        const session = args.session ?? record.progress.session;
        return checkInsReply(session, await ctx.state.checkIns.forSession(ctx.guildId, session));
      }
      case 'set':
      case 'mark':
      case 'unmark':
        if (!isFacilitator(ctx.permissions, ctx.memberRoles, record.facilitatorRoleId))
          return notFacilitatorReply(record.facilitatorRoleId);
        return args.subcommand === 'set'
          ? setSession(args.session ?? 0, ctx)
          : mark(args, args.subcommand === 'mark', ctx);
      default:
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

  components: {
    async [PROGRESS_ACTIONS.checkIn](params, ctx): Promise<Outcome> {
      const session = intParam(params, 's', 0);
      if (!ctx.corpus.sessions.some((s) => s.number === session)) {
        return { type: 'reply', reply: notice('That session is no longer in the reading list.') };
      }
      return {
        type: 'reply',
        reply: checkedInReply(session, await ctx.state.checkIns.add(ctx.guildId, session, ctx.userId)),
      };
    },
    // The button on the wrap-up: the group's progress, privately.
    async [PROGRESS_ACTIONS.view](_params, ctx): Promise<Outcome> {
      const record = await ctx.state.guilds.read(ctx.guildId);
      return {
        type: 'reply',
        reply: { ...progressReply(ctx.corpus, record.progress, record.schedule), ephemeral: true },
      };
    },
    async [PROGRESS_ACTIONS.undo](params, ctx): Promise<Outcome> {
      const session = intParam(params, 's', 0);
      const removed = session > 0 && (await ctx.state.checkIns.remove(ctx.guildId, session, ctx.userId));
      return { type: 'update', reply: checkInUndoneReply(session, removed) };
    },
  },
});

async function mark(args: ProgressArgs, covered: boolean, ctx: CommandContext): Promise<Reply> {
  const { corpus } = ctx;
  const given = [args.session !== undefined, args.text !== undefined, args.section !== undefined].filter(
    Boolean,
  ).length;
  if (given !== 1) return notice('Give exactly one of **session**, **text** or **section**.');
  const target: CoverageTarget =
    args.session !== undefined
      ? { kind: 'session', session: args.session }
      : args.text !== undefined
        ? { kind: 'text', textId: args.text }
        : { kind: 'section', sectionId: args.section ?? '' };
  const sections = sectionsOf(corpus, target);
  if (sections.length === 0)
    return notice('There is no such text or section. Pick one from the suggestions as you type.');
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
  if (!ctx.corpus.sessions.some((s) => s.number === session))
    return notice(`The reading list has sessions 1 to ${ctx.corpus.sessions.length}.`);
  const schedule = await ctx.state.guilds.change(ctx.guildId, (record) => ({
    record: { ...record, progress: { ...record.progress, session } },
    result: record.schedule,
  }));
  return sessionSetReply(ctx.corpus, session, schedule);
}
