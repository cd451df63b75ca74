import AsyncLock from 'async-lock';
import type Keyv from 'keyv';
import { withTimeout } from './timeout.js';

/**
 * Members' "I've read it" check-ins, one list per server and session, apart from the server record so a
 * busy week's check-ins never contend with the schedule for its lock.
 */
const TIMEOUT_MS = 5000;

export class CheckIns {
  readonly #keyv: Keyv;
  readonly #lock = new AsyncLock({ maxPending: 100_000 });

  constructor(keyv: Keyv) {
    this.#keyv = keyv;
  }

  /** Checks a member in; `already` when they had checked in before. */
  async add(
    guildId: string,
    session: number,
    userId: string,
  ): Promise<{ readonly already: boolean; readonly count: number }> {
    const key = this.#key(guildId, session);
    return this.#lock.acquire(key, async () => {
      const members = await this.#read(key);
      if (members.includes(userId)) return { already: true, count: members.length };
      await withTimeout(this.#keyv.set(key, [...members, userId]), TIMEOUT_MS, 'writing check-ins');
      return { already: false, count: members.length + 1 };
    });
  }

  /** Takes a member's check-in back; false when there was none. */
  async remove(guildId: string, session: number, userId: string): Promise<boolean> {
    const key = this.#key(guildId, session);
    return this.#lock.acquire(key, async () => {
      const members = await this.#read(key);
      if (!members.includes(userId)) return false;
      await withTimeout(
        this.#keyv.set(
          key,
          members.filter((id) => id !== userId),
        ),
        TIMEOUT_MS,
        'writing check-ins',
      );
      return true;
    });
  }

  /** Who checked in for a session, in order. */
  forSession(guildId: string, session: number): Promise<string[]> {
    return this.#read(this.#key(guildId, session));
  }

  /** The sessions (of 1..`sessions`) a member checked in for. */
  async forMember(guildId: string, userId: string, sessions: number): Promise<number[]> {
    const checked: number[] = [];
    for (let session = 1; session <= sessions; session++) {
      if ((await this.forSession(guildId, session)).includes(userId)) checked.push(session);
    }
    return checked;
  }

  #key(guildId: string, session: number): string {
    if (!/^\d{1,25}$/u.test(guildId) || !Number.isInteger(session) || session < 1) {
      throw new RangeError(`bad check-in key: ${guildId}/${session}`);
    }
    return `${guildId}:${session}`;
  }

  async #read(key: string): Promise<string[]> {
    return (
      ((await withTimeout(this.#keyv.get(key), TIMEOUT_MS, 'reading check-ins')) as string[] | undefined) ??
      []
    );
  }
}
