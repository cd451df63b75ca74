import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GatewayCloseCodes, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import { type WebSocket, WebSocketServer } from 'ws';
import type { EmulatedGuild, World } from './model.js';

/**
 * The gateway: HELLO, IDENTIFY → READY and one GUILD_CREATE per server, heartbeat ACKs, RESUME with replay
 * of missed events, dispatches filtered by the intents the bot identified with, and guild sharding, as
 * Discord does. Rules cite Discord's docs (discord-api-docs, developers/…).
 */

/** Which intent an event needs; events not listed (READY, INTERACTION_CREATE…) need none. */
const EVENT_INTENTS: Record<string, number> = {
  GUILD_CREATE: GatewayIntentBits.Guilds,
  GUILD_UPDATE: GatewayIntentBits.Guilds,
  GUILD_ROLE_CREATE: GatewayIntentBits.Guilds,
  GUILD_DELETE: GatewayIntentBits.Guilds,
  CHANNEL_CREATE: GatewayIntentBits.Guilds,
  CHANNEL_UPDATE: GatewayIntentBits.Guilds,
  CHANNEL_DELETE: GatewayIntentBits.Guilds,
  THREAD_CREATE: GatewayIntentBits.Guilds,
  THREAD_UPDATE: GatewayIntentBits.Guilds,
  THREAD_DELETE: GatewayIntentBits.Guilds,
  GUILD_MEMBER_ADD: GatewayIntentBits.GuildMembers,
  GUILD_MEMBER_UPDATE: GatewayIntentBits.GuildMembers,
  GUILD_MEMBER_REMOVE: GatewayIntentBits.GuildMembers,
  MESSAGE_CREATE: GatewayIntentBits.GuildMessages,
  MESSAGE_UPDATE: GatewayIntentBits.GuildMessages,
  MESSAGE_DELETE: GatewayIntentBits.GuildMessages,
  MESSAGE_POLL_VOTE_ADD: GatewayIntentBits.GuildMessagePolls,
  MESSAGE_POLL_VOTE_REMOVE: GatewayIntentBits.GuildMessagePolls,
};

/** Events kept per session for RESUME; Discord keeps a similar window. */
const REPLAY_WINDOW = 1000;

/** events/gateway.mdx "Sharding": "Each shard can only support a maximum of 2500 guilds". */
export const MAX_GUILDS_PER_SHARD = 2500;

/**
 * Guilds per shard behind the `shards` GET /gateway/bot recommends. The docs only call it the "Recommended
 * number of shards" (events/gateway.mdx "Get Gateway Bot"); one shard per 1,000 guilds is what Discord
 * answers in practice and what discord.js assumes (`fetchRecommendedShardCount`, `guildsPerShard = 1000`).
 */
export const GUILDS_PER_RECOMMENDED_SHARD = 1000;

/**
 * events/gateway.mdx "Identifying": "Clients are limited to 1000 IDENTIFY calls to the websocket in a 24-hour
 * period" — the `total` of the session start limit object ("Session Start Limit Object").
 */
export const SESSION_START_LIMIT = 1000;
const SESSION_START_WINDOW_MS = 24 * 60 * 60 * 1000;

/** events/gateway-events.mdx "Identify Structure": `large_threshold`, "Value between 50 and 250", default 50. */
const LARGE_THRESHOLD = { min: 50, max: 250, default: 50 } as const;

/**
 * The shard that receives a guild's events. events/gateway.mdx "Sharding Formula":
 * `shard_id = (guild_id >> 22) % num_shards`, in BigInt because a snowflake does not fit a double (discord.js
 * computes the same: `Number(BigInt(guildId) >> 22n) % shardCount`).
 */
export function shardOf(guildId: string, numShards: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(numShards));
}

/**
 * The guild an event is about: `id` for the GUILD_CREATE/UPDATE/DELETE guild objects, `guild_id` for the
 * rest; undefined for events outside a guild.
 */
function guildOf(event: string, data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as Record<string, unknown>;
  const id =
    event === 'GUILD_CREATE' || event === 'GUILD_UPDATE' || event === 'GUILD_DELETE'
      ? record.id
      : record.guild_id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * IDENTIFY's `shard`: absent (one connection for everything), a valid `[shard_id, num_shards]`, or invalid.
 * events/gateway.mdx "Sharding": "The first item in this array should be the zero-based integer value of the
 * current shard, while the second represents the total number of shards"; topics/opcodes-and-status-codes.mdx
 * "Gateway Close Event Codes": 4010 Invalid shard, "You sent us an invalid shard when identifying".
 */
function parseShard(value: unknown): readonly [number, number] | undefined | 'invalid' {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length !== 2) return 'invalid';
  const [id, count] = value as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return 'invalid';
  const shardId = id as number;
  const numShards = count as number;
  if (numShards < 1 || shardId < 0 || shardId >= numShards) return 'invalid';
  return [shardId, numShards];
}

interface Session {
  readonly id: string;
  readonly intents: number;
  /** `[shard_id, num_shards]` as sent in IDENTIFY; undefined when none was sent (the same as `[0, 1]`). */
  readonly shard: readonly [number, number] | undefined;
  readonly largeThreshold: number;
  sequence: number;
  readonly buffer: { s: number; payload: string }[];
  socket: WebSocket | undefined;
  /** What is on its way to the bot, delivered in order `latencyMs` after it was sent (`s` for dispatches). */
  readonly outbox: { due: number; s?: number; deliver: () => void }[];
  timer: NodeJS.Timeout | undefined;
}

export interface GatewayOptions {
  readonly token: string;
  readonly heartbeatInterval: number;
  /** How much later than sent every dispatch reaches the bot (real milliseconds, order kept). */
  readonly latencyMs?: number;
  /** `max_concurrency` in GET /gateway/bot (events/gateway.mdx "Session Start Limit Object"). */
  readonly maxConcurrency?: number;
}

export class Gateway {
  readonly #world: World;
  readonly #token: string;
  readonly #heartbeatInterval: number;
  readonly #latencyMs: number;
  readonly #maxConcurrency: number;
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  readonly #readyWaiters: Array<() => void> = [];
  /** Session starts in the current 24-hour window (emulator clock), for `session_start_limit`. */
  #starts = { windowStart: 0, count: 0 };
  #url = '';
  /** Count of IDENTIFYs answered with READY: a restart shows up as a new one, a resume does not. */
  identifies = 0;
  resumes = 0;

  constructor(world: World, options: GatewayOptions) {
    this.#world = world;
    this.#token = options.token;
    this.#heartbeatInterval = options.heartbeatInterval;
    this.#latencyMs = Math.max(0, options.latencyMs ?? 0);
    this.#maxConcurrency = options.maxConcurrency ?? 1;
    this.#server.on('connection', (socket) => this.#accept(socket));
  }

  /** The URL GET /gateway/bot hands out. */
  set url(url: string) {
    this.#url = url;
  }
  get url(): string {
    return this.#url;
  }

  /**
   * The body of GET /gateway/bot (events/gateway.mdx "Get Gateway Bot", "Session Start Limit Object").
   * `shards` is at least 1 and one per 1,000 servers the bot is in (see GUILDS_PER_RECOMMENDED_SHARD).
   * `remaining` counts down with every session started (READY) in a 24-hour window that opens at the first
   * one, and `reset_after` is the time left in that window (0 before any session).
   */
  botGateway(): {
    url: string;
    shards: number;
    session_start_limit: { total: number; remaining: number; reset_after: number; max_concurrency: number };
  } {
    const guilds = [...this.#world.guilds.values()].filter((g) => g.botPresent).length;
    const starts = this.#sessionStarts();
    return {
      url: this.#url,
      shards: Math.max(1, Math.ceil(guilds / GUILDS_PER_RECOMMENDED_SHARD)),
      session_start_limit: {
        total: SESSION_START_LIMIT,
        remaining: Math.max(0, SESSION_START_LIMIT - starts.count),
        reset_after:
          starts.count === 0 ? 0 : starts.windowStart + SESSION_START_WINDOW_MS - this.#world.now(),
        max_concurrency: this.#maxConcurrency,
      },
    };
  }

  /** Takes over an HTTP upgrade request for the gateway path. */
  upgrade(request: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    this.#server.handleUpgrade(request, socket, head, (ws) => this.#server.emit('connection', ws, request));
  }

  /** Resolves when the next IDENTIFY has been answered with READY and the servers, and they were delivered. */
  nextReady(): Promise<void> {
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  /** While set, events are not sent at all: what a bot sees when it misses them in an outage. */
  muted = false;

  /**
   * Sends an event to every session whose intents cover it and whose shard owns its guild (buffered for
   * sessions that are away).
   */
  dispatch(event: string, data: unknown): void {
    if (this.muted) return;
    const intent = EVENT_INTENTS[event];
    const guildId = guildOf(event, data);
    for (const session of this.#sessions.values()) {
      if (intent !== undefined && (session.intents & intent) === 0 && !this.#aboutTheBot(event, data))
        continue;
      if (!this.#owns(session, guildId)) continue;
      this.#send(session, event, event === 'GUILD_CREATE' ? this.#guildCreateFor(session, data) : data);
    }
  }

  /** Drops every connection without a close frame, as a network failure would; clients resume. */
  drop(): void {
    for (const session of this.#sessions.values()) {
      session.socket?.terminate();
      session.socket = undefined;
    }
  }

  /** True while some session has an open socket. */
  get connected(): boolean {
    return [...this.#sessions.values()].some((s) => s.socket !== undefined);
  }

  async close(): Promise<void> {
    for (const session of this.#sessions.values()) clearTimeout(session.timer);
    for (const client of this.#server.clients) client.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /**
   * events/gateway.mdx "Caveats": "Guild Member Update is sent for current-user updates regardless of whether
   * the GUILD_MEMBERS intent is set."
   */
  #aboutTheBot(event: string, data: unknown): boolean {
    if (event !== 'GUILD_MEMBER_UPDATE' || typeof data !== 'object' || data === null) return false;
    return (data as { user?: { id?: unknown } }).user?.id === this.#world.bot.id;
  }

  /**
   * Whether a session's shard receives events about a guild. events/gateway.mdx "Sharding Formula"; and
   * "Gateway events that do not contain a guild_id will only be sent to the first shard (shard_id: 0)". A
   * session without `shard` is the single shard `[0, 1]`.
   */
  #owns(session: Session, guildId: string | undefined): boolean {
    const [shardId, numShards] = session.shard ?? [0, 1];
    return guildId === undefined ? shardId === 0 : shardOf(guildId, numShards) === shardId;
  }

  /**
   * GUILD_CREATE as one session receives it. events/gateway-events.mdx "Guild Create": "If your bot does not
   * have the GUILD_PRESENCES Gateway Intent, or if the guild has over 75k members, members and presences
   * returned in this event will only contain your bot and users in voice channels" (the emulator has no
   * voice). With GUILD_PRESENCES, a guild of `large_threshold` members or more is `large` and its offline
   * members are left out (events/gateway-events.mdx "Identify Structure", `large_threshold`); the emulator has
   * no presences, so only the bot, which is online, is left then. 75k is above any `large_threshold`.
   */
  #guildCreateFor(session: Session, data: unknown): unknown {
    if (typeof data !== 'object' || data === null) return data;
    const guild = data as Record<string, unknown>;
    const members = Array.isArray(guild.members) ? (guild.members as { user?: { id?: string } }[]) : [];
    const count = typeof guild.member_count === 'number' ? guild.member_count : members.length;
    const large = count >= session.largeThreshold;
    const everyone = (session.intents & GatewayIntentBits.GuildPresences) !== 0 && !large;
    return {
      ...guild,
      large,
      members: everyone ? members : members.filter((m) => m.user?.id === this.#world.bot.id),
    };
  }

  /** Session starts in the current window, which opens at the first start and lasts 24 hours. */
  #sessionStarts(): { windowStart: number; count: number } {
    const now = this.#world.now();
    const { windowStart } = this.#starts;
    if (now < windowStart || now >= windowStart + SESSION_START_WINDOW_MS)
      this.#starts = { windowStart: now, count: 0 };
    return this.#starts;
  }

  #accept(socket: WebSocket): void {
    let session: Session | undefined;
    const send = (payload: unknown) => socket.send(JSON.stringify(payload));
    send({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.#heartbeatInterval }, s: null, t: null });
    socket.on('message', (raw) => {
      let payload: { op: number; d: Record<string, unknown> | number | null };
      try {
        payload = JSON.parse(String(raw));
      } catch {
        socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
        return;
      }
      const data = (typeof payload.d === 'object' && payload.d !== null ? payload.d : {}) as Record<
        string,
        unknown
      >;
      switch (payload.op) {
        case GatewayOpcodes.Heartbeat:
          send({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
          return;
        case GatewayOpcodes.Identify: {
          if (data.token !== this.#token) {
            socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
            return;
          }
          if (session) {
            socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
            return;
          }
          const shard = parseShard(data.shard);
          if (shard === 'invalid') {
            // topics/opcodes-and-status-codes.mdx "Gateway Close Event Codes": 4010 Invalid shard.
            socket.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
            return;
          }
          const threshold = Number(data.large_threshold ?? LARGE_THRESHOLD.default);
          const candidate: Session = {
            id: randomUUID().replaceAll('-', ''),
            intents: Number(data.intents ?? 0),
            shard,
            largeThreshold: Number.isFinite(threshold)
              ? Math.min(LARGE_THRESHOLD.max, Math.max(LARGE_THRESHOLD.min, threshold))
              : LARGE_THRESHOLD.default,
            sequence: 0,
            buffer: [],
            socket,
            outbox: [],
            timer: undefined,
          };
          const guilds = this.#guildsOf(candidate);
          if (guilds.length > MAX_GUILDS_PER_SHARD) {
            // events/gateway.mdx "Sharding": "Each shard can only support a maximum of 2500 guilds, and apps
            // that are in 2500+ guilds *must* enable sharding"; topics/opcodes-and-status-codes.mdx: 4011
            // Sharding required, "The session would have handled too many guilds".
            socket.close(GatewayCloseCodes.ShardingRequired, 'Sharding required.');
            return;
          }
          session = candidate;
          this.#sessions.set(session.id, session);
          this.#ready(session, guilds);
          return;
        }
        case GatewayOpcodes.Resume: {
          const found = this.#sessions.get(String(data.session_id));
          if (!found || data.token !== this.#token) {
            send({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
            return;
          }
          session = found;
          found.socket = socket;
          // What was on its way to the old connection is replayed below, in order, with the rest.
          found.outbox.splice(
            0,
            found.outbox.length,
            ...found.outbox.filter((entry) => entry.s === undefined),
          );
          const since = Number(data.seq ?? 0);
          for (const event of found.buffer) {
            if (event.s > since) this.#deliver(found, () => found.socket?.send(event.payload), event.s);
          }
          this.resumes++;
          this.#send(found, 'RESUMED', {});
          return;
        }
        default:
          // Presence updates, member requests and voice state changes are accepted and ignored.
          return;
      }
    });
    socket.on('close', () => {
      if (session?.socket === socket) session.socket = undefined;
    });
  }

  /** The servers a session handles: those the bot is in that its shard owns. */
  #guildsOf(session: Session): EmulatedGuild[] {
    return [...this.#world.guilds.values()].filter((g) => g.botPresent && this.#owns(session, g.id));
  }

  #ready(session: Session, guilds: readonly EmulatedGuild[]): void {
    this.#sessionStarts().count++;
    this.#send(session, 'READY', {
      v: 10,
      user: this.#world.bot,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.#url,
      // events/gateway-events.mdx "Ready Event Fields": `shard?`, "associated with this session, if sent when
      // identifying".
      ...(session.shard ? { shard: [...session.shard] } : {}),
      application: { id: this.#world.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      user_settings: {},
      session_type: 'normal',
    });
    for (const guild of guilds) {
      if ((session.intents & GatewayIntentBits.Guilds) !== 0)
        this.#send(
          session,
          'GUILD_CREATE',
          this.#guildCreateFor(session, this.#world.guildCreatePayload(guild)),
        );
    }
    this.identifies++;
    const waiters = this.#readyWaiters.splice(0);
    this.#deliver(session, () => {
      for (const resolve of waiters) resolve();
    });
  }

  #send(session: Session, event: string, data: unknown): void {
    session.sequence++;
    const s = session.sequence;
    const payload = JSON.stringify({ op: GatewayOpcodes.Dispatch, t: event, s, d: data });
    session.buffer.push({ s, payload });
    if (session.buffer.length > REPLAY_WINDOW) session.buffer.shift();
    this.#deliver(session, () => session.socket?.send(payload), s);
  }

  /**
   * Runs `deliver` `latencyMs` from now, after everything already on its way to the session. It writes to the
   * session's connection at delivery time: one lost meanwhile drops it, and RESUME replays it from the buffer.
   */
  #deliver(session: Session, deliver: () => void, s?: number): void {
    if (this.#latencyMs === 0) {
      deliver();
      return;
    }
    session.outbox.push({
      due: performance.now() + this.#latencyMs,
      deliver,
      ...(s === undefined ? {} : { s }),
    });
    this.#schedule(session);
  }

  #schedule(session: Session): void {
    const first = session.outbox[0];
    if (session.timer !== undefined || !first) return;
    session.timer = setTimeout(
      () => {
        session.timer = undefined;
        const now = performance.now();
        for (let next = session.outbox[0]; next && next.due <= now; next = session.outbox[0]) {
          session.outbox.shift();
          next.deliver();
        }
        this.#schedule(session);
      },
      Math.max(1, Math.ceil(first.due - performance.now())),
    );
  }
}
