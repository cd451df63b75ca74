import type { CommandModule } from '../src/command.js';
import crux from './crux.js';
import data from './data.js';
import excerpt from './excerpt.js';
import exportCommand from './export.js';
import help from './help.js';
import map from './map.js';
import poll from './poll.js';
import positions from './positions.js';
import progress from './progress.js';
import read from './read.js';
import schedule from './schedule.js';

/** Every command the bot registers, listed explicitly so nothing is picked up by accident. */
export const commands: readonly CommandModule[] = [
  read,
  excerpt,
  crux,
  poll,
  positions,
  map,
  schedule,
  progress,
  exportCommand,
  data,
  help,
];
