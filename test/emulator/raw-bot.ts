import {
  type Emulator,
  type EmulatorOptions,
  type GuildHandle,
  type Member,
  startEmulator,
} from '../../src/emulator/index.js';
import { RawGateway, rest } from './raw.js';

/** An interaction as the hand-written bot receives it. */
export interface RawInteraction {
  readonly id: string;
  readonly token: string;
  readonly type: number;
  readonly data: Record<string, unknown>;
}

/**
 * A bot written by hand against the raw gateway and REST, with one command (`/ping`, with a `times` number,
 * a `tone` choice and an autocompleted `topic`), so the emulator's rules are tested without discord.js.
 */
export interface RawBot {
  readonly discord: Emulator;
  readonly gateway: RawGateway;
  readonly guild: GuildHandle;
  readonly ada: Member;
  /** The next interaction the bot receives. */
  nextInteraction(): Promise<RawInteraction>;
  /** Answers an interaction (POST /interactions/{id}/{token}/callback). */
  callback(interaction: RawInteraction, body: unknown): Promise<{ status: number; body: unknown }>;
  /** A request on the interaction's webhook (`/webhooks/{app}/{token}…`). */
  webhook(
    interaction: RawInteraction,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function rawBot(options: EmulatorOptions = {}): Promise<RawBot> {
  const discord = await startEmulator(options);
  const guild = discord.addGuild();
  const ada = guild.addMember('ada');
  await rest(discord, 'PUT', `/applications/${discord.applicationId}/commands`, [
    {
      name: 'ping',
      description: 'Ping',
      options: [
        { type: 4, name: 'times', description: 'How many', min_value: 1, max_value: 3 },
        {
          type: 3,
          name: 'tone',
          description: 'Tone',
          required: true,
          choices: [{ name: 'Warm', value: 'warm' }],
        },
        { type: 3, name: 'topic', description: 'Topic', autocomplete: true },
      ],
    },
  ]);
  const gateway = await RawGateway.connect(discord);
  gateway.identify(discord, 1);
  await gateway.next((p) => p.t === 'READY');
  return {
    discord,
    gateway,
    guild,
    ada,
    async nextInteraction() {
      const seen = gateway.dispatched('INTERACTION_CREATE').length;
      const event = await gateway.next(
        (p) => p.t === 'INTERACTION_CREATE' && gateway.dispatched('INTERACTION_CREATE').indexOf(p) >= seen,
      );
      return event.d as unknown as RawInteraction;
    },
    callback: (interaction, body) =>
      rest(discord, 'POST', `/interactions/${interaction.id}/${interaction.token}/callback`, body, {
        auth: false,
      }),
    webhook: (interaction, method, path, body) =>
      rest(discord, method, `/webhooks/${discord.applicationId}/${interaction.token}${path}`, body, {
        auth: false,
      }),
    async close() {
      gateway.close();
      await discord.close();
    },
  };
}
