import { SlashCommandBuilder, SlashCommandSubcommandBuilder } from '@discordjs/builders';
import {
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { type ArgsOf, argsSchema, checkOptions, type OptionSpec, type Options } from './command-options.js';
import { type ChannelKind, canManageServer, isFacilitator, type Permissions } from './core/access.js';
import { type ComponentSpec, splitCustomId } from './core/components.js';
import type { Corpus } from './core/corpus/types.js';
import { UserError } from './core/errors.js';
import type { CommandMentions } from './core/mentions.js';
import { notFacilitatorReply } from './core/replies/schedule.js';
import { notice, type Outcome, type Reply } from './core/reply.js';
import type { CorpusSearch } from './core/search.js';
import type { PollService } from './polls/service.js';
import type { State } from './state/index.js';

/**
 * The contract between command modules and the Discord adapter. Modules declare their options, permissions
 * and components once; dispatch reads every interaction against those declarations before a handler runs,
 * so handlers see typed, validated plain data (never a discord.js object) and return plain replies.
 */

/** Who may use a subcommand or component; dispatch enforces it and answers a refusal in one place. */
export type Requirement = 'facilitator' | 'manage-server';

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
  /** Whether a channel id is a text channel of this server (options can carry stale or forged ids). */
  readonly isServerTextChannel: (channelId: string) => boolean;
  /** The largest file Discord accepts in an answer here, in bytes (`attachment_size_limit`). */
  readonly attachmentSizeLimit: number;
  /** Whether a role of this server is mentionable; undefined when the role is unknown. */
  readonly roleMentionable: (roleId: string) => boolean | undefined;
  readonly corpus: Corpus;
  readonly search: CorpusSearch;
  readonly state: State;
  /** Opens, votes in and closes position polls (posting through Discord, so commands stay plain). */
  readonly polls: PollService;
  /** Returns a number in [0, 1); injected so tests are deterministic. */
  readonly random: () => number;
  /** Names commands in replies, clickable once Discord has given their ids. */
  readonly mentions: CommandMentions;
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

/** A subcommand: its description, options and who may use it. */
export interface SubcommandSpec<O extends Options = Options> {
  readonly description: string;
  readonly options?: O;
  readonly requires?: Requirement;
}

/** What a command declares: its own options, or subcommands. */
export type Declaration =
  | { readonly options?: Options; readonly requires?: Requirement; readonly subcommands?: undefined }
  | { readonly subcommands: Readonly<Record<string, SubcommandSpec>>; readonly options?: undefined };

type OptionsOf<S> = S extends { readonly options: infer O extends Options } ? O : Record<never, never>;

/** The handler's arguments for a declaration: for subcommands, a union tagged by `subcommand`. */
export type ArgsOfDeclaration<D extends Declaration> = D extends {
  readonly subcommands: infer S extends Readonly<Record<string, SubcommandSpec>>;
}
  ? { [K in keyof S & string]: { readonly subcommand: K } & ArgsOf<OptionsOf<S[K]>> }[keyof S & string]
  : ArgsOf<OptionsOf<D>>;

/** A route from a declared component to its handler. */
export interface ComponentRoute {
  readonly spec: Pick<ComponentSpec, 'command' | 'action'> & {
    parse(query: string, selected?: readonly string[]): unknown;
  };
  readonly requires?: Requirement;
  readonly handle: (params: unknown, ctx: CommandContext) => Promise<Outcome>;
}

type Parsed<S> = S extends { parse(query: string, selected?: readonly string[]): infer P }
  ? NonNullable<P>
  : never;

/** Routes a declared component to its handler, which receives the typed parameters. */
export function on<S extends ComponentRoute['spec']>(
  spec: S,
  handle: (params: Parsed<S>, ctx: CommandContext) => Promise<Outcome>,
  options: { readonly requires?: Requirement } = {},
): ComponentRoute {
  return {
    spec,
    // Dispatch passes only what `spec.parse` returned, so the parameters have the parsed type.
    handle: (params, ctx) => handle(params as Parsed<S>, ctx),
    ...(options.requires ? { requires: options.requires } : {}),
  };
}

/** A command module as written in `commands/<name>.ts`. */
export interface CommandSpec<D extends Declaration> {
  readonly name: string;
  readonly description: string;
  /** The options; a function of the corpus because some come from it (topics, the number of sessions). */
  readonly declare: (corpus: Corpus) => D;
  /**
   * Whether the reply to these arguments is private, known before running: a slow reply is deferred with
   * the same visibility, since Discord cannot turn a public "thinking…" message private later.
   */
  readonly replyPrivately?: (args: ArgsOfDeclaration<D>) => boolean;
  readonly run: (args: ArgsOfDeclaration<D>, ctx: CommandContext) => Promise<Reply>;
  /** At most 25 choices; must answer within Discord's 3 seconds (autocomplete cannot be deferred). */
  readonly autocomplete?: (
    focused: FocusedOption,
    args: Partial<Record<string, string | number | boolean>>,
    ctx: CommandContext,
  ) => Promise<readonly Choice[]>;
  readonly components?: readonly ComponentRoute[];
}

const NO_OPTIONS: Options = {};

/** Raw option values as dispatch flattens them: `subcommand` names the chosen subcommand. */
export type RawArgs = Readonly<Record<string, string | number | boolean | undefined>>;

/** A command module with its types erased, as the registry and dispatch hold it. */
export interface CommandModule {
  readonly name: string;
  /** The slash command definition Discord registers, built from the declaration. */
  definition(corpus: Corpus): RESTPostAPIChatInputApplicationCommandsJSONBody;
  /**
   * Reads raw option values against the declaration: typed arguments and who may use them, or a sentence
   * saying what was wrong (a stale or forged interaction).
   */
  read(
    corpus: Corpus,
    raw: RawArgs,
  ): { readonly args: unknown; readonly requires?: Requirement } | { readonly problem: string };
  replyPrivately(args: unknown): boolean;
  run(args: unknown, ctx: CommandContext): Promise<Reply>;
  readonly autocomplete?: CommandSpec<Declaration>['autocomplete'];
  readonly components: readonly ComponentRoute[];
}

/** Checks a module's declarations and erases its argument type for the registry. */
export function defineCommand<const D extends Declaration>(spec: CommandSpec<D>): CommandModule {
  const declared = new WeakMap<
    Corpus,
    { declaration: D; definition: RESTPostAPIChatInputApplicationCommandsJSONBody }
  >();
  const declare = (corpus: Corpus) => {
    let entry = declared.get(corpus);
    if (!entry) {
      const declaration = spec.declare(corpus);
      entry = { declaration, definition: buildDefinition(spec.name, spec.description, declaration) };
      declared.set(corpus, entry);
    }
    return entry;
  };
  // Sound: `read` produced these arguments from the same declaration the handlers are typed by.
  const typed = (args: unknown) => args as ArgsOfDeclaration<D>;
  return {
    name: spec.name,
    definition: (corpus) => declare(corpus).definition,
    read(corpus, raw) {
      const { declaration } = declare(corpus);
      const { subcommand, group: _group, ...values } = raw;
      const chosen: SubcommandSpec | undefined = declaration.subcommands
        ? typeof subcommand === 'string' && Object.hasOwn(declaration.subcommands, subcommand)
          ? declaration.subcommands[subcommand]
          : undefined
        : { description: spec.description, ...declaration };
      if (!chosen)
        return { problem: 'That subcommand is not one Crux has any more. Type `/` to see what it offers.' };
      const parsed = argsSchema(chosen.options ?? NO_OPTIONS).safeParse(values);
      if (!parsed.success) {
        const names = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '')))];
        return {
          problem: `Crux could not read ${names.map((n) => `**${n}**`).join(', ') || 'the options'}: this command may have changed since Discord showed it. Type it again and pick from its lists.`,
        };
      }
      const args = declaration.subcommands ? { subcommand, ...parsed.data } : parsed.data;
      return { args, ...(chosen.requires ? { requires: chosen.requires } : {}) };
    },
    replyPrivately: (args) => spec.replyPrivately?.(typed(args)) ?? false,
    run: (args, ctx) => spec.run(typed(args), ctx),
    ...(spec.autocomplete ? { autocomplete: spec.autocomplete } : {}),
    components: spec.components ?? [],
  };
}

/** Why the member may not do what a declaration requires, or undefined when they may. */
export async function accessRefusal(requires: Requirement, ctx: CommandContext): Promise<Reply | undefined> {
  if (requires === 'manage-server') {
    return canManageServer(ctx.permissions)
      ? undefined
      : notice('Only members with the **Manage Server** permission can do that.');
  }
  const { facilitatorRoleId } = await ctx.state.guilds.read(ctx.guildId);
  return isFacilitator(ctx.permissions, ctx.memberRoles, facilitatorRoleId)
    ? undefined
    : notFacilitatorReply(facilitatorRoleId);
}

/** A `UserError` as the private notice it stands for; anything else is rethrown to the error boundary. */
export async function userErrorNotice(error: unknown): Promise<Reply> {
  if (error instanceof UserError) return notice(error.message);
  throw error;
}

/** Read arguments, as `CommandModule.read` returns them when they read. */
export type ReadArgs = { readonly args: unknown; readonly requires?: Requirement };

/** Answers a command whose arguments read: who may use it checked, a `UserError` answered privately. */
export async function answerCommand(
  module: CommandModule,
  read: ReadArgs,
  ctx: CommandContext,
): Promise<Reply> {
  const refusal = read.requires ? await accessRefusal(read.requires, ctx) : undefined;
  return refusal ?? module.run(read.args, ctx).catch(userErrorNotice);
}

/** Answers a component whose custom id read, the same way. */
export async function answerComponent(
  route: ComponentRoute,
  params: unknown,
  ctx: CommandContext,
): Promise<Outcome> {
  const refusal = route.requires ? await accessRefusal(route.requires, ctx) : undefined;
  if (refusal) return { type: 'reply', reply: refusal };
  return route
    .handle(params, ctx)
    .catch(async (error: unknown) => ({ type: 'reply', reply: await userErrorNotice(error) }));
}

/** Every module's component routes by `command:action`, found only by an exact key of a Map. */
export function componentRoutes(modules: readonly CommandModule[]): ReadonlyMap<string, ComponentRoute> {
  const routes = new Map<string, ComponentRoute>();
  for (const module of modules) {
    for (const route of module.components) {
      const key = `${route.spec.command}:${route.spec.action}`;
      if (routes.has(key)) throw new Error(`component ${key} is declared twice`);
      routes.set(key, route);
    }
  }
  return routes;
}

/**
 * The route and typed parameters a custom id (and a select's chosen values) read as, or undefined for an id
 * from an older version of Crux, a forged one, or one whose parameters do not read.
 */
export function readComponent(
  routes: ReadonlyMap<string, ComponentRoute>,
  customId: string,
  selected: readonly string[],
): { readonly route: ComponentRoute; readonly params: unknown } | undefined {
  const id = splitCustomId(customId);
  const route = id ? routes.get(`${id.command}:${id.action}`) : undefined;
  const params = id && route?.spec.parse(id.query, selected);
  return route && params !== undefined ? { route, params } : undefined;
}

/** Every module's definition as Discord JSON, in registry order: what deploy registers and /help lists. */
export function defineAll(
  modules: readonly CommandModule[],
  corpus: Corpus,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return modules.map((module) => module.definition(corpus));
}

/** The definition Discord registers, built with @discordjs/builders (which checks names and lengths). */
function buildDefinition(
  name: string,
  description: string,
  declaration: Declaration,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const command = new SlashCommandBuilder()
    .setName(name)
    .setDescription(description)
    .setContexts(InteractionContextType.Guild);
  if (declaration.subcommands) {
    for (const [subName, sub] of Object.entries(declaration.subcommands)) {
      checkOptions(`/${name} ${subName}`, sub.options ?? {});
      const builder = new SlashCommandSubcommandBuilder().setName(subName).setDescription(sub.description);
      addOptions(builder, sub.options ?? {});
      command.addSubcommand(builder);
    }
  } else {
    checkOptions(`/${name}`, declaration.options ?? {});
    addOptions(command, declaration.options ?? {});
  }
  return command.toJSON();
}

/** Adds options to a builder, required ones first as Discord requires. */
function addOptions(builder: SlashCommandBuilder | SlashCommandSubcommandBuilder, options: Options): void {
  const ordered = Object.entries(options).sort(([, a], [, b]) => Number(b.required) - Number(a.required));
  for (const [name, spec] of ordered) addOption(builder, name, spec);
}

function addOption(
  builder: SlashCommandBuilder | SlashCommandSubcommandBuilder,
  name: string,
  spec: OptionSpec<unknown, boolean>,
): void {
  const common = <
    B extends { setName(n: string): B; setDescription(d: string): B; setRequired(r: boolean): B },
  >(
    option: B,
  ) => option.setName(name).setDescription(spec.description).setRequired(spec.required);
  switch (spec.type) {
    case 'string':
      builder.addStringOption((o) => {
        common(o);
        if (spec.autocomplete) o.setAutocomplete(true);
        if (spec.maxLength !== undefined) o.setMaxLength(spec.maxLength);
        for (const choice of spec.choices ?? [])
          o.addChoices({ name: choice.name, value: String(choice.value) });
        return o;
      });
      return;
    case 'integer':
      builder.addIntegerOption((o) => {
        common(o);
        if (spec.min !== undefined) o.setMinValue(spec.min);
        if (spec.max !== undefined) o.setMaxValue(spec.max);
        for (const choice of spec.choices ?? [])
          o.addChoices({ name: choice.name, value: Number(choice.value) });
        return o;
      });
      return;
    case 'boolean':
      builder.addBooleanOption((o) => common(o));
      return;
    case 'channel':
      builder.addChannelOption((o) => {
        common(o);
        o.addChannelTypes(...(spec.channelTypes ?? []));
        return o;
      });
      return;
    case 'role':
      builder.addRoleOption((o) => common(o));
      return;
  }
}
