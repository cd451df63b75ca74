import { describe, expect, it } from 'vitest';
import {
  castVote,
  createPoll,
  pollChoices,
  recordOpened,
  setCredence,
  summarize,
} from '../../src/core/polls/model.js';
import { cruxMap, memberPositions, movement } from '../../src/core/polls/positions.js';
import { tally } from '../../src/core/polls/tally.js';
import { cruxQuotesReply, cruxReply } from '../../src/core/replies/crux.js';
import { contextReply, excerptReply } from '../../src/core/replies/excerpt.js';
import { pollListReply, pollMessage, resultsReply, voteReply } from '../../src/core/replies/poll.js';
import { mapReply, movementReply, myPositionsReply } from '../../src/core/replies/positions.js';
import { threadOpened } from '../../src/core/replies/threads.js';
import type { Attachment, Reply } from '../../src/core/reply.js';
import { render } from '../../src/discord/render.js';
import { shippedCorpus, testContext } from '../helpers/context.js';
import { requestBody, responseProblems } from '../helpers/contract.js';
import { run } from '../helpers/replies.js';

/** A stand-in chart: the layout, not the picture, is what Discord checks. */
const CHART: Attachment = {
  name: 'chart.png',
  data: new Uint8Array([137, 80, 78, 71]),
  description: 'Bar chart.',
};

/** Every page of a paged reply, by following its Next button's page number. */
function allPages(first: Reply, pageAt: (page: number) => Reply): Reply[] {
  const footer = first.embeds?.[0]?.footer ?? '';
  const count = Number(/Page \d+ of (\d+)/u.exec(footer)?.[1] ?? 1);
  return Array.from({ length: count }, (_, page) => pageAt(page));
}

describe('every reply Crux can send passes Discord’s published schemas, strictly', () => {
  it('sends mentions disabled, as discord.js serializes them', async () => {
    const rendered = render({ content: 'hello' });
    expect(await responseProblems(rendered)).toEqual([]);
    expect(requestBody(rendered)).toHaveProperty('allowed_mentions', { parse: [] });
  });

  it('every excerpt, public and private, and every page of its context', async () => {
    const { corpus } = await shippedCorpus();
    const problems: string[] = [];
    for (const excerpt of corpus.excerpts) {
      for (const ephemeral of [false, true]) {
        const reply = excerptReply(corpus, {
          passage: excerpt,
          scope: { session: excerpt.session, query: 'a long search query '.repeat(5) },
          ephemeral,
        });
        for (const problem of await responseProblems(render(reply)))
          problems.push(`${excerpt.id}: ${problem}`);
      }
      const first = contextReply(corpus, excerpt, 0);
      for (const page of allPages(first, (p) => contextReply(corpus, excerpt, p))) {
        for (const problem of await responseProblems(render(page), 7))
          problems.push(`${excerpt.id} context: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every crux card and every page of its quotes', async () => {
    const { corpus } = await shippedCorpus();
    const problems: string[] = [];
    for (const crux of corpus.cruxes) {
      for (const problem of await responseProblems(
        render(cruxReply(corpus, crux, 'A note above the question.')),
      )) {
        problems.push(`${crux.id}: ${problem}`);
      }
      const first = cruxQuotesReply(corpus, crux, 0);
      for (const page of allPages(first, (p) => cruxQuotesReply(corpus, crux, p))) {
        for (const problem of await responseProblems(render(page)))
          problems.push(`${crux.id} quotes: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('help and the short notices', async () => {
    const ctx = await testContext();
    const help = (await import('../../commands/help.js')).default;
    for (const reply of [await run(help, {}, ctx), threadOpened('<#123>')]) {
      expect(await responseProblems(render(reply))).toEqual([]);
    }
  });

  it('every crux as a poll in both styles, open, hidden and closed; every vote answer; results and positions', async () => {
    const { corpus } = await shippedCorpus();
    const problems: string[] = [];
    const check = async (what: string, reply: Reply) => {
      for (const problem of await responseProblems(render(reply))) problems.push(`${what}: ${problem}`);
    };
    const now = new Date('2027-01-05T19:00:00Z');
    for (const crux of corpus.cruxes) {
      for (const style of ['buttons', 'native'] as const) {
        const created = createPoll(
          {
            id: 'abcdefgh',
            guildId: '1',
            channelId: '2',
            crux,
            phase: 'after',
            style,
            hideResults: style === 'buttons',
            openedBy: null,
            session: crux.session,
            closesAt: new Date(now.getTime() + 768 * 3_600_000),
          },
          now,
        );
        let poll = recordOpened(created, '3');
        const choices = pollChoices(crux);
        choices.forEach((choice, i) => {
          poll = castVote(poll, crux, `u${i}`, choice.id, now).poll;
        });
        const first = choices[0]?.id ?? '';
        const voted = castVote(poll, crux, 'u0', first, now);
        const sure = setCredence(voted.poll, 'u0', 90, now);
        const counted = tally(crux, Object.values(sure.poll.ballots));
        await check(`${crux.id} ${style} open`, pollMessage(sure.poll, crux, counted));
        await check(
          `${crux.id} ${style} closed`,
          pollMessage({ ...sure.poll, status: 'closed' }, crux, counted),
        );
        await check(`${crux.id} vote`, voteReply(crux, sure.poll, sure.outcome));
        await check(
          `${crux.id} retract`,
          voteReply(crux, sure.poll, castVote(sure.poll, crux, 'u0', null, now).outcome),
        );
        const moved = movement(crux, [{ ...sure.poll, phase: 'before' }, sure.poll]);
        await check(`${crux.id} results`, resultsReply(sure.poll, crux, counted, CHART, moved));
        await check(`${crux.id} movement`, movementReply(moved, CHART));
        await check(`${crux.id} mine`, myPositionsReply(memberPositions(corpus, [sure.poll], 'u0')));
      }
    }
    const everyCrux = corpus.cruxes.map(
      (crux) =>
        castVote(
          recordOpened(
            createPoll(
              {
                id: crux.id.slice(0, 8),
                guildId: '1',
                channelId: '2',
                crux,
                phase: 'before',
                style: 'buttons',
                hideResults: false,
                openedBy: '9',
                closesAt: new Date(now.getTime() + 3_600_000),
              },
              now,
            ),
            '3',
          ),
          crux,
          'u1',
          crux.positions[0]?.id ?? '',
          now,
        ).poll,
    );
    await check('map', mapReply(corpus, cruxMap(corpus, everyCrux), CHART));
    await check('list', pollListReply(corpus, everyCrux.map(summarize), now));
    expect(problems).toEqual([]);
  });

  it('rejects what Discord rejects: the checker is not a rubber stamp', async () => {
    const rendered = render({ content: 'x' });
    const misnamed = { ...rendered, embeds: [{ description: 'x', colour: 1 }] } as unknown as typeof rendered;
    expect((await responseProblems(misnamed)).join()).toMatch(/colour/u);
    const tooLong = { ...rendered, content: 'x'.repeat(2001) };
    expect((await responseProblems(tooLong)).join()).toMatch(/content/u);
    const badButton = {
      ...rendered,
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: 'y'.repeat(101) }] }],
    } as typeof rendered;
    expect(await responseProblems(badButton)).not.toEqual([]);
  });
});
