import { once } from 'node:events';
import WebSocket from 'ws';
import type { Emulator } from '../../src/emulator/index.js';

/** A bare gateway client: what a bot library does, written out so the emulator is tested on its own. */
export class RawGateway {
  readonly received: { op: number; t: string | null; s: number | null; d: Record<string, unknown> }[] = [];
  readonly #socket: WebSocket;
  #waiters: Array<() => void> = [];

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (raw) => {
      this.received.push(JSON.parse(String(raw)));
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async connect(discord: Emulator): Promise<RawGateway> {
    const { url } = (await rest(discord, 'GET', '/gateway/bot')).body as { url: string };
    const socket = new WebSocket(`${url}?v=10&encoding=json`);
    const client = new RawGateway(socket);
    await once(socket, 'open');
    return client;
  }

  send(op: number, d: unknown): void {
    this.#socket.send(JSON.stringify({ op, d }));
  }

  identify(discord: Emulator, intents: number, token = discord.token): void {
    this.send(2, { token, intents, properties: { os: 'linux', browser: 'raw', device: 'raw' } });
  }

  /** Waits for the first received payload that matches. */
  async next(
    match: (p: RawGateway['received'][number]) => boolean,
    timeoutMs = 2000,
  ): Promise<RawGateway['received'][number]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('no matching gateway payload');
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  dispatched(event: string): RawGateway['received'] {
    return this.received.filter((p) => p.t === event);
  }

  async closed(): Promise<number> {
    const [code] = await once(this.#socket, 'close');
    return code as number;
  }

  close(): void {
    this.#socket.close();
  }
}

/** A REST call as a bot makes it: status, JSON body (when the answer is JSON), raw text and headers. */
export async function rest(
  discord: Emulator,
  method: string,
  path: string,
  body?: unknown,
  options: { auth?: boolean } = {},
): Promise<{ status: number; body: unknown; text: string; headers: Headers }> {
  const response = await fetch(`${discord.apiUrl}/v10${path}`, {
    method,
    headers: {
      ...(options.auth === false ? {} : { authorization: `Bot ${discord.token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined;
  return { status: response.status, body: json, text, headers: response.headers };
}
