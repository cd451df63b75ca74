import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Button, Reply } from '../../src/core/reply.js';
import {
  RenderError,
  render,
  renderChannelMessage,
  renderChoices,
  renderThreadName,
} from '../../src/discord/render.js';

const sentence = 'This sentence is forty characters long. ';
const button = (customId: string, label = 'Go'): Button => ({ type: 'button', customId, label });

describe('render enforces Discord limits', () => {
  it('cuts long content at a sentence, with an ellipsis', () => {
    const rendered = render({ content: sentence.repeat(100) });
    expect(rendered.content?.length).toBeLessThanOrEqual(2000);
    expect(rendered.content).toMatch(/long\. …$/u);
  });

  it.each([
    ['title', { title: sentence.repeat(10) }, (e: APIEmbed) => e.title ?? '', 256],
    ['description', { description: sentence.repeat(200) }, (e: APIEmbed) => e.description ?? '', 4096],
    ['author', { author: sentence.repeat(10) }, (e: APIEmbed) => e.author?.name ?? '', 256],
    ['footer', { footer: sentence.repeat(60) }, (e: APIEmbed) => e.footer?.text ?? '', 2048],
    [
      'field value',
      { fields: [{ name: 'n', value: sentence.repeat(30) }] },
      (e: APIEmbed) => e.fields?.[0]?.value ?? '',
      1024,
    ],
    [
      'field name',
      { fields: [{ name: sentence.repeat(10), value: 'v' }] },
      (e: APIEmbed) => e.fields?.[0]?.name ?? '',
      256,
    ],
  ] as const)('cuts an embed %s', (_name, embed, pick, max) => {
    const [rendered = {}] = render({ embeds: [embed] }).embeds;
    expect(pick(rendered).length).toBeLessThanOrEqual(max);
    expect(pick(rendered)).toMatch(/…$/u);
  });

  it('keeps all embeds together within 6,000 characters', () => {
    const embeds = Array.from({ length: 4 }, () => ({ description: sentence.repeat(90) }));
    const rendered = render({ embeds });
    const total = rendered.embeds.reduce((sum, e) => sum + (e.description?.length ?? 0), 0);
    expect(total).toBeLessThanOrEqual(6000);
    expect(rendered.embeds).toHaveLength(4);
  });

  it('keeps at most 25 fields and 10 embeds', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: 'v' }));
    const rendered = render({ embeds: Array.from({ length: 12 }, () => ({ fields })) });
    expect(rendered.embeds).toHaveLength(10);
    expect(rendered.embeds[0]?.fields).toHaveLength(25);
  });

  it('closes bold text that a cut leaves open', () => {
    const rendered = render({ content: `**${sentence.repeat(60)}**` });
    expect(rendered.content?.match(/\*\*/gu)?.length).toBe(2);
  });

  it('never lets a reply mention anyone', () => {
    expect(render({ content: '@everyone <@123> <@&456>' }).allowedMentions).toEqual({ parse: [] });
  });

  it('pings only the roles a reply names, and only real role ids', () => {
    const rendered = render({
      content: '<@&123456789012345678> session 2',
      pingRoles: ['123456789012345678', '@everyone'],
    });
    expect(rendered.allowedMentions).toEqual({ parse: [], roles: ['123456789012345678'] });
  });

  it('marks ephemeral replies and refuses them for channel posts', () => {
    const reply: Reply = { content: 'x', ephemeral: true };
    expect(render(reply).flags).toBe(64);
    expect(() => renderChannelMessage(reply)).toThrow(RenderError);
    expect(renderChannelMessage({ content: 'x' })).not.toHaveProperty('flags');
  });

  it('cuts button labels and keeps custom ids', () => {
    const rendered = render({ content: 'x', components: [[button('a:b:c', 'L'.repeat(90))]] });
    const row = rendered.components[0]?.components[0] as { label: string; custom_id: string };
    expect(row.label.length).toBeLessThanOrEqual(80);
    expect(row.custom_id).toBe('a:b:c');
  });

  it.each([
    ['a custom id over 100 characters', { content: 'x', components: [[button('x'.repeat(101))]] }],
    [
      'six buttons in a row',
      { content: 'x', components: [Array.from({ length: 6 }, (_, i) => button(`b${i}`))] },
    ],
    ['six rows', { content: 'x', components: Array.from({ length: 6 }, (_, i) => [button(`r${i}`)]) }],
    ['the same custom id twice', { content: 'x', components: [[button('same'), button('same')]] }],
    ['an empty message', {}],
    [
      'a poll with eleven answers',
      { poll: { question: 'q', answers: Array.from({ length: 11 }, (_, i) => `${i}`), durationHours: 1 } },
    ],
  ])('refuses %s as a programming error', (_name, reply) => {
    expect(() => render(reply as Reply)).toThrow(RenderError);
  });

  it('fits polls: question 300, answers 55, duration 1–768 hours', () => {
    const rendered = render({
      poll: { question: sentence.repeat(10), answers: [sentence.repeat(2), 'Unsure'], durationHours: 1000 },
    });
    expect(rendered.poll?.question.text.length).toBeLessThanOrEqual(300);
    expect(rendered.poll?.answers[0]?.text.length).toBeLessThanOrEqual(55);
    expect(rendered.poll?.duration).toBe(768);
    expect(render({ poll: { question: 'q', answers: ['a'], durationHours: 0 } }).poll?.duration).toBe(1);
  });

  it('fits thread names and autocomplete choices', () => {
    expect(renderThreadName(`Crux: ${sentence.repeat(5)}`).length).toBeLessThanOrEqual(100);
    const choices = renderChoices([
      ...Array.from({ length: 30 }, (_, i) => ({ name: sentence.repeat(4), value: `v${i}` })),
    ]);
    expect(choices).toHaveLength(25);
    expect(choices.every((c) => c.name.length <= 100)).toBe(true);
    expect(renderChoices([{ name: 'too long', value: 'v'.repeat(101) }])).toEqual([]);
  });
});
