import { type PollRecord, withoutMember } from '../core/polls/model.js';
import { CheckIns } from './checkins.js';
import { type GuildRecord, GuildStore } from './guilds.js';
import type { Locks } from './locks.js';
import { PollStore } from './polls.js';
import { StoreFactory } from './stores.js';
import type { WakeUpIndex } from './wakeups.js';

export { CheckIns } from './checkins.js';
export type { Change, GuildRecord, RotationList } from './guilds.js';
export { GuildStore } from './guilds.js';
export type { Locks } from './locks.js';
export type { PollRef } from './polls.js';
export { PollStore } from './polls.js';
export { SUPPORTED_STORE_SCHEMES, storeUrlProblem } from './stores.js';
export { StorageError, StorageTimeoutError } from './timeout.js';
export { StoredRecordError } from './versioned.js';
export type { WakeUp, WakeUpIndex } from './wakeups.js';
export { WakeUps } from './wakeups.js';

/** Every store the bot uses, opened from one `KEYV_URL`. */
export interface State {
  readonly guilds: GuildStore;
  readonly wakeUps: WakeUpIndex;
  /** Leases every process on this store sees (this process's own on SQLite and memory). */
  readonly locks: Locks;
  /** Whether several processes may share this store (Redis, PostgreSQL). */
  readonly shared: boolean;
  readonly checkIns: CheckIns;
  readonly polls: PollStore;
  /** Reads once from the store, so an unreachable KEYV_URL is reported at start instead of on first use. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** Every poll of a server, with its answers, oldest first. */
export async function serverPolls(
  state: Pick<State, 'guilds' | 'polls'>,
  guildId: string,
): Promise<PollRecord[]> {
  const { polls } = await state.guilds.read(guildId);
  return state.polls.getMany(
    guildId,
    polls.map((p) => p.id),
  );
}

/** What deleting a member's data removed. */
export interface Forgotten {
  readonly answers: number;
  readonly checkIns: number;
  /** Open polls whose totals changed, to refresh. */
  readonly openPolls: readonly string[];
  /** Open native polls where Discord itself still shows the member's vote. */
  readonly nativeStillShown: number;
}

/** Deletes one member's poll answers and check-ins in a server (of its `sessions` sessions). */
export async function forgetMember(
  state: Pick<State, 'guilds' | 'polls' | 'checkIns'>,
  guildId: string,
  userId: string,
  sessions: number,
): Promise<Forgotten> {
  const { polls } = await state.guilds.read(guildId);
  let answers = 0;
  let nativeStillShown = 0;
  const openPolls: string[] = [];
  for (const summary of polls) {
    const removed = await state.polls.change(guildId, summary.id, (poll) => {
      const next = withoutMember(poll, userId);
      return { record: next, result: next === poll ? undefined : poll };
    });
    if (!removed) continue;
    answers++;
    if (removed.status === 'open') {
      openPolls.push(removed.id);
      if (removed.style === 'native') nativeStillShown++;
    }
  }
  const checkIns = await state.checkIns.forgetMember(guildId, userId, sessions);
  return { answers, checkIns, openPolls, nativeStillShown };
}

/** The state store cannot be used at start: unreachable, refusing, or holding data from a newer Crux. */
export class StateUnavailableError extends Error {
  override name = 'StateUnavailableError';
}

/** How the bot's state is opened. */
export interface StateOptions {
  /**
   * When the scheduler should next look at a server with this record. Given, every change to a server's
   * schedule, polls or presence adds that wake-up to the index before the record is written, so no caller
   * can forget it.
   */
  readonly wakeAt?: (record: GuildRecord) => Date | undefined;
}

/** Opens the bot's state. Storage errors are reported to `onError` and thrown to the caller. */
export async function openState(
  url: string,
  onError: (error: unknown) => void,
  options: StateOptions = {},
): Promise<State> {
  const stores = await StoreFactory.connect(url, onError);
  const wakeUps = stores.wakeUps();
  const { wakeAt } = options;
  const guilds = new GuildStore(stores.open('guilds'), {
    ...(wakeAt
      ? {
          onTimingChange: async (guildId, record) => {
            const at = wakeAt(record);
            if (at) await wakeUps.add(guildId, at);
          },
        }
      : {}),
  });
  return {
    guilds,
    wakeUps,
    locks: stores.locks(),
    shared: stores.shared,
    checkIns: new CheckIns(stores.open('checkins')),
    polls: new PollStore({ polls: stores.open('polls'), messages: stores.open('poll-messages') }),
    async check() {
      try {
        await stores.check();
        await guilds.read('0');
        await stores.moveLegacyWakeUps(wakeUps);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const advice = url.startsWith('sqlite:')
          ? 'Check that the file and its folder are writable by this user (with its -wal and -shm files, if any) and that the disk has room.'
          : 'Check that it is running and reachable, or leave KEYV_URL empty for the embedded SQLite file.';
        throw new StateUnavailableError(
          `Crux cannot use its state store (KEYV_URL ${redact(url)}): ${reason}. ${advice}`,
        );
      }
    },
    close: () => stores.close(),
  };
}

/** A store URL without its password, for messages and logs. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/u, '//$1:***@');
}
