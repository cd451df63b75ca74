import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  Events,
  GatewayIntentBits,
  REST,
  Routes,
} from 'discord.js';
import { commands } from '../commands/index.js';
import { defineAll } from '../src/command.js';
import { loadValidCorpus } from '../src/core/corpus/read.js';

/**
 * The bare discord.js bot that `npm run bench:baseline` measures Crux against, as a process of its own (as
 * Crux runs in test/faults/bot-process.ts): one `Client` with the Guilds intent and nothing else, which
 * answers every slash command with "pong" and one button, every button with an update to "pong" (the same
 * button), and every autocomplete with one choice. No state, no corpus lookups, no dispatcher: what is left
 * is discord.js, the gateway and the interaction callback, the floor any bot on this emulator pays.
 *
 * It registers Crux's own command definitions (`defineAll`, as the dispatcher and deploy-commands build
 * them), so members run the same /excerpt and /crux with the same options against it.
 *
 * Environment: DISCORD_TOKEN, DISCORD_API_URL. Out over IPC: { type: 'ready' } once connected and its
 * commands registered. Anything that goes wrong is printed on stderr for the parent to report.
 */
const token = process.env.DISCORD_TOKEN ?? '';
const api = process.env.DISCORD_API_URL ?? '';
if (!token || !api) throw new Error('DISCORD_TOKEN and DISCORD_API_URL are required');

const BUTTON_ID = 'pong';
const row = () =>
  new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(BUTTON_ID).setLabel('pong').setStyle(ButtonStyle.Secondary),
  );

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api } });
const failed = (what: string) => (error: unknown) =>
  console.error(`bare bot: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);

client.on(Events.InteractionCreate, (interaction) => {
  if (interaction.isChatInputCommand()) {
    interaction.reply({ content: 'pong', components: [row()] }).catch(failed(`/${interaction.commandName}`));
  } else if (interaction.isButton()) {
    interaction.update({ content: 'pong', components: [row()] }).catch(failed('a button'));
  } else if (interaction.isAutocomplete()) {
    interaction.respond([{ name: 'pong', value: 'pong' }]).catch(failed('autocomplete'));
  }
});
client.on(Events.Error, failed('the client'));

// Built before connecting, as Crux builds its dispatcher before logging in; registered once connected.
const definitions = defineAll(commands, await loadValidCorpus());
const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
await client.login(token);
await ready;
const rest = new REST({ api }).setToken(token);
await rest.put(Routes.applicationCommands(client.application?.id ?? ''), { body: definitions });
process.send?.({ type: 'ready' });
