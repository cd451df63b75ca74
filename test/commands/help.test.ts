import { SlashCommandBuilder } from '@discordjs/builders';
import { describe, expect, it } from 'vitest';
import help from '../../commands/help.js';
import { testContext } from '../helpers/context.js';

describe('/help', () => {
  it('lists every registered command with the description from its definition', async () => {
    const ctx = await testContext();
    const reply = await help.run({}, ctx);
    const commands = reply.embeds?.[0]?.fields?.find((f) => f.name === 'Commands')?.value ?? '';
    expect(ctx.commands.length).toBeGreaterThanOrEqual(3);
    for (const definition of ctx.commands)
      expect(commands).toContain(`\`/${definition.name}\` — ${definition.description}`);
    expect(reply.ephemeral).toBe(true);
  });

  it('lists subcommands one by one, so new commands document themselves', async () => {
    const withSubcommands = new SlashCommandBuilder()
      .setName('schedule')
      .setDescription('Manage the schedule')
      .addSubcommand((s) => s.setName('show').setDescription('See the upcoming sessions'))
      .toJSON();
    const ctx = await testContext({ commands: [withSubcommands] });
    const commands = (await help.run({}, ctx)).embeds?.[0]?.fields?.[0]?.value;
    expect(commands).toBe('`/schedule show` — See the upcoming sessions');
  });

  it('explains how a week works', async () => {
    const reply = await help.run({}, await testContext());
    expect(reply.embeds?.[0]?.fields?.find((f) => f.name === 'How a week works')?.value).toMatch(
      /^1\. The group reads one session/u,
    );
  });
});
