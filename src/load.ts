/**
 * How many interactions the bot is answering right now. Members' clicks and commands must be answered
 * within Discord's 3 seconds; scheduled work (a burst of weekly posts) can wait. So dispatch counts what it
 * has in hand, acknowledges at once when a queue forms, and the scheduler holds back while it is busy.
 */
export class InteractionLoad {
  /** From this many interactions in hand, answers are acknowledged at once and scheduled work waits. */
  static readonly BUSY_AT = 4;
  #inFlight = 0;
  #calm: (() => void)[] = [];

  /** Counts an interaction in; the returned function counts it out. */
  begin(): () => void {
    this.#inFlight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#inFlight--;
      if (!this.busy) for (const resolve of this.#calm.splice(0)) resolve();
    };
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get busy(): boolean {
    return this.#inFlight >= InteractionLoad.BUSY_AT;
  }

  /** Resolves once the bot is not busy answering members, or after `maxWaitMs` at the latest. */
  async calm(maxWaitMs: number): Promise<void> {
    if (!this.busy) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      timer.unref();
      this.#calm.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
