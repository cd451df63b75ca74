import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { startWorld } from '../test/e2e/harness.js';

/**
 * `npm run bench:profile [command] [N]`: a CPU profile of N round trips of one slash command (default 300
 * `/excerpt`), Crux and the emulator in this process, taken after 50 uncounted warm-up calls so start-up
 * and first-use compilation stay out of it. Writes `profile.cpuprofile` (open it in Chrome DevTools or VS
 * Code) and prints the mean round trip. Self time under `src/emulator` is the emulator's, not Crux's.
 */
const command = process.argv[2] ?? 'excerpt';
const rounds = Number(process.argv[3] ?? 300);
const world = await startWorld();
for (let i = 0; i < 50; i++) await world.bo.run(command);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const started = performance.now();
for (let i = 0; i < rounds; i++) await world.bo.run(command);
const meanMs = (performance.now() - started) / rounds;
const { profile } = await session.post('Profiler.stop');
writeFileSync('profile.cpuprofile', JSON.stringify(profile));
console.warn(`/${command}: ${meanMs.toFixed(2)} ms a round trip over ${rounds}; profile.cpuprofile written`);
await world.close();
process.exit(0);
