import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type APIApplicationCommand,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
} from 'discord-api-types/v10';
import { type Bot, startBot } from '../app.js';
import { loadConfig } from '../config.js';
import {
  type ChannelHandle,
  type Emulator,
  type GuildHandle,
  type Member,
  type OptionValue,
  startEmulator,
} from '../emulator/index.js';
import type { MessageView } from '../emulator/views.js';
import { silentLogger } from '../logger.js';
import { formatMessage, resolveMentions } from './terminal.js';

/** A mistake in what the person typed: shown to them, never a crash. */
export class PlaygroundError extends Error {
  override name = 'PlaygroundError';
}

const HELP = `Type slash commands as a member would, for example:
  /excerpt topic:human-values
  /excerpt search:"persona selection" private:true
  /crux id:hyperstition
Then:
  click 1 | click Another     click a button on the last message (by number or label)
  select 2                     pick option 2 of the last message's select menu
  suggest /excerpt search:pers  show what autocomplete offers for the last option
  as bo | as cy | as ada       switch member (ada has Manage Server, bo and cy do not)
  in general | in reading      switch channel
  channel                      the channel as everyone sees it; threads lists threads
  last                         the channel's newest message with buttons (a poll), to click on
  clock | clock +2h | clock +1w  show the time, or move it on and see what the bot posts
  clock next                   move on to the next thing the bot will do (a post, a poll closing)
  help | quit`;

const DURATIONS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A local Discord with one reading-group server, three members and the real bot, driven one typed line at a
 * time. Used by the interactive terminal and by scripted runs alike.
 */
export class PlaygroundSession {
  readonly #discord: Emulator;
  readonly #guild: GuildHandle;
  readonly #members: Map<string, Member>;
  readonly #clock: { offset: number };
  readonly #stateDir: string;
  #bot: Bot;
  #member: Member;
  #channel: ChannelHandle;
  #last: MessageView | undefined;

  private constructor(parts: {
    discord: Emulator;
    guild: GuildHandle;
    members: Map<string, Member>;
    bot: Bot;
    clock: { offset: number };
    stateDir: string;
  }) {
    this.#stateDir = parts.stateDir;
    this.#discord = parts.discord;
    this.#guild = parts.guild;
    this.#members = parts.members;
    this.#bot = parts.bot;
    this.#clock = parts.clock;
    this.#member = [...parts.members.values()][0] as Member;
    this.#channel = parts.guild.channel('reading');
  }

  /**
   * Starts the emulator and the bot on the embedded defaults: state in a SQLite file of its own, in a
   * temporary folder removed at the end (server ids are new each run, so nothing is worth keeping).
   */
  static async start(): Promise<PlaygroundSession> {
    const clock = { offset: 0 };
    const now = () => Date.now() + clock.offset;
    const discord = await startEmulator({ now, botName: 'Crux' });
    const guild = discord.addGuild({ name: 'Reading Group', channels: ['reading', 'general'] });
    const members = new Map([
      ['ada', guild.addMember('ada', { permissions: ['ManageGuild'] })],
      ['bo', guild.addMember('bo')],
      ['cy', guild.addMember('cy')],
    ]);
    const stateDir = mkdtempSync(path.join(tmpdir(), 'crux-playground-'));
    const stateFile = path.join(stateDir, 'state.sqlite');
    const config = loadConfig(undefined, {
      DISCORD_TOKEN: discord.token,
      DISCORD_CLIENT_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      KEYV_URL: `sqlite://${stateFile}`,
    });
    // Scheduled work runs when the person moves the clock, so they see each post as it happens.
    const bot = await startBot({
      config,
      logger: silentLogger(),
      clock: () => new Date(now()),
      tickIntervalMs: 0,
    });
    await bot.ready;
    return new PlaygroundSession({ discord, guild, members, bot, clock, stateDir });
  }

  /** Mentions and timestamps as a member's client shows them. */
  readonly #resolve = resolveMentions({
    channel: (id) => this.#discord.channelName(id),
    user: (id) => this.#discord.userName(id),
    role: (id) => this.#guild.guild.roles.get(id)?.name,
    now: () => this.#now(),
  });

  /** "ada in #reading › " */
  get prompt(): string {
    return `${this.#member.name} in #${this.#channel.name} › `;
  }

  get help(): string {
    return HELP;
  }

  /** Carries out one typed line and returns what to print. A typing mistake throws `PlaygroundError`. */
  async execute(line: string): Promise<string> {
    const output = await this.#execute(line);
    // The totals on a poll message follow votes after a short pause; show them as a member would see them.
    await this.#bot.polls.settle();
    return output;
  }

  async #execute(line: string): Promise<string> {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return '';
    const [word = '', ...rest] = tokenize(trimmed);
    if (word.startsWith('/'))
      return this.#show(await this.#member.run(...this.#command(trimmed), this.#channel));
    switch (word) {
      case 'help':
        return HELP;
      case 'click':
        return this.#show(await this.#member.click(this.#lastMessage(), this.#buttonLabel(rest.join(' '))));
      case 'select':
        return this.#select(rest);
      case 'suggest':
        return this.#suggest(trimmed.slice('suggest'.length).trim());
      case 'as':
        this.#member = this.#named(rest[0]);
        return `Now acting as ${this.#member.name}.`;
      case 'in':
        this.#channel = this.#channelNamed(rest[0]);
        return `Now in #${this.#channel.name}.`;
      case 'channel':
        return this.#channelView(this.#channel);
      case 'last': {
        // The newest message with buttons in the channel (a poll, a kickoff), for click to act on.
        const newest = this.#member
          .sees(this.#channel)
          .filter((m) => m.buttons.length > 0)
          .at(-1);
        if (!newest) throw new PlaygroundError('No message with buttons in this channel yet.');
        return this.#show(newest);
      }
      case 'threads':
        return (
          this.#channel
            .threads()
            .map((thread) => `🧵 ${thread.name}\n${this.#channelView(thread)}`)
            .join('\n\n') || 'No threads yet.'
        );
      case 'clock':
        return this.#clockCommand(rest[0]);
      default:
        throw new PlaygroundError(`"${word}" is not something the playground knows. Type help.`);
    }
  }

  /** What TAB offers: command and option names, or the bot's autocomplete for the value being typed. */
  async complete(line: string): Promise<{ readonly items: readonly string[]; readonly listing: string }> {
    if (!line.startsWith('/')) return { items: [], listing: '' };
    const tokens = tokenize(line);
    if (tokens.length <= 1 && !line.endsWith(' ')) {
      const names = this.#commands()
        .map((c) => `/${c.name}`)
        .filter((n) => n.startsWith(line));
      return { items: names, listing: '' };
    }
    const last = line.endsWith(' ') ? '' : (tokens.at(-1) ?? '');
    if (!last.includes(':')) {
      // The word being typed is not yet part of the command path.
      const typed = line.endsWith(' ') ? tokens : tokens.slice(0, -1);
      const [name, path] = this.#commandPath(typed.filter((t) => !t.includes(':')));
      const options = this.#optionsAt(name, path)
        .map((o) => `${o.name}:`)
        .filter((o) => o.startsWith(last));
      return { items: options, listing: '' };
    }
    try {
      const choices = await this.#choices(line);
      const prefix = line.slice(0, line.length - last.length);
      const optionName = last.slice(0, last.indexOf(':'));
      return {
        items: choices.map((c) => `${prefix}${optionName}:${quote(String(c.value))}`),
        listing: choices.map((c) => `  ${c.name}  →  ${c.value}`).join('\n'),
      };
    } catch {
      return { items: [], listing: '' };
    }
  }

  async stop(): Promise<void> {
    await this.#bot.stop();
    await this.#discord.close();
    rmSync(this.#stateDir, { recursive: true, force: true });
  }

  #show(message: MessageView): string {
    if (message.buttons.length > 0 || message.selects.length > 0) this.#last = message;
    const how = message.via === 'update' ? '(the message changed)\n' : '';
    return `${how}${formatMessage(message, { resolve: this.#resolve })}`;
  }

  #lastMessage(): MessageView {
    if (!this.#last) throw new PlaygroundError('There is no message with buttons yet. Run a command first.');
    return this.#last;
  }

  #buttonLabel(which: string): string {
    const buttons = this.#lastMessage().buttons;
    const byNumber = /^\d+$/u.test(which) ? buttons[Number(which) - 1] : undefined;
    const found = byNumber ?? buttons.find((b) => b.label.toLowerCase() === which.toLowerCase());
    if (!found)
      throw new PlaygroundError(
        `No button "${which}". Buttons: ${buttons.map((b, i) => `${i + 1} ${b.label}`).join(', ')}`,
      );
    return found.label;
  }

  async #select(rest: readonly string[]): Promise<string> {
    const message = this.#lastMessage();
    const select = message.selects[0];
    if (!select) throw new PlaygroundError('The last message has no select menu.');
    const values = rest.map((n) => {
      const option = select.options[Number(n) - 1];
      if (!option) throw new PlaygroundError(`No option ${n}; pick 1 to ${select.options.length}.`);
      return option.value;
    });
    return this.#show(await this.#member.select(message, values));
  }

  async #suggest(line: string): Promise<string> {
    const choices = await this.#choices(line);
    if (choices.length === 0) return 'No suggestions.';
    return choices.map((c, i) => `${i + 1}. ${c.name}  →  ${c.value}`).join('\n');
  }

  /** The bot's autocomplete for the last option of a command line. */
  async #choices(line: string) {
    const [name, options] = this.#command(line);
    const focused = Object.keys(options).at(-1);
    if (!focused)
      throw new PlaygroundError('Put the option to complete last, e.g. suggest /excerpt search:pers');
    return this.#member.autocomplete(name, options, focused, this.#channel);
  }

  #named(name: string | undefined): Member {
    const member = this.#members.get(name ?? '');
    if (!member) throw new PlaygroundError(`Members here: ${[...this.#members.keys()].join(', ')}.`);
    return member;
  }

  #channelNamed(name: string | undefined): ChannelHandle {
    try {
      return this.#guild.channel((name ?? '').replace(/^#/u, ''));
    } catch {
      throw new PlaygroundError('Channels here: reading, general.');
    }
  }

  #channelView(channel: ChannelHandle): string {
    const messages = this.#member.sees(channel).slice(-10);
    return messages.length > 0
      ? messages.map((m) => formatMessage(m, { resolve: this.#resolve })).join('\n\n')
      : '(no messages)';
  }

  /**
   * Shows or moves the clock. Moving it runs the scheduler at the new time and shows what the bot posted,
   * so a whole reading schedule can be played through in a few lines.
   */
  async #clockCommand(change: string | undefined): Promise<string> {
    if (!change) return `It is now ${this.#now().toUTCString()}.`;
    const seen = new Set(this.#allMessages().map((m) => m.id));
    let target: number;
    if (change === 'next') {
      const next = await this.#bot.nextWake(this.#guild.id);
      if (!next) return `It is now ${this.#now().toUTCString()}. Nothing is scheduled.`;
      target = Math.max(next.getTime(), this.#now().getTime());
    } else {
      const match = /^\+(\d+)([mhdw])$/u.exec(change);
      if (!match) throw new PlaygroundError('Move the clock with next, +30m, +2h, +1d or +1w.');
      target = this.#now().getTime() + Number(match[1]) * (DURATIONS[match[2] ?? 'h'] ?? 0);
    }
    // Time passes with the bot running: it wakes at every due time on the way, as it would live.
    for (let step = 0; step < 200; step++) {
      const wake = await this.#bot.nextWake(this.#guild.id);
      if (!wake || wake.getTime() > target || wake.getTime() <= this.#now().getTime() - 60_000) break;
      this.#setNow(wake.getTime());
      await this.#bot.scheduler.tick();
    }
    this.#setNow(target);
    await this.#bot.scheduler.tick();
    const posted = this.#allMessages().filter((m) => !seen.has(m.id));
    return [
      `It is now ${this.#now().toUTCString()}.`,
      ...posted.map(
        (m) => `#${this.#channelName(m.channelId)}:\n${formatMessage(m, { resolve: this.#resolve })}`,
      ),
    ].join('\n\n');
  }

  #now(): Date {
    return new Date(Date.now() + this.#clock.offset);
  }

  #setNow(at: number): void {
    this.#clock.offset = Math.max(this.#clock.offset, at - Date.now());
  }

  /** Every message in the server's channels and threads, as everyone sees them. */
  #allMessages(): MessageView[] {
    return ['reading', 'general'].flatMap((name) => {
      const channel = this.#guild.channel(name);
      return [...channel.messages(), ...channel.threads().flatMap((thread) => thread.messages())];
    });
  }

  #channelName(channelId: string): string {
    for (const name of ['reading', 'general']) {
      const channel = this.#guild.channel(name);
      if (channel.id === channelId) return name;
      const thread = channel.threads().find((t) => t.id === channelId);
      if (thread) return `${name} › ${thread.name}`;
    }
    return channelId;
  }

  #commands(): readonly APIApplicationCommand[] {
    return [...this.#discord.commands(), ...this.#discord.commands(this.#guild.id)];
  }

  /** Splits the leading words of a command line into the command and its subcommand path. */
  #commandPath(words: readonly string[]): [string, string[]] {
    const [first = '', ...rest] = words;
    return [first.replace(/^\//u, ''), [...rest]];
  }

  #optionsAt(name: string, path: readonly string[]): APIApplicationCommandOption[] {
    let options = (this.#commands().find((c) => c.name === name)?.options ??
      []) as APIApplicationCommandOption[];
    for (const segment of path) {
      const sub = options.find((o) => o.name === segment);
      options = sub && 'options' in sub ? ((sub.options ?? []) as APIApplicationCommandOption[]) : [];
    }
    return options;
  }

  /** Parses "/schedule setup day:Tuesday channel:#reading" into the command path and typed option values. */
  #command(line: string): [string, Record<string, OptionValue>] {
    const tokens = tokenize(line);
    const words = tokens.filter((t) => !t.includes(':') || t.startsWith('/'));
    const [name, path] = this.#commandPath(words);
    if (!this.#commands().some((c) => c.name === name)) {
      throw new PlaygroundError(
        `/${name} is not a command here. Commands: ${this.#commands()
          .map((c) => `/${c.name}`)
          .join(', ')}`,
      );
    }
    const definitions = this.#optionsAt(name, path);
    const options: Record<string, OptionValue> = {};
    for (const token of tokens.filter((t) => t.includes(':') && !t.startsWith('/'))) {
      const key = token.slice(0, token.indexOf(':'));
      const raw = token.slice(token.indexOf(':') + 1);
      const definition = definitions.find((d) => d.name === key);
      if (!definition)
        throw new PlaygroundError(
          `/${[name, ...path].join(' ')} has no option "${key}". Options: ${definitions.map((d) => d.name).join(', ')}`,
        );
      options[key] = this.#value(definition, raw);
    }
    return [[name, ...path].join(' '), options];
  }

  #value(definition: APIApplicationCommandOption, raw: string): OptionValue {
    switch (definition.type) {
      case ApplicationCommandOptionType.Integer:
      case ApplicationCommandOptionType.Number: {
        const value = Number(raw);
        if (!Number.isFinite(value)) throw new PlaygroundError(`${definition.name} takes a number.`);
        return value;
      }
      case ApplicationCommandOptionType.Boolean:
        if (raw !== 'true' && raw !== 'false')
          throw new PlaygroundError(`${definition.name} takes true or false.`);
        return raw === 'true';
      case ApplicationCommandOptionType.Channel:
        return this.#channelNamed(raw);
      case ApplicationCommandOptionType.User:
        return this.#named(raw.replace(/^@/u, ''));
      default:
        return raw;
    }
  }
}

/** Splits a line on spaces, keeping quoted values ("persona selection") together and unquoted. */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  for (const match of line.matchAll(/(?:[^\s"]+|"[^"]*")+/gu)) tokens.push(match[0].replaceAll('"', ''));
  return tokens;
}

function quote(value: string): string {
  return /\s/u.test(value) ? `"${value}"` : value;
}
