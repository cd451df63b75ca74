/**
 * A server's reading schedule: the model (model.ts), setting it up (setup.ts), facilitators' changes
 * (changes.ts) and what is due with how it is recorded (due.ts), all pure functions of plain data.
 */
export * from './changes.js';
export * from './due.js';
export * from './model.js';
export * from './setup.js';
