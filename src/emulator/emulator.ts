import { randomBytes } from 'node:crypto';
import type { APIApplicationCommand } from 'discord-api-types/v10';
import { Faults } from './faults.js';
import { Gateway } from './gateway.js';
import { HttpApi, type LoggedRequest } from './http.js';
import { InteractionRegistry } from './interactions.js';
import { LIMITS } from './limits.js';
import { GuildHandle, type MemberDeps } from './members.js';
import { World } from './model.js';
import type { RateLimitSettings, RateLimits } from './ratelimits.js';
import { registerAppRoutes } from './routes/app.js';
import { registerChannelRoutes } from './routes/channels.js';
import type { EmulatorContext, Violation } from './routes/context.js';
import { registerInteractionRoutes } from './routes/interactions.js';

/** How the emulator behaves; the defaults are Discord's. */
export interface EmulatorOptions {
  readonly botName?: string;
  /** Time to acknowledge an interaction before it fails (Discord: 3 s). */
  readonly ackDeadlineMs?: number;
  /** How long a member waits for the final answer after an acknowledgement. */
  readonly responseTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /**
   * How much later than sent every gateway dispatch reaches the bot, in real milliseconds, order kept
   * (default 0). An interaction's 3-second window starts when it is sent, so this delay counts against it.
   */
  readonly gatewayLatencyMs?: number;
  /** `max_concurrency` that GET /gateway/bot reports (Discord: 1 below large-bot sharding). */
  readonly maxConcurrency?: number;
  /** The emulator's clock (token expiry, timestamps, ids); real time by default. */
  readonly now?: () => number;
  /**
   * Discord's REST rate limits (ratelimits.ts): per-route buckets, the global 50 requests a second and the
   * invalid request limit, in real time. On by default; `false` turns them off, settings replace the numbers.
   */
  readonly rateLimits?: boolean | RateLimitSettings;
  /** Delay before every REST request is handled, as a network's latency (default 0). */
  readonly restLatencyMs?: number;
  /**
   * The largest file accepted, in bytes, and what interactions report as `attachment_size_limit`. Discord's
   * is 10 MiB without boosts (the default); lower it to test a client's handling without 10 MiB uploads.
   */
  readonly fileSizeLimitBytes?: number;
}

/** A running local Discord. */
export class Emulator {
  readonly token: string;
  readonly faults = new Faults();
  readonly violations: Violation[] = [];
  readonly #world: World;
  readonly #http: HttpApi;
  readonly #gateway: Gateway;
  readonly #deps: MemberDeps;
  #port = 0;

  constructor(options: EmulatorOptions = {}) {
    this.#world = new World({ now: options.now ?? Date.now, botName: options.botName ?? 'Crux' });
    this.token = `${Buffer.from(this.#world.applicationId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
    this.#gateway = new Gateway(this.#world, {
      token: this.token,
      heartbeatInterval: options.heartbeatIntervalMs ?? 41_250,
      latencyMs: options.gatewayLatencyMs ?? 0,
      maxConcurrency: options.maxConcurrency ?? 1,
    });
    this.#http = new HttpApi({
      token: this.token,
      faults: this.faults,
      rateLimits: options.rateLimits,
      latencyMs: options.restLatencyMs,
    });
    const context: EmulatorContext = {
      world: this.#world,
      gateway: this.#gateway,
      interactions: new InteractionRegistry(),
      violations: this.violations,
      ackDeadlineMs: options.ackDeadlineMs ?? 3000,
      fileSizeLimitBytes: options.fileSizeLimitBytes ?? LIMITS.fileBytes,
      commands: new Map(),
    };
    registerAppRoutes(this.#http, context);
    registerInteractionRoutes(this.#http, context);
    registerChannelRoutes(this.#http, context);
    this.#http.onUpgrade = (request, socket, head) => {
      if (request.url?.startsWith('/gateway')) this.#gateway.upgrade(request, socket, head);
      else socket.destroy();
    };
    this.#deps = {
      world: this.#world,
      gateway: this.#gateway,
      interactions: context.interactions,
      commands: context.commands,
      ackDeadlineMs: context.ackDeadlineMs,
      fileSizeLimitBytes: context.fileSizeLimitBytes,
      responseTimeoutMs: options.responseTimeoutMs ?? 10_000,
    };
  }

  async listen(): Promise<void> {
    this.#port = await this.#http.listen();
    this.#gateway.url = `ws://127.0.0.1:${this.#port}/gateway`;
  }

  /** What the bot's `rest.api` (DISCORD_API_URL) must be. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get applicationId(): string {
    return this.#world.applicationId;
  }

  /** How long the bot took to acknowledge each interaction it acknowledged, in real milliseconds. */
  acknowledgementTimes(): number[] {
    return this.#deps.interactions.acknowledgementTimes();
  }

  /** Resolves once every REST request received so far has been handled, even if its client has gone. */
  idle(): Promise<void> {
    return this.#http.idle();
  }

  /** The rate limiter: the 429s it served (`served`, `routeLimited`, `globalLimited`), invalid requests. */
  get rateLimits(): RateLimits {
    return this.#http.rateLimits;
  }

  /** Every REST request answered, in order. */
  get requests(): readonly LoggedRequest[] {
    return this.#http.log;
  }

  /** Gateway counters: how many times a bot identified (started) and resumed. */
  get gateway(): { readonly identifies: number; readonly resumes: number; readonly connected: boolean } {
    return this.#gateway;
  }

  /** Adds a server with the given text channels (default: one called "reading") and its owner. */
  addGuild(spec: { name?: string; channels?: readonly string[] } = {}): GuildHandle {
    const owner = this.#world.createUser(`${spec.name ?? 'Reading Group'} owner`);
    const guild = this.#world.createGuild(spec.name ?? 'Reading Group', owner);
    for (const name of spec.channels ?? ['reading']) this.#world.createChannel(guild, name);
    this.#gateway.dispatch('GUILD_CREATE', this.#world.guildCreatePayload(guild));
    return new GuildHandle(this.#deps, guild);
  }

  /** A channel's or thread's name, for showing mentions. */
  channelName(id: string): string | undefined {
    return this.#world.channels.get(id)?.data.name;
  }

  /** A user's name, for showing mentions. */
  userName(id: string): string | undefined {
    return this.#world.users.get(id)?.username;
  }

  /** Commands registered globally, or for one server. */
  /** The bytes of a file the bot attached to a message, as a member would download it. */
  file(attachment: { readonly id: string }): Uint8Array {
    const data = this.#world.files.get(attachment.id);
    if (!data) throw new Error(`no file ${attachment.id}`);
    return data;
  }

  commands(guildId?: string): readonly APIApplicationCommand[] {
    return this.#deps.commands.get(guildId ?? '') ?? [];
  }

  /** Resolves when a bot next identifies and has been sent READY and its servers. */
  nextReady(): Promise<void> {
    return this.#gateway.nextReady();
  }

  /** Runs `change` without sending its events, as if the bot missed them (an outage, a lost event). */
  withoutEvents(change: () => void): void {
    this.#gateway.muted = true;
    try {
      change();
    } finally {
      this.#gateway.muted = false;
    }
  }

  /** Cuts every gateway connection as a network failure would; the bot should resume. */
  dropGateway(): void {
    this.#gateway.drop();
  }

  async close(): Promise<void> {
    await this.#gateway.close();
    await this.#http.close();
  }
}

/** Starts a local Discord on 127.0.0.1 with an ephemeral port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new Emulator(options);
  await emulator.listen();
  return emulator;
}
