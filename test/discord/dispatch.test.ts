import { ApplicationCommandOptionType, type CommandInteractionOption } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { flattenOptions } from '../../src/discord/dispatch.js';

describe('flattenOptions', () => {
  it('turns nested subcommand options into one plain object', () => {
    const options = [
      {
        name: 'admin',
        type: ApplicationCommandOptionType.SubcommandGroup,
        options: [
          {
            name: 'move',
            type: ApplicationCommandOptionType.Subcommand,
            options: [
              { name: 'session', type: ApplicationCommandOptionType.Integer, value: 3 },
              { name: 'channel', type: ApplicationCommandOptionType.Channel, value: '555' },
            ],
          },
        ],
      },
    ] as CommandInteractionOption[];
    expect(flattenOptions(options)).toEqual({
      group: 'admin',
      subcommand: 'move',
      session: 3,
      channel: '555',
    });
  });

  it('keeps top-level values as they are', () => {
    const options = [
      { name: 'topic', type: ApplicationCommandOptionType.String, value: 'rlvr' },
      { name: 'private', type: ApplicationCommandOptionType.Boolean, value: true },
    ] as CommandInteractionOption[];
    expect(flattenOptions(options)).toEqual({ topic: 'rlvr', private: true });
  });
});
