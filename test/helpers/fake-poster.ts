import type { Reply } from '../../src/core/reply.js';
import { PostError, type Posted, type Poster } from '../../src/jobs/poster.js';

type Method =
  | 'post'
  | 'edit'
  | 'openThread'
  | 'findPosted'
  | 'notifyFacilitators'
  | 'endPoll'
  | 'pollVoters'
  | 'presence';

/** A failure to inject: thrown instead of doing the call, or (`landed`) after doing it, like a lost answer. */
interface Failure {
  readonly error: unknown;
  readonly landed?: boolean;
}

/**
 * A channel-keeping stand-in for Discord behind the scheduler's own `Poster` interface (not a mock of
 * discord.js): it keeps what was posted, finds posts the way the real one does, and fails on demand.
 */
export class FakePoster implements Poster {
  readonly posts: {
    readonly channelId: string;
    readonly reply: Reply;
    readonly id: string;
    readonly at: number;
  }[] = [];
  readonly threads: { readonly messageId: string; readonly name: string }[] = [];
  readonly told: Reply[] = [];
  /** Ids of messages edited, in order. */
  readonly edits: string[] = [];
  present = true;
  readonly #failures = new Map<Method, Failure[]>();
  readonly #clock: () => Date;
  #nextId = 1000;

  constructor(clock: () => Date) {
    this.#clock = clock;
  }

  /** The next `times` calls of `method` fail with `error`. */
  fail(
    method: Method,
    error: unknown,
    options: { readonly times?: number; readonly landed?: boolean } = {},
  ): void {
    const queue = this.#failures.get(method) ?? [];
    for (let i = 0; i < (options.times ?? 1); i++) queue.push({ error, landed: options.landed ?? false });
    this.#failures.set(method, queue);
  }

  /**
   * Holds the next post in flight, as a request a crashed process sent and Discord has not yet carried
   * out: it lands (appears among `posts`) only when `land` is called, and its caller never hears back.
   */
  holdNextPost(): { readonly sent: Promise<void>; land(): void } {
    let land: () => void = () => undefined;
    let sent: () => void = () => undefined;
    this.#held = {
      landed: new Promise<void>((resolve) => {
        land = resolve;
      }),
      sent: () => sent(),
    };
    return {
      sent: new Promise<void>((resolve) => {
        sent = resolve;
      }),
      land: () => land(),
    };
  }
  #held: { readonly landed: Promise<void>; readonly sent: () => void } | undefined;

  /** Posts whose text or embeds include `text`. */
  postsWith(text: string): Reply[] {
    return this.posts.map((p) => p.reply).filter((r) => JSON.stringify([r.content, r.embeds]).includes(text));
  }

  async post(channelId: string, reply: Reply): Promise<Posted> {
    const held = this.#held;
    if (held) {
      this.#held = undefined;
      held.sent();
      void held.landed.then(() =>
        this.posts.push({ channelId, reply, id: String(this.#nextId++), at: this.#clock().getTime() }),
      );
      return new Promise<Posted>(() => undefined);
    }
    const failure = this.#take('post');
    if (failure && !failure.landed) throw failure.error;
    const id = String(this.#nextId++);
    this.posts.push({ channelId, reply, id, at: this.#clock().getTime() });
    if (failure) throw failure.error;
    return posted(id, reply);
  }

  async edit(channelId: string, messageId: string, reply: Reply): Promise<void> {
    const failure = this.#take('edit');
    if (failure) throw failure.error;
    const index = this.posts.findIndex((p) => p.id === messageId && p.channelId === channelId);
    if (index < 0) throw new PostError('message-missing', 'Unknown Message');
    const post = this.posts[index];
    if (post) this.posts[index] = { ...post, reply };
    this.edits.push(messageId);
  }

  async endPoll(): Promise<void> {
    const failure = this.#take('endPoll');
    if (failure) throw failure.error;
  }

  /** Voters of native polls, as Discord would list them: by message, then answer id. */
  readonly voters = new Map<string, Map<number, string[]>>();

  async pollVoters(_channelId: string, messageId: string, answerId: number): Promise<string[]> {
    const failure = this.#take('pollVoters');
    if (failure) throw failure.error;
    return this.voters.get(messageId)?.get(answerId) ?? [];
  }

  async openThread(_channelId: string, messageId: string, name: string): Promise<string> {
    const failure = this.#take('openThread');
    if (failure) throw failure.error;
    this.threads.push({ messageId, name });
    return messageId;
  }

  async findPosted(channelId: string, marker: string, after: Date): Promise<Posted | undefined> {
    const failure = this.#take('findPosted');
    if (failure) throw failure.error;
    const found = this.posts.find(
      (p) =>
        p.channelId === channelId &&
        p.at >= after.getTime() &&
        ((p.reply.content ?? '').includes(marker) ||
          (p.reply.components ?? []).some((row) => row.some((c) => c.customId === marker))),
    );
    return found ? posted(found.id, found.reply) : undefined;
  }

  async presence(): Promise<'present' | 'absent'> {
    const failure = this.#take('presence');
    if (failure) throw failure.error;
    return this.present ? 'present' : 'absent';
  }

  async notifyFacilitators(_guildId: string, reply: Reply): Promise<boolean> {
    const failure = this.#take('notifyFacilitators');
    if (failure) throw failure.error;
    this.told.push(reply);
    return true;
  }

  #take(method: Method): Failure | undefined {
    return this.#failures.get(method)?.shift();
  }
}

/** What Discord makes of a post here: native poll answers numbered 1, 2, 3… as Discord does today. */
function posted(id: string, reply: Reply): Posted {
  return { id, pollAnswerIds: (reply.poll?.answers ?? []).map((_, index) => index + 1) };
}
