import type Keyv from 'keyv';
import type { Locks } from '../locks.js';
import type { WakeUpIndex } from '../wakeups.js';

/** Options every Keyv is opened with: storage errors throw (Keyv's default swallows them and loses writes). */
export interface KeyvOptions {
  readonly namespace: string;
  readonly throwOnErrors: true;
}

/**
 * One kind of store, as `KEYV_URL` names it. Each lives in a module of its own, loaded only when named, so a
 * bot on SQLite never loads the Redis or PostgreSQL clients.
 */
export interface Backend {
  /** Whether several processes may share it (Redis, PostgreSQL). */
  readonly shared: boolean;
  /** A Keyv for one namespace; on a shared store an `AtomicKeyv`, so record changes can compare-and-swap. */
  open(options: KeyvOptions): Keyv;
  /** Locks every process on this store sees (this process's own where only one process may use it). */
  locks(): Locks;
  /** The wake-up index; `open` gives it a Keyv where it is built on one. */
  wakeUps(open: (namespace: string) => Keyv): WakeUpIndex;
  /** Anything to check at start beyond reading and writing (SQLite: that this process alone holds the file). */
  check(): Promise<void>;
  /** Closes what the backend itself holds (pools, connections); the factory closes the Keyvs. */
  close(): Promise<void>;
}
