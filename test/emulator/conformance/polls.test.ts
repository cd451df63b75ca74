import { describe, expect, it } from 'vitest';
import { freshServerPerTest } from './server.js';

/** Polls as developers/resources/poll.mdx documents them, both directions. */
let now = Date.parse('2027-01-01T12:00:00Z');
const server = freshServerPerTest({ now: () => now });

const poll = {
  question: { text: 'Persona?' },
  answers: [{ poll_media: { text: 'Yes' } }, { poll_media: { text: 'No' } }],
  duration: 1,
};
const created = async () =>
  (await server.call('POST', `/channels/${server.channelId}/messages`, { poll })).body as {
    id: string;
    poll: { answers: { answer_id: number }[] };
  };
const expire = (id: string) => server.call('POST', `/channels/${server.channelId}/polls/${id}/expire`);

describe('polls', () => {
  it('answer ids are Discord’s labels, not positions ("Poll Answer Object": do not depend on 1, 2, 3…)', async () => {
    const ids = (await created()).poll.answers.map((a) => a.answer_id);
    expect(new Set(ids).size).toBe(2);
    expect(ids).not.toEqual([1, 2]);
  });

  it('a poll message cannot be edited: 400 / 520003 ("Poll Endpoints")', async () => {
    const message = await created();
    expect(
      await server.call('PATCH', `/channels/${server.channelId}/messages/${message.id}`, {
        content: 'edited',
      }),
    ).toMatchObject({ status: 400, body: { code: 520003 } });
    const plain = (await server.call('POST', `/channels/${server.channelId}/messages`, { content: 'a' }))
      .body as {
      id: string;
    };
    expect(
      (await server.call('PATCH', `/channels/${server.channelId}/messages/${plain.id}`, { content: 'b' }))
        .status,
    ).toBe(200);
  });

  it('End Poll: once (then 520001), not after its duration ran out (520001), not on a non-poll (520006)', async () => {
    const first = await created();
    expect((await expire(first.id)).status).toBe(200);
    expect(await expire(first.id)).toMatchObject({ status: 400, body: { code: 520001 } });

    const second = await created();
    now += 2 * 3_600_000;
    expect(await expire(second.id)).toMatchObject({ status: 400, body: { code: 520001 } });

    const plain = (await server.call('POST', `/channels/${server.channelId}/messages`, { content: 'a' }))
      .body as {
      id: string;
    };
    expect(await expire(plain.id)).toMatchObject({ status: 400, body: { code: 520006 } });
  });
});
