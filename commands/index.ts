import type { CommandModule } from '../src/command.js';
import crux from './crux.js';
import excerpt from './excerpt.js';
import help from './help.js';
import progress from './progress.js';
import schedule from './schedule.js';

/** Every command the bot registers, listed explicitly so nothing is picked up by accident. */
export const commands: readonly CommandModule[] = [excerpt, crux, schedule, progress, help];
