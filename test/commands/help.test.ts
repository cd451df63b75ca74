import { SlashCommandBuilder } from '@discordjs/builders';
import { describe, expect, it } from 'vitest';
import help from '../../commands/help.js';
import { testContext } from '../helpers/context.js';
import { run } from '../helpers/replies.js';

describe('/help', () => {
  it('lists every registered command with the description from its definition', async () => {
    const ctx = await testContext();
    const reply = await run(help, {}, ctx);
    const commands = (reply.embeds?.[0]?.fields ?? []).map((f) => f.value).join('\n');
    expect(ctx.commands.length).toBeGreaterThanOrEqual(3);
    for (const definition of ctx.commands) {
      const subcommands = (definition.options ?? []).filter((o) => o.type === 1);
      if (subcommands.length === 0)
        expect(commands).toContain(`\`/${definition.name}\` — ${definition.description}`);
      for (const sub of subcommands)
        expect(commands).toContain(`\`/${definition.name} ${sub.name}\` — ${sub.description}`);
    }
    expect(reply.ephemeral).toBe(true);
  });

  it('lists subcommands one by one, so new commands document themselves', async () => {
    const withSubcommands = new SlashCommandBuilder()
      .setName('schedule')
      .setDescription('Manage the schedule')
      .addSubcommand((s) => s.setName('show').setDescription('See the upcoming sessions'))
      .toJSON();
    const ctx = await testContext({ commands: [withSubcommands] });
    const [field] = (await run(help, {}, ctx)).embeds?.[0]?.fields ?? [];
    expect(field).toEqual({ name: '/schedule', value: '`/schedule show` — See the upcoming sessions' });
  });

  it('explains how a week works', async () => {
    const reply = await run(help, {}, await testContext());
    expect(reply.embeds?.[0]?.fields?.find((f) => f.name === 'How a week works')?.value).toMatch(
      /^1\. The group reads one session/u,
    );
  });
});
