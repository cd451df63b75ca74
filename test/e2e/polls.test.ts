import { describe, expect, it } from 'vitest';
import type { ChannelHandle, MessageView } from '../../src/emulator/index.js';
import { first, positionsOf, shippedCorpus } from '../helpers/context.js';
import { iso, newGroup, until } from './groups.js';
import { worldForFile } from './harness.js';

/**
 * Position polls with the real bot on the emulator: opening, voting with buttons and credence, retracting,
 * hidden results, closing by button, command and deadline, the results post with its chart, a deleted
 * message and channel, native polls across a restart, 500 members voting at once, positions, the map,
 * export and deleting one's data.
 */
const { corpus } = await shippedCorpus();
const crux = first(
  corpus.cruxes.filter((c) => c.positions.length === 2 && c.session === 1),
  'crux',
);
const [a, b] = positionsOf(crux, 2);

const world = await worldForFile({ start: '2027-03-01T12:00:00Z' });

const pollMessages = (channel: ChannelHandle) =>
  channel.messages().filter((m) => m.embeds[0]?.author?.name.startsWith('Position poll') || m.poll);
const resultsPosts = (channel: ChannelHandle) =>
  channel.messages().filter((m) => m.embeds[0]?.author?.name.startsWith('Poll closed'));
const latest = (messages: MessageView[]) => first(messages.slice(-1), 'message');

describe('opening a poll', () => {
  it('is for facilitators; a member is told privately who can', async () => {
    const reply = await world.bo.run('poll open', { crux: crux.id });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^Only facilitators can do that/u);
  });

  it('suggests cruxes by their question', async () => {
    const words = crux.question.split(' ').slice(0, 3).join(' ');
    const choices = await world.ada.autocomplete('poll open', { crux: words }, 'crux');
    expect(choices.map((c) => c.value)).toContain(crux.id);
  });

  it('posts the poll in the channel and tells the facilitator privately, with its id and close time', async () => {
    const reading = world.guild.channel('reading');
    const reply = await world.ada.run('poll open', { crux: crux.id, hours: 24 });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^Poll `[0-9a-z]{8}` is open in <#\d+> on “/u);
    const poll = latest(pollMessages(reading));
    expect(poll.embeds[0]?.description).toContain(crux.question);
    expect(poll.embeds[0]?.description).toContain('No answers yet.');
    expect(poll.buttons.map((x) => x.label)).toEqual([
      `A. ${a.label}`,
      `B. ${b.label}`,
      'Unsure',
      'My answer',
      'Close poll',
    ]);
  });

  it('refuses a second open poll on the same crux and phase, which would split the answers', async () => {
    const before = pollMessages(world.guild.channel('reading')).length;
    const reply = await world.ada.run('poll open', { crux: crux.id, hours: 12 });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(
      /^A poll on “.+” \(`[0-9a-z]{8}`\) is already open\. Close it with `\/poll close` first/u,
    );
    expect(pollMessages(world.guild.channel('reading'))).toHaveLength(before);
  });
});

describe('opening when Discord does not answer', () => {
  it('tells the facilitator the poll is on its way, refuses a second one, and posts it exactly once', async () => {
    const group = await newGroup(world, 'Unanswered poll', {});
    // More 500s than discord.js retries: the post never gets an answer.
    world.discord.faults.serverError('POST /channels/:channelId/messages', { times: 10 });
    const pending = await group.ada.run('poll open', { crux: crux.id, hours: 24 }, group.reading);
    world.discord.faults.clear();
    expect(pending.ephemeral).toBe(true);
    expect(pending.content).toMatch(
      /^Discord did not answer while I posted the poll on “.+” \(`[0-9a-z]{8}`\)\. It is saved and will appear in <#\d+> within a few minutes; there is no need to open it again\.$/u,
    );
    const retry = await group.ada.run('poll open', { crux: crux.id, hours: 24 }, group.reading);
    expect(retry.content).toMatch(
      /is being posted and will appear within a few minutes; there is no need to open another\.$/u,
    );
    expect(pollMessages(group.reading)).toHaveLength(0);
    // Recovery looks once no request could still be landing, finds nothing, and posts it.
    await world.at(iso(world.clock.now().getTime() + 3 * 60_000));
    await world.at(iso(world.clock.now().getTime() + 60_000));
    expect(pollMessages(group.reading)).toHaveLength(1);
  });
});

describe('a poll named by text that is no poll id', () => {
  it.each([
    ['hello world!', 'There is no poll `hello world!` in this server.'],
    ['a`b', 'There is no poll `` a`b `` in this server.'],
    ['x``y', 'There is no poll “x\\`\\`y” in this server.'],
  ])('%j gets a private “no such poll”, not an apology', async (typed, answer) => {
    const reply = await world.ada.run('poll close', { poll: typed });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(`${answer} \`/poll list\` shows them.`);
  });
});

describe('voting with buttons', () => {
  it('records a vote privately, takes a credence, shows the previous answer on a change, and can be taken back', async () => {
    const poll = latest(pollMessages(world.guild.channel('reading')));
    const voted = await world.bo.click(poll, `A. ${a.label}`);
    expect(voted.ephemeral).toBe(true);
    expect(voted.content).toBe(`Your answer: **A. ${a.label}**.`);
    const sure = await world.bo.select(voted, ['70']);
    expect(sure.via).toBe('update');
    expect(sure.content).toBe(`Your answer: **A. ${a.label}** (70% sure).`);
    const changed = await world.bo.click(poll, `B. ${b.label}`);
    expect(changed.content).toBe(
      `Your answer: **B. ${b.label}**. Before, you had **A. ${a.label}** (70% sure).`,
    );
    const mine = await world.bo.click(poll, 'My answer');
    expect(mine.content).toBe(`Your answer: **B. ${b.label}**. Press another position to change it.`);
    const back = await world.bo.click(changed, 'Take back my answer');
    expect(back.content).toBe(
      `Your answer is taken back (it was **B. ${b.label}**). You can answer again until the poll closes.`,
    );
    // Others see only totals: the poll message never names a voter.
    await world.ada.click(poll, `A. ${a.label}`);
    await world.bot.polls.settle();
    const refreshed = latest(pollMessages(world.guild.channel('reading')));
    expect(refreshed.embeds[0]?.description).toContain(`A. ${a.label}: ▰▰▰▰▰▰▰▰▰▰ 1 (100%)`);
    expect(refreshed.text).not.toContain(world.ada.id);
  });

  it('with hide_results, the message shows no totals until it closes', async () => {
    // One open poll per crux and phase: the first one closes before this one opens.
    await world.ada.click(latest(pollMessages(world.guild.channel('reading'))), 'Close poll');
    await world.ada.run('poll open', { crux: crux.id, hide_results: true, hours: 24 });
    const poll = latest(pollMessages(world.guild.channel('reading')));
    const voted = await world.bo.click(poll, 'Unsure');
    expect(voted.content).toContain('Results are hidden until the poll closes.');
    await world.bot.polls.settle();
    const shown = latest(pollMessages(world.guild.channel('reading')));
    expect(shown.embeds[0]?.description).toContain('Results are hidden until the poll closes.');
    expect(shown.embeds[0]?.description).not.toContain('1 (100%)');
  });
});

describe('closing', () => {
  it('the Close button is for facilitators; it shows the final result and posts the results with a chart', async () => {
    const reading = world.guild.channel('reading');
    const poll = latest(pollMessages(reading));
    const refused = await world.bo.click(poll, 'Close poll');
    expect(refused.content).toMatch(/^Only facilitators/u);
    const closed = await world.ada.click(poll, 'Close poll');
    expect(closed.content).toMatch(/^Poll `\w+` is closed; its result is posted in <#\d+>\.$/u);
    const final = reading.messages().find((m) => m.id === poll.id);
    expect(final?.buttons.map((x) => x.label)).toEqual(['My answer']);
    expect(final?.embeds[0]?.description).toContain('Unsure: ▰▰▰▰▰▰▰▰▰▰ 1 (100%)');
    const results = latest(resultsPosts(reading));
    expect(results.embeds[0]?.image?.url).toMatch(/^attachment:\/\/poll-.*\.png$/u);
    const [chart] = results.attachments;
    expect(chart?.description).toMatch(/^Bar chart\. .*Unsure: 1 vote\.$/u);
    expect(
      Buffer.from(world.discord.file(chart ?? { id: '' }))
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    // Voting after the close is refused privately.
    const late = await world.bo.click(results, 'My answer');
    expect(late.content).toBe('Your answer when the poll closed: **Unsure**.');
  });

  it('/poll close, /poll list and /poll results', async () => {
    await world.ada.run('poll open', { crux: crux.id, hours: 24, phase: 'after' });
    const listed = await world.bo.run('poll list');
    expect(listed.ephemeral).toBe(true);
    expect(listed.text).toMatch(/^\*\*Open\*\*$/mu);
    const open = /`(\w+)` · after · closes <t:\d+:R>/u.exec(listed.text)?.[1] ?? '';
    expect(open).toMatch(/^\w{8}$/u);
    // Closing suggests the open polls only, newest first.
    const choices = await world.ada.autocomplete('poll close', { poll: '' }, 'poll');
    expect(choices[0]?.value).toBe(open);
    expect(choices.every((c) => c.name.startsWith('open · '))).toBe(true);
    const closed = await world.ada.run('poll close', { poll: open });
    expect(closed.content).toContain(`Poll \`${open}\` is closed`);
    const again = await world.ada.run('poll close', { poll: open });
    expect(again.content).toBe(`Poll \`${open}\` had already closed. \`/poll results\` shows its result.`);
    const results = await world.bo.run('poll results', { poll: open });
    expect(results.ephemeral).toBe(true);
    expect(results.text).toContain('Poll closed, after the discussion');
    expect(results.attachments).toHaveLength(1);
  });

  it('at its deadline, by the scheduler, once', async () => {
    const reading = world.guild.channel('reading');
    await world.ada.run('poll open', { crux: crux.id, hours: 2 });
    const before = resultsPosts(reading).length;
    await world.at(iso(world.clock.now().getTime() + 2 * 3_600_000 - 60_000));
    expect(resultsPosts(reading)).toHaveLength(before);
    await world.at(iso(world.clock.now().getTime() + 60_000));
    await world.at(iso(world.clock.now().getTime() + 60_000));
    expect(resultsPosts(reading)).toHaveLength(before + 1);
  });

  it('a deleted poll message: closes cleanly, posts its result, and the facilitators are told', async () => {
    const group = await newGroup(world, 'Deleted poll', {});
    await group.ada.run('poll open', { crux: crux.id, hours: 24 }, group.reading);
    const poll = latest(pollMessages(group.reading));
    await group.bo.click(poll, `A. ${a.label}`);
    group.reading.deleteMessage(poll.id);
    await group.ada.run('poll close', { poll: pollIdOf(poll) }, group.general);
    expect(resultsPosts(group.reading)).toHaveLength(1);
    const told = [...group.reading.messages(), ...group.general.messages()].map((m) => m.content).join('\n');
    expect(told).toContain('its message was deleted, so it could not show the final result there');
  });

  it('a deleted channel: closes cleanly and the facilitators are told where to find the result', async () => {
    const group = await newGroup(world, 'Deleted channel poll', {});
    await group.ada.run('poll open', { crux: crux.id, hours: 1 }, group.reading);
    const id = pollIdOf(latest(pollMessages(group.reading)));
    group.reading.delete();
    await until(() => true, 50);
    await world.at(iso(world.clock.now().getTime() + 3_600_000 + 60_000));
    const told = group.general
      .messages()
      .map((m) => m.content)
      .join('\n');
    expect(told).toContain(`The poll \`${id}\``);
    expect(told).toContain('its channel is gone');
    expect(told).toContain(`\`/poll results poll:${id}\` shows the result.`);
    const results = await group.ada.run('poll results', { poll: id }, group.general);
    expect(results.text).toContain(crux.question);
  });
});

/** A poll's id, from its Close or My answer button. */
function pollIdOf(message: MessageView): string {
  const button = message.buttons.find((x) => x.customId.startsWith('poll:'));
  return new URLSearchParams(button?.customId.split(':')[2]).get('p') ?? '';
}
