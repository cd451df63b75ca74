import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  ChannelType,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  DiscordAPIError,
  type Interaction,
  MessageFlags,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RepliableInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import {
  answerComponent,
  answerCommand as answerWith,
  type CommandContext,
  type CommandModule,
  componentRoutes,
  defineAll,
  type RawArgs,
  readComponent,
} from '../command.js';
import type { ChannelKind } from '../core/access.js';
import type { Corpus } from '../core/corpus/types.js';
import type { CommandMentions } from '../core/mentions.js';
import {
  threadAlreadyOpen,
  threadForbidden,
  threadOpened,
  threadOpenedWithoutStarter,
} from '../core/replies/threads.js';
import { notice, type Outcome, type Reply } from '../core/reply.js';
import type { CorpusSearch } from '../core/search.js';
import type { InteractionLoad } from '../load.js';
import type { Logger } from '../logger.js';
import type { InteractionKind, InteractionOutcome, Metrics } from '../observability/metrics.js';
import type { PollService } from '../polls/service.js';
import { type State, StorageError } from '../state/index.js';
import { DISCORD_CODES } from './codes.js';
import { type RenderedMessage, render, renderChoices } from './render.js';
import { startThread } from './threads.js';

/** What the dispatcher needs; everything time- or chance-dependent is injected. */
export interface DispatchDeps {
  readonly commands: readonly CommandModule[];
  readonly corpus: Corpus;
  readonly search: CorpusSearch;
  readonly state: State;
  readonly polls: PollService;
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly random: () => number;
  readonly mentions: CommandMentions;
  /** Interactions in hand, shared with the scheduler, which holds back while members are waiting. */
  readonly load: InteractionLoad;
  /** For requests other than interaction responses (opening a thread), which count against the global limit. */
  readonly rest: REST;
  /** Counts interactions by kind, name and outcome, with their latency; absent when no port is configured. */
  readonly metrics?: Pick<Metrics, 'interactionAnswered'>;
}

/**
 * Discord wants an acknowledgement within 3 s of sending the interaction, and the network takes its share
 * of that on the way in (the gateway) and out (the callback): with a few hundred milliseconds each way,
 * acknowledging after 1.5 s of work leaves room. Past this, the dispatcher acknowledges first.
 */
const DEFER_AFTER_MS = 1500;
/** Autocomplete cannot be deferred; an answer later than this is dropped (same network margin). */
const AUTOCOMPLETE_BUDGET_MS = 1500;

const OLDER_VERSION = notice(
  'This button is from an older version of Crux. Run the command again for a fresh one.',
);

/**
 * Builds the interaction handler: it routes each interaction to its command module, reads options and
 * custom ids against their declarations, checks who may act, renders the plain reply, and answers Discord
 * the right way (reply, defer then edit, update, follow-up). It is also the one error boundary: a
 * `UserError` becomes a private notice; anything else is logged with the interaction id and the member
 * sees a short private message with that id as a reference.
 */
export function createDispatcher(deps: DispatchDeps): {
  readonly definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  handle(interaction: Interaction): Promise<void>;
} {
  const definitions = defineAll(deps.commands, deps.corpus);
  const byName = new Map(deps.commands.map((module) => [module.name, module]));
  const routes = componentRoutes(deps.commands);

  const context = (interaction: RepliableInteraction | AutocompleteInteraction): CommandContext => ({
    interactionId: interaction.id,
    guildId: interaction.guildId ?? '',
    channelId: interaction.channelId ?? '',
    channelKind: channelKind(interaction),
    userId: interaction.user.id,
    now: deps.clock(),
    permissions: {
      member: new Set(interaction.memberPermissions?.toArray() ?? []),
      bot: new Set(interaction.appPermissions?.toArray() ?? []),
    },
    memberRoles: memberRoleIds(interaction),
    botPermissionsIn: (channelId) => {
      const channel = interaction.guild?.channels.cache.get(channelId);
      const me = interaction.guild?.members.me;
      return channel && me ? new Set(channel.permissionsFor(me).toArray()) : undefined;
    },
    roleMentionable: (roleId) => interaction.guild?.roles.cache.get(roleId)?.mentionable,
    attachmentSizeLimit: interaction.attachmentSizeLimit,
    isServerTextChannel: (channelId) => {
      // Resolved options can add another server's channel to this server's cache: check whose it is.
      const channel = interaction.guild?.channels.cache.get(channelId);
      return channel?.type === ChannelType.GuildText && channel.guildId === interaction.guildId;
    },
    corpus: deps.corpus,
    search: deps.search,
    state: deps.state,
    polls: deps.polls,
    random: deps.random,
    mentions: deps.mentions,
    commands: definitions,
    ...('message' in interaction && interaction.message
      ? {
          message: {
            id: interaction.message.id,
            ephemeral: interaction.message.flags.has(MessageFlags.Ephemeral),
          },
        }
      : {}),
  });

  const handleCommand = async (interaction: ChatInputCommandInteraction) => {
    const module = byName.get(interaction.commandName);
    if (!module) {
      await interaction.reply(
        render(notice('That command is not available any more. Type `/` to see what Crux offers.')),
      );
      return;
    }
    const read = module.read(deps.corpus, flattenOptions(interaction.options.data));
    if ('problem' in read) {
      await interaction.reply(render(notice(read.problem)));
      return;
    }
    // Discord cannot make a public "thinking…" message private later, so defer with the reply's visibility.
    const privately = module.replyPrivately(read.args);
    const deferral = deferIfSlow(() => {
      deferredPrivately.set(interaction, privately);
      return interaction.deferReply(privately ? { flags: MessageFlags.Ephemeral } : {});
    }, deferAfter());
    let reply: Reply;
    try {
      reply = await answerWith(module, read, context(interaction));
    } finally {
      await deferral.settle();
    }
    await answerCommand(interaction, render(reply), deferral.started);
  };

  const handleAutocomplete = async (interaction: AutocompleteInteraction) => {
    const module = byName.get(interaction.commandName);
    const focused = interaction.options.getFocused(true);
    const others = flattenOptions(interaction.options.data.filter((option) => !option.focused));
    const choices = module?.autocomplete
      ? await withTimeout(
          module.autocomplete(
            { name: focused.name, value: String(focused.value) },
            others,
            context(interaction),
          ),
          AUTOCOMPLETE_BUDGET_MS,
        )
      : [];
    await interaction.respond(renderChoices(choices ?? []));
  };

  const handleComponent = async (interaction: ButtonInteraction | StringSelectMenuInteraction) => {
    const read = readComponent(
      routes,
      interaction.customId,
      interaction.isStringSelectMenu() ? interaction.values : [],
    );
    if (!read) {
      await interaction.reply(render(OLDER_VERSION));
      return;
    }
    const { route, params } = read;
    // Deferring an update shows nothing, so it suits every outcome: edit, new reply or thread.
    const deferral = deferIfSlow(() => interaction.deferUpdate(), deferAfter());
    let outcome: Outcome;
    try {
      outcome = await answerComponent(route, params, context(interaction));
    } finally {
      await deferral.settle();
    }
    await applyOutcome(interaction, outcome, deferral.started);
  };

  const applyOutcome = async (
    interaction: ButtonInteraction | StringSelectMenuInteraction,
    outcome: Outcome,
    acknowledged: boolean,
  ) => {
    if (outcome.type === 'update') {
      const { flags: _ephemeral, ...edit } = render(outcome.reply);
      try {
        await (acknowledged ? interaction.editReply(edit) : interaction.update(edit));
      } catch (error) {
        if (!(error instanceof DiscordAPIError && error.code === DISCORD_CODES.unknownMessage)) throw error;
        // The message was deleted while the member clicked: the answer still reaches them, privately.
        deps.logger.info(
          { interactionId: interaction.id },
          'message gone before its update; answered privately',
        );
        const payload = render({ ...outcome.reply, ephemeral: true });
        await (acknowledged ? interaction.followUp(payload) : interaction.reply(payload));
      }
      return;
    }
    if (outcome.type === 'reply') {
      const payload = render(outcome.reply);
      await (acknowledged ? interaction.followUp(payload) : interaction.reply(payload));
      return;
    }
    const answer = await openDiscussion(interaction, outcome.name, outcome.starter);
    await (acknowledged ? interaction.followUp(render(answer)) : interaction.reply(render(answer)));
  };

  /** Opens a discussion thread on the component's message and answers the member with how it went. */
  const openDiscussion = async (
    interaction: ButtonInteraction | StringSelectMenuInteraction,
    name: string,
    starter: Reply | undefined,
  ): Promise<Reply> => {
    const message = interaction.message;
    if (message.thread) return threadAlreadyOpen(`<#${message.thread.id}>`);
    const opened = await startThread(deps.rest, message.channelId, message.id, name, starter);
    switch (opened.kind) {
      case 'exists':
        return threadAlreadyOpen(`<#${opened.threadId}>`);
      case 'forbidden':
        deps.logger.info({ interactionId: interaction.id }, 'thread refused for missing permissions');
        return threadForbidden(new Set(interaction.appPermissions?.toArray() ?? []));
      case 'opened':
        return threadOpened(`<#${opened.threadId}>`);
      case 'no-starter':
        // The thread exists and people can talk in it; only its first message is missing.
        deps.logger.error(
          { err: opened.error, interactionId: interaction.id, threadId: opened.threadId },
          'thread starter failed',
        );
        return threadOpenedWithoutStarter(`<#${opened.threadId}>`, interaction.id);
    }
  };

  /** How long to wait before acknowledging: at once when the bot is busy, else only if the work is slow. */
  const deferAfter = () => (deps.load.busy ? 0 : DEFER_AFTER_MS);

  const handle = async (interaction: Interaction) => {
    const done = deps.load.begin();
    const startedAt = performance.now();
    let outcome: InteractionOutcome = 'answered';
    try {
      if (interaction.isChatInputCommand()) await handleCommand(interaction);
      else if (interaction.isAutocomplete()) await handleAutocomplete(interaction);
      else if (interaction.isButton() || interaction.isStringSelectMenu()) await handleComponent(interaction);
      deps.logger.debug(
        {
          interactionId: interaction.id,
          guildId: interaction.guildId,
          what: interaction.isCommand()
            ? interaction.commandName
            : 'customId' in interaction
              ? interaction.customId
              : interaction.type,
          ms: Math.round(performance.now() - startedAt),
        },
        'interaction answered',
      );
    } catch (error) {
      if (isGone(error)) {
        // The channel was deleted (or the interaction expired) while the bot worked: there is no one left
        // to answer there, and nothing to apologise for.
        deps.logger.info(
          { interactionId: interaction.id, guildId: interaction.guildId, code: error.code },
          'interaction’s channel or token gone before the answer',
        );
        outcome = 'gone';
        return;
      }
      outcome = error instanceof StorageError ? 'storage_error' : 'failed';
      // A store that is down is an outage to report, not a bug to page someone about.
      const log = error instanceof StorageError ? deps.logger.warn : deps.logger.error;
      log.call(
        deps.logger,
        { err: error, interactionId: interaction.id, guildId: interaction.guildId },
        'interaction failed',
      );
      await apologize(interaction, error).catch((apologyError: unknown) =>
        deps.logger.warn(
          { err: apologyError, interactionId: interaction.id },
          'could not tell the member about the failure',
        ),
      );
    } finally {
      done();
      const [kind, name] = metricsLabels(interaction);
      deps.metrics?.interactionAnswered(kind, name, outcome, (performance.now() - startedAt) / 1000);
    }
  };

  return { definitions, handle };
}

/**
 * An interaction's kind and name for the metrics: the command's name, or a component's declared command and
 * action (the custom id's first two parts), never its parameters or anything a member typed.
 */
function metricsLabels(interaction: Interaction): [InteractionKind, string] {
  if (interaction.isAutocomplete()) return ['autocomplete', interaction.commandName];
  if (interaction.isCommand()) return ['command', interaction.commandName];
  if ('customId' in interaction) return ['component', interaction.customId.split(':').slice(0, 2).join(':')];
  return ['component', 'other'];
}

/** How each deferred slash command was deferred: privately or in the channel. */
const deferredPrivately = new WeakMap<Interaction, boolean>();

/**
 * Sends a slash command's answer. After a defer, the answer replaces the "thinking…" placeholder when
 * their visibility matches; otherwise the placeholder is deleted and the answer follows up, because a
 * follow-up to a deferred reply would otherwise fill the placeholder and take its visibility.
 */
async function answerCommand(
  interaction: ChatInputCommandInteraction,
  payload: RenderedMessage,
  deferred: boolean,
): Promise<void> {
  if (!deferred) {
    await interaction.reply(payload);
    return;
  }
  const { flags: _flags, ...edit } = payload;
  if ((deferredPrivately.get(interaction) ?? false) === (payload.flags !== undefined)) {
    await interaction.editReply(edit);
    return;
  }
  await interaction.deleteReply();
  await interaction.followUp(payload);
}

/** Whether Discord said the interaction can no longer be answered: its channel, or its token, is gone. */
function isGone(error: unknown): error is DiscordAPIError {
  return (
    error instanceof DiscordAPIError &&
    (error.code === DISCORD_CODES.unknownChannel || error.code === DISCORD_CODES.unknownInteraction)
  );
}

/** Tells the member something went wrong, through whichever response the interaction still allows. */
async function apologize(interaction: Interaction, error: unknown): Promise<void> {
  if (interaction.isAutocomplete()) {
    if (!interaction.responded) await interaction.respond([]);
    return;
  }
  if (!interaction.isRepliable()) return;
  const payload = render(
    notice(
      error instanceof StorageError
        ? `I can't reach my storage right now, so I can't confirm this went through. Please try again in a minute; everything saved before is safe. (ref ${interaction.id})`
        : `Something went wrong on my side (ref ${interaction.id}). Please try again; if it keeps happening, give a moderator that ref.`,
    ),
  );
  if (!interaction.replied && !interaction.deferred) await interaction.reply(payload);
  else if (interaction.isChatInputCommand() && !interaction.replied)
    await answerCommand(interaction, payload, true);
  else await interaction.followUp(payload);
}

/**
 * Flattens options into plain arguments: `{ subcommand, group, ...values }`. Users, channels and roles
 * arrive as their ids.
 */
export function flattenOptions(options: readonly CommandInteractionOption[]): RawArgs {
  const args: Record<string, string | number | boolean | undefined> = {};
  for (const option of options) {
    if (option.type === ApplicationCommandOptionType.SubcommandGroup) {
      args.group = option.name;
      Object.assign(args, flattenOptions(option.options ?? []));
    } else if (option.type === ApplicationCommandOptionType.Subcommand) {
      args.subcommand = option.name;
      Object.assign(args, flattenOptions(option.options ?? []));
    } else {
      args[option.name] = option.value;
    }
  }
  return args;
}

function memberRoleIds(interaction: RepliableInteraction | AutocompleteInteraction): string[] {
  const roles = interaction.member?.roles;
  if (!roles) return [];
  return Array.isArray(roles) ? [...roles] : [...roles.cache.keys()];
}

function channelKind(interaction: RepliableInteraction | AutocompleteInteraction): ChannelKind {
  const channel = interaction.channel;
  if (!channel) return 'other';
  if (channel.isThread()) return 'thread';
  return channel.isTextBased() && !channel.isDMBased() && !channel.isVoiceBased() ? 'text' : 'other';
}

/**
 * Acknowledges an interaction if the work takes longer than Discord's patience allows, or at once when the
 * bot is busy (a queue of interactions, or scheduled posts under way, could make a later acknowledgement too
 * late). `settle` waits for an acknowledgement already in flight, so the answer never races it (a second
 * acknowledgement is refused), and throws if it failed.
 */
function deferIfSlow(
  defer: () => Promise<unknown>,
  afterMs: number,
): { readonly started: boolean; settle(): Promise<void> } {
  let pending: Promise<void> | undefined;
  let acknowledged = false;
  let failure: { readonly error: unknown } | undefined;
  const timer = setTimeout(() => {
    // Kept, not thrown here: a failed acknowledgement (a deleted channel, an expired token) surfaces through
    // `settle`, where the interaction's handler gives it its outcome, never as an unhandled rejection.
    pending = defer().then(
      () => {
        acknowledged = true;
      },
      (error: unknown) => {
        failure = { error };
      },
    );
  }, afterMs);
  return {
    get started() {
      return acknowledged;
    },
    async settle() {
      clearTimeout(timer);
      await pending;
      if (failure) throw failure.error;
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
