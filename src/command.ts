import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { ChannelKind, Permissions } from './core/access.js';
import type { Corpus } from './core/corpus/types.js';
import type { Outcome, Reply } from './core/reply.js';
import type { CorpusSearch } from './core/search.js';
import type { PollService } from './jobs/polls.js';
import type { State } from './state/index.js';

/**
 * The contract between command modules and the Discord adapter. Modules see plain data only: flattened
 * options in, `Reply` / `Outcome` out. Nothing here is a discord.js object.
 */

/** Slash command options flattened to a plain object; `subcommand` names the chosen subcommand. */
export type CommandArgs = Readonly<Record<string, string | number | boolean | undefined>>;

/** Everything a handler may use. Built fresh for each interaction by the adapter. */
export interface CommandContext {
  readonly interactionId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly channelKind: ChannelKind;
  readonly userId: string;
  /** From the injected clock, never `new Date()` in handlers. */
  readonly now: Date;
  readonly permissions: Permissions;
  /** Role ids of the member who acted. */
  readonly memberRoles: readonly string[];
  /** The bot's permission names in another channel of the server; undefined when that channel is unknown. */
  readonly botPermissionsIn: (channelId: string) => ReadonlySet<string> | undefined;
  readonly corpus: Corpus;
  readonly search: CorpusSearch;
  readonly state: State;
  /** Opens, votes in and closes position polls (posting through Discord, so commands stay plain). */
  readonly polls: PollService;
  /** Returns a number in [0, 1); injected so tests are deterministic. */
  readonly random: () => number;
  /** Every registered command's definition, for /help. */
  readonly commands: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  /** For button and select interactions: the message the component sits on. */
  readonly message?: { readonly id: string; readonly ephemeral: boolean };
}

/** One autocomplete choice. */
export interface Choice {
  readonly name: string;
  readonly value: string | number;
}

/** The option being typed into, for autocomplete. */
export interface FocusedOption {
  readonly name: string;
  readonly value: string;
}

/** Handles one component action; `params` come from the custom id. */
export type ComponentHandler = (
  params: Readonly<Record<string, string>>,
  ctx: CommandContext,
) => Promise<Outcome>;

/** A slash command definition as builders produce it. */
export interface CommandDefinition {
  readonly name: string;
  toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody;
}

/** A command module: `commands/<name>.ts`, listed in `commands/index.ts`. */
export interface CommandModule<A extends CommandArgs = CommandArgs> {
  /**
   * Builds the slash command definition. It takes the corpus because some options come from it (topic
   * choices, the number of sessions), so a group that edits `data/` gets matching commands on redeploy.
   */
  readonly define: (corpus: Corpus) => CommandDefinition;
  readonly run: (args: A, ctx: CommandContext) => Promise<Reply>;
  /**
   * Whether the reply to these arguments is private, known before running: a slow reply is deferred with
   * the same visibility, since Discord cannot turn a public "thinking…" message private later.
   */
  readonly replyPrivately?: (args: A) => boolean;
  /** At most 25 choices; must answer within 3 seconds (autocomplete cannot be deferred). */
  readonly autocomplete?: (
    focused: FocusedOption,
    args: A,
    ctx: CommandContext,
  ) => Promise<readonly Choice[]>;
  /** Handlers for this command's buttons and selects, by custom id action. */
  readonly components?: Readonly<Record<string, ComponentHandler>>;
}

/**
 * Checks a module against the contract with its own argument type, then erases that type for the registry.
 * The cast is sound because dispatch builds `args` from the same definition the module declares.
 */
export function defineCommand<A extends CommandArgs>(module: CommandModule<A>): CommandModule {
  return module as unknown as CommandModule;
}

/** Every module's definition as Discord JSON, in registry order: what deploy registers and /help lists. */
export function defineAll(
  modules: readonly CommandModule[],
  corpus: Corpus,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return modules.map((module) => module.define(corpus).toJSON());
}
