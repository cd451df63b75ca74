import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../../src/logger.js';
import { newGroup, until } from '../e2e/groups.js';
import { worldForFile } from '../e2e/harness.js';
import { shippedCorpus } from '../helpers/context.js';

const { corpus } = await shippedCorpus();
const crux = corpus.cruxes[0];
const recorded = recordingLogger();
const world = await worldForFile({ start: '2027-05-03T12:00:00Z', logger: recorded.logger });

describe('a channel deleted while /poll open posts its poll', () => {
  it('the facilitator’s interaction is settled without an unhandled rejection; the poll is not left open', async () => {
    const group = await newGroup(world, 'Deleted mid-open');
    world.discord.faults.slow(`POST /channels/${group.reading.id}/messages`, 2500);
    const answer = group.ada.run('poll open', { crux: crux?.id ?? '', hours: 1 }, group.reading).then(
      (message) => ({ message }),
      (error: unknown) => ({ error: String(error) }),
    );
    await until(() => world.discord.faults.served.length > 0, 5000);
    group.reading.delete();
    // Discord cannot deliver an answer into a deleted channel; the member has nothing left to look at.
    expect(await answer).toEqual({ error: 'InteractionFailed: The application did not respond' });
    await world.discord.idle();
    expect(recorded.entries.filter((e) => e.level >= 40)).toEqual([]);
    expect(recorded.entries.map((e) => e.msg)).toContain(
      'interaction’s channel or token gone before the answer',
    );
    // Nothing half-open: the poll is closed, and the crux can be polled again elsewhere.
    expect((await group.ada.run('poll list', {}, group.general)).text).toContain('No poll is open.');
    const again = await group.ada.run('poll open', { crux: crux?.id ?? '', hours: 1 }, group.general);
    expect(again.text).not.toContain('already open');
  });
});
