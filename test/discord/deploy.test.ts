import { SlashCommandBuilder } from '@discordjs/builders';
import { describe, expect, it } from 'vitest';
import { diffCommands, formatSummary } from '../../src/discord/deploy.js';

const command = (description = 'Post an excerpt') =>
  new SlashCommandBuilder()
    .setName('excerpt')
    .setDescription(description)
    .addStringOption((o) => o.setName('text').setDescription('Only from this text').setAutocomplete(true))
    .toJSON();

/** What Discord returns for a registered command: ours plus the fields it adds and fills in. */
const asRegistered = (definition: ReturnType<typeof command>) => ({
  ...definition,
  id: '1',
  application_id: '2',
  version: '3',
  type: 1,
  default_member_permissions: null,
  nsfw: false,
  integration_types: [0],
  options: definition.options?.map((o) => ({ ...o, required: false })),
});

describe('diffCommands', () => {
  it('sees no change when Discord only added its own fields and defaults', () => {
    expect(diffCommands([asRegistered(command())], [command()])).toEqual({
      added: [],
      removed: [],
      changed: [],
      unchanged: ['excerpt'],
    });
  });

  it('reports added, changed and removed commands by name', () => {
    const help = new SlashCommandBuilder().setName('help').setDescription('Help').toJSON();
    const old = { ...asRegistered(command()), name: 'old' };
    expect(diffCommands([asRegistered(command()), old], [command('Post a passage'), help])).toEqual({
      added: ['help'],
      removed: ['old'],
      changed: ['excerpt'],
      unchanged: [],
    });
  });
});

describe('formatSummary', () => {
  it('says what changed, and where', () => {
    expect(
      formatSummary({
        scope: { guildId: '42' },
        added: ['help'],
        removed: [],
        changed: ['excerpt'],
        unchanged: ['crux'],
      }),
    ).toBe('Registered commands to server 42:\n  added: /help\n  changed: /excerpt\n  unchanged: /crux');
  });

  it('says when nothing needed registering', () => {
    expect(
      formatSummary({ scope: 'global', added: [], removed: [], changed: [], unchanged: ['a', 'b'] }),
    ).toMatch(/^Commands registered globally .* are already up to date \(2 unchanged\)\.$/u);
  });
});
