import { type CommandContext, defineCommand, on } from '../src/command.js';
import { option } from '../src/command-options.js';
import type { Corpus, Session } from '../src/core/corpus/types.js';
import { UserError } from '../src/core/errors.js';
import { literal } from '../src/core/format.js';
import { groupPlace } from '../src/core/progress.js';
import { readingDocument } from '../src/core/reading/document.js';
import { readingPages } from '../src/core/reading/pages.js';
import {
  READ_COMMAND,
  READING_FORMATS,
  type ReadingFormat,
  type ReadView,
  readFile,
  readingFileName,
  readingFileReply,
  readJump,
  readOpen,
  readPage,
  readPageReply,
  viewFromParams,
} from '../src/core/replies/read.js';
import type { Reply } from '../src/core/reply.js';
import { readingFile } from '../src/downloads/index.js';

export default defineCommand({
  name: READ_COMMAND,
  description: 'Read this week’s texts here, page by page, or download them as an e-book',
  declare: (corpus) => ({
    options: {
      session: option.integer('Which session’s readings (default: this week’s)', {
        min: 1,
        max: corpus.sessions.length,
      }),
      text: option.string('Only this text’s part of the session', { autocomplete: true, maxLength: 100 }),
      format: option.choice('Send the readings as a file instead of pages', [
        { name: READING_FORMATS.epub, value: 'epub' },
        { name: READING_FORMATS.markdown, value: 'markdown' },
      ]),
      ahead: option.boolean('A session the group has not reached yet (spoilers)'),
    },
  }),

  replyPrivately: () => true,

  async run(args, ctx) {
    const record = await ctx.state.guilds.read(ctx.guildId);
    const view: ReadView = {
      session: args.session ?? record.progress.session,
      textId: args.text,
      ahead: args.ahead === true,
    };
    const session = await openView(view, ctx);
    if (args.format !== undefined) return download(ctx.corpus, session, view, args.format);
    const document = readingDocument(ctx.corpus, session, view.textId);
    return readPageReply(document, readingPages(document), 0, view);
  },

  async autocomplete(focused, args, ctx) {
    if (focused.name !== 'text') return [];
    const typed = focused.value.trim().toLowerCase();
    const session = ctx.corpus.sessions.find((s) => s.number === args.session);
    return ctx.corpus.texts
      .filter((text) => !session || session.readings.some((r) => r.textId === text.id))
      .filter((text) => text.title.toLowerCase().includes(typed) || text.id.includes(typed))
      .map((text) => ({ name: text.title, value: text.id }));
  },

  components: [
    on(readPage, async (params, ctx) => ({
      type: 'update',
      reply: await page(viewFromParams(params), params.p, ctx),
    })),
    on(readJump, async (params, ctx) => ({
      type: 'update',
      reply: await page(viewFromParams(params), params.value, ctx),
    })),
    // From a kickoff or a reminder: the session the schedule announced, open to read whatever the group's place.
    on(readOpen, async (params, ctx) => ({
      type: 'reply',
      reply: await page({ session: params.s, ahead: true }, 0, ctx),
    })),
    on(readFile, async (params, ctx) => {
      const view = viewFromParams(params);
      const session = await openView(view, ctx);
      return { type: 'reply', reply: await download(ctx.corpus, session, view, params.f) };
    }),
  ],
});

/** A page of the readings a button names, checked against the group's place again (it may be an old message). */
async function page(view: ReadView, index: number, ctx: CommandContext): Promise<Reply> {
  const session = await openView(view, ctx);
  const document = readingDocument(ctx.corpus, session, view.textId);
  return readPageReply(document, readingPages(document), index, view);
}

/**
 * The session a view reads; a `UserError` for a session or text that does not exist, a text the session
 * does not read, or a session past where the group is without `ahead`.
 */
async function openView(view: ReadView, ctx: CommandContext): Promise<Session> {
  const { corpus } = ctx;
  const session = corpus.sessions.find((s) => s.number === view.session);
  if (!session) throw new UserError(STALE);
  const { progress } = await ctx.state.guilds.read(ctx.guildId);
  const { reached } = groupPlace(corpus, progress);
  if (session.number > reached && !view.ahead) {
    throw new UserError(
      `Session ${session.number} is ahead of the group, which has reached session ${reached}. Add **ahead: True** if you want to read it anyway (spoilers).`,
    );
  }
  if (view.textId === undefined) return session;
  const text = corpus.textById.get(view.textId);
  if (!text) {
    throw new UserError(
      `There is no text called “${literal(view.textId)}”. Start typing in the **text** option and pick one of the titles it suggests.`,
    );
  }
  if (!session.readings.some((r) => r.textId === text.id)) {
    const sessions = corpus.sessions.filter((s) => s.readings.some((r) => r.textId === text.id));
    throw new UserError(
      `Session ${session.number} does not read **${literal(text.title)}**; ${sessions.length === 1 ? 'session' : 'sessions'} ${sessions.map((s) => s.number).join(', ')} ${sessions.length === 1 ? 'does' : 'do'}. Leave out **text** to read the whole session.`,
    );
  }
  return session;
}

async function download(
  corpus: Corpus,
  session: Session,
  view: ReadView,
  format: ReadingFormat,
): Promise<Reply> {
  const document = readingDocument(corpus, session, view.textId);
  const data = await readingFile(document, format);
  return readingFileReply(corpus, document, format, { name: readingFileName(view, format), data });
}

const STALE = 'That session is no longer in the reading list. Run `/read` again for a fresh page.';
