import { randomBytes } from 'node:crypto';
import type {
  APIApplicationCommandAutocompleteResponse,
  APIModalInteractionResponseCallbackData,
} from 'discord-api-types/v10';

/** What a member ends up seeing after an interaction. */
export type InteractionOutcome =
  | {
      readonly kind: 'message';
      readonly channelId: string;
      readonly messageId: string;
      /** reply: a new message; update: the component's message changed; followup: sent after a defer. */
      readonly via: 'reply' | 'update' | 'followup';
    }
  | {
      readonly kind: 'choices';
      readonly choices: APIApplicationCommandAutocompleteResponse['data']['choices'];
    }
  | { readonly kind: 'modal'; readonly modal: APIModalInteractionResponseCallbackData }
  | { readonly kind: 'failed'; readonly reason: string };

/** Discord's message when nothing acknowledged an interaction in time. */
export const DID_NOT_RESPOND = 'The application did not respond';

/** An interaction the emulator sent and is waiting on. */
export class PendingInteraction {
  readonly token = randomBytes(32).toString('base64url');
  /** The callback type that acknowledged it (4 reply, 5 defer, 6 defer update, 7 update, 8 choices, 9 modal). */
  ack: number | undefined;
  /** The message `@original` refers to once acknowledged. */
  originalMessageId: string | undefined;
  /** True once the acknowledgement deadline passed without one. */
  expired = false;
  /** Real milliseconds from sending the interaction to its acknowledgement, once acknowledged. */
  ackMs: number | undefined;
  readonly #sentAt = performance.now();
  readonly outcome: Promise<InteractionOutcome>;
  #settle!: (outcome: InteractionOutcome) => void;
  #settled = false;
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly id: string,
    readonly type: number,
    readonly channelId: string,
    readonly userId: string,
    readonly createdAt: number,
    ackDeadlineMs: number,
    readonly sourceMessageId?: string,
  ) {
    this.outcome = new Promise((resolve) => {
      this.#settle = resolve;
    });
    this.#timer = setTimeout(() => {
      if (this.ack !== undefined) return;
      this.expired = true;
      this.settle({ kind: 'failed', reason: DID_NOT_RESPOND });
    }, ackDeadlineMs);
    this.#timer.unref();
  }

  /** Records the callback that acknowledged it, and how long that took. */
  acknowledge(type: number): void {
    this.ack = type;
    this.ackMs ??= performance.now() - this.#sentAt;
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** Records what the member sees; only the first outcome counts, later ones are edits. */
  settle(outcome: InteractionOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#settle(outcome);
  }
}

/** Pending interactions by id and by token. Tokens stay valid for 15 minutes of emulator time. */
export class InteractionRegistry {
  readonly #byId = new Map<string, PendingInteraction>();
  readonly #byToken = new Map<string, PendingInteraction>();
  static readonly TOKEN_LIFETIME_MS = 15 * 60_000;

  add(interaction: PendingInteraction): void {
    this.#byId.set(interaction.id, interaction);
    this.#byToken.set(interaction.token, interaction);
  }

  /** How long each acknowledged interaction took to be acknowledged, in real milliseconds. */
  acknowledgementTimes(): number[] {
    return [...this.#byId.values()].flatMap((i) => (i.ackMs === undefined ? [] : [i.ackMs]));
  }

  byId(id: string): PendingInteraction | undefined {
    return this.#byId.get(id);
  }

  byToken(token: string): PendingInteraction | undefined {
    return this.#byToken.get(token);
  }
}
