import type Keyv from 'keyv';
import { z } from 'zod';
import { type RecordChange, RecordStore } from './records.js';

const MembersSchema = z.array(z.string()).readonly();

/**
 * Members' "I've read it" check-ins, one list per server and session, apart from the server record so a
 * busy week's check-ins never contend with the schedule.
 */
export class CheckIns {
  readonly #lists: RecordStore<readonly string[]>;

  constructor(keyv: Keyv) {
    this.#lists = new RecordStore<readonly string[]>(keyv, {
      what: 'check-ins',
      parse: (stored) => (stored === undefined || stored === null ? [] : MembersSchema.parse(stored)),
    });
  }

  /** Checks a member in; `already` when they had checked in before. */
  add(
    guildId: string,
    session: number,
    userId: string,
  ): Promise<{ readonly already: boolean; readonly count: number }> {
    return this.#lists.change(
      this.#key(guildId, session),
      (members): RecordChange<readonly string[], { readonly already: boolean; readonly count: number }> =>
        members.includes(userId)
          ? { record: members, result: { already: true, count: members.length } }
          : { record: [...members, userId], result: { already: false, count: members.length + 1 } },
    );
  }

  /** Takes a member's check-in back; false when there was none. */
  remove(guildId: string, session: number, userId: string): Promise<boolean> {
    return this.#lists.change(this.#key(guildId, session), (members) =>
      members.includes(userId)
        ? { record: members.filter((id) => id !== userId), result: true }
        : { record: members, result: false },
    );
  }

  /** Who checked in for a session, in order. */
  async forSession(guildId: string, session: number): Promise<string[]> {
    return [...(await this.#lists.read(this.#key(guildId, session)))];
  }

  /** Who checked in, for each of sessions 1..`sessions`. */
  async forServer(guildId: string, sessions: number): Promise<Map<number, readonly string[]>> {
    const numbers = Array.from({ length: sessions }, (_, i) => i + 1);
    const lists = await this.#lists.readMany(numbers.map((n) => this.#key(guildId, n)));
    return new Map(numbers.map((n, i) => [n, lists[i] ?? []]));
  }

  /** The sessions (of 1..`sessions`) a member checked in for. */
  async forMember(guildId: string, userId: string, sessions: number): Promise<number[]> {
    const all = await this.forServer(guildId, sessions);
    return [...all].filter(([, members]) => members.includes(userId)).map(([session]) => session);
  }

  /** Forgets one member's check-ins in the server. */
  async forgetMember(guildId: string, userId: string, sessions: number): Promise<number> {
    let removed = 0;
    for (let session = 1; session <= sessions; session++)
      if (await this.remove(guildId, session, userId)) removed++;
    return removed;
  }

  /** Forgets every check-in of the server. */
  async forgetServer(guildId: string, sessions: number): Promise<void> {
    for (let session = 1; session <= sessions; session++)
      await this.#lists.delete(this.#key(guildId, session));
  }

  #key(guildId: string, session: number): string {
    if (!/^\d{1,25}$/u.test(guildId) || !Number.isInteger(session) || session < 1) {
      throw new RangeError(`bad check-in key: ${guildId}/${session}`);
    }
    return `${guildId}:${session}`;
  }
}
