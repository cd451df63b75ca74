import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GatewayCloseCodes, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import { type WebSocket, WebSocketServer } from 'ws';
import type { World } from './model.js';

/**
 * The gateway: HELLO, IDENTIFY → READY and one GUILD_CREATE per server, heartbeat ACKs, RESUME with replay
 * of missed events, and dispatches filtered by the intents the bot identified with, as Discord does.
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

interface Session {
  readonly id: string;
  readonly intents: number;
  sequence: number;
  readonly buffer: { s: number; payload: string }[];
  socket: WebSocket | undefined;
}

export class Gateway {
  readonly #world: World;
  readonly #token: string;
  readonly #heartbeatInterval: number;
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  readonly #readyWaiters: Array<() => void> = [];
  #url = '';
  /** Count of IDENTIFYs answered with READY: a restart shows up as a new one, a resume does not. */
  identifies = 0;
  resumes = 0;

  constructor(world: World, options: { readonly token: string; readonly heartbeatInterval: number }) {
    this.#world = world;
    this.#token = options.token;
    this.#heartbeatInterval = options.heartbeatInterval;
    this.#server.on('connection', (socket) => this.#accept(socket));
  }

  /** The URL GET /gateway/bot hands out. */
  set url(url: string) {
    this.#url = url;
  }
  get url(): string {
    return this.#url;
  }

  /** Takes over an HTTP upgrade request for the gateway path. */
  upgrade(request: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    this.#server.handleUpgrade(request, socket, head, (ws) => this.#server.emit('connection', ws, request));
  }

  /** Resolves when the next IDENTIFY has been answered with READY and the servers. */
  nextReady(): Promise<void> {
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  /** Sends an event to every session whose intents cover it (buffered for sessions that are away). */
  /** While set, events are not sent at all: what a bot sees when it misses them in an outage. */
  muted = false;

  dispatch(event: string, data: unknown): void {
    if (this.muted) return;
    const intent = EVENT_INTENTS[event];
    for (const session of this.#sessions.values()) {
      if (intent !== undefined && (session.intents & intent) === 0) continue;
      this.#send(session, event, data);
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
    for (const client of this.#server.clients) client.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
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
          session = {
            id: randomUUID().replaceAll('-', ''),
            intents: Number(data.intents ?? 0),
            sequence: 0,
            buffer: [],
            socket,
          };
          this.#sessions.set(session.id, session);
          this.#ready(session);
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
          const since = Number(data.seq ?? 0);
          for (const event of found.buffer) if (event.s > since) socket.send(event.payload);
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

  #ready(session: Session): void {
    const guilds = [...this.#world.guilds.values()].filter((g) => g.botPresent);
    this.#send(session, 'READY', {
      v: 10,
      user: this.#world.bot,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.#url,
      shard: [0, 1],
      application: { id: this.#world.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      user_settings: {},
      session_type: 'normal',
    });
    for (const guild of guilds) {
      if ((session.intents & GatewayIntentBits.Guilds) !== 0)
        this.#send(session, 'GUILD_CREATE', this.#world.guildCreatePayload(guild));
    }
    this.identifies++;
    for (const resolve of this.#readyWaiters.splice(0)) resolve();
  }

  #send(session: Session, event: string, data: unknown): void {
    session.sequence++;
    const payload = JSON.stringify({ op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data });
    session.buffer.push({ s: session.sequence, payload });
    if (session.buffer.length > REPLAY_WINDOW) session.buffer.shift();
    session.socket?.send(payload);
  }
}
