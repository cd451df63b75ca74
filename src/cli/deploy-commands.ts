import { REST } from 'discord.js';
import { commands } from '../../commands/index.js';
import { defineAll } from '../command.js';
import { loadConfig } from '../config.js';
import { loadValidCorpus } from '../core/corpus/read.js';
import { deployCommands, formatSummary } from '../discord/deploy.js';
import { exitWithError } from './fail.js';

/** `npm run deploy-commands`: register the slash commands and print what changed. */
try {
  const config = loadConfig();
  const corpus = await loadValidCorpus();
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const summary = await deployCommands({
    rest,
    clientId: config.clientId,
    guildId: config.devGuildId,
    definitions: defineAll(commands, corpus),
  });
  console.warn(formatSummary(summary));
} catch (error) {
  exitWithError(error);
}
