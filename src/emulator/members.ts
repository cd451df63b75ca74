import {
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIApplicationCommandOptionChoice,
  type APIUser,
  ApplicationCommandOptionType,
  ComponentType,
  InteractionType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { Gateway } from './gateway.js';
import { type InteractionOutcome, type InteractionRegistry, PendingInteraction } from './interactions.js';
import type { EmulatedChannel, EmulatedGuild, World } from './model.js';
import { bits, type PermissionName } from './permissions.js';
import { MessageView, ModalView } from './views.js';

/** Option values a member types: strings, numbers, booleans, or a channel / member / role handle. */
export type OptionValue = string | number | boolean | { readonly id: string };

/** The interaction failed the way a member would see it fail ("The application did not respond"). */
export class InteractionFailed extends Error {
  override name = 'InteractionFailed';
}

/** What the member API needs from the emulator. */
export interface MemberDeps {
  readonly world: World;
  readonly gateway: Gateway;
  readonly interactions: InteractionRegistry;
  readonly commands: Map<string, APIApplicationCommand[]>;
  readonly ackDeadlineMs: number;
  readonly responseTimeoutMs: number;
  /** What interactions report as `attachment_size_limit`. */
  readonly fileSizeLimitBytes: number;
}

/** A text channel or thread, as a test reads it. */
export class ChannelHandle {
  constructor(
    readonly deps: MemberDeps,
    readonly channel: EmulatedChannel,
  ) {}

  get id(): string {
    return this.channel.data.id;
  }
  get name(): string {
    return this.channel.data.name;
  }

  /** The channel as every member sees it: messages that are not ephemeral, oldest first. */
  messages(): MessageView[] {
    return [...this.channel.messages.values()]
      .filter((m) => !m.deleted && !m.visibleTo)
      .map((m) => new MessageView(m.data, 'channel', this.channel.guildId));
  }

  /** Threads started in this channel. */
  threads(): ChannelHandle[] {
    return [...this.deps.world.channels.values()]
      .filter((c) => !c.deleted && 'parent_id' in c.data && c.data.parent_id === this.id)
      .map((c) => new ChannelHandle(this.deps, c));
  }

  /** Changes the bot's permissions in this channel, as a server admin would. */
  setBotPermissions(change: { allow?: readonly PermissionName[]; deny?: readonly PermissionName[] }): void {
    this.deps.world.setBotOverwrite(this.channel, change.allow ?? [], change.deny ?? []);
    this.deps.gateway.dispatch('CHANNEL_UPDATE', this.channel.data);
  }

  /** Deletes a message, as a moderator would. */
  deleteMessage(messageId: string): void {
    const message = this.channel.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId} in #${this.name}`);
    message.deleted = true;
    this.deps.gateway.dispatch('MESSAGE_DELETE', {
      id: messageId,
      channel_id: this.id,
      guild_id: this.channel.guildId,
    });
  }

  /** Deletes the channel. */
  delete(): void {
    this.channel.deleted = true;
    this.deps.gateway.dispatch('CHANNEL_DELETE', this.channel.data);
  }
}

/** A server, as a test sets it up. */
export class GuildHandle {
  constructor(
    readonly deps: MemberDeps,
    readonly guild: EmulatedGuild,
  ) {}

  get id(): string {
    return this.guild.id;
  }

  /** A channel by name. */
  channel(name: string): ChannelHandle {
    const channel = this.guild.channelIds
      .map((id) => this.deps.world.channels.get(id))
      .find((c) => c && !c.deleted && c.data.name === name);
    if (!channel) throw new Error(`no channel #${name} in ${this.guild.name}`);
    return new ChannelHandle(this.deps, channel);
  }

  addChannel(name: string): ChannelHandle {
    const channel = this.deps.world.createChannel(this.guild, name);
    this.deps.gateway.dispatch('CHANNEL_CREATE', channel.data);
    return new ChannelHandle(this.deps, channel);
  }

  /**
   * Adds a member. `permissions` are granted through a role of their own (for example `['ManageGuild']`
   * for a facilitator); everyone also has @everyone's defaults.
   */
  addMember(name: string, options: { permissions?: readonly PermissionName[] } = {}): Member {
    const { world } = this.deps;
    const user = world.createUser(name);
    const roles = options.permissions?.length
      ? [world.createRole(this.guild, `${name}'s role`, options.permissions).id]
      : [];
    world.addMember(this.guild, user, roles);
    this.deps.gateway.dispatch('GUILD_MEMBER_ADD', {
      ...world.memberPayload(this.guild, user.id),
      guild_id: this.guild.id,
    });
    return new Member(this.deps, this, user);
  }

  /**
   * Adds a role members can be given. Like a role made in Discord, it is not mentionable unless
   * `mentionable` says so: a ping of it then notifies its members only if the bot has Mention Everyone.
   */
  addRole(
    name: string,
    permissions: readonly PermissionName[] = [],
    options: { readonly mentionable?: boolean } = {},
  ): { readonly id: string; readonly name: string } {
    const world = this.deps.world;
    const role = world.createRole(this.guild, name, permissions, world.newId(), options.mentionable ?? false);
    this.deps.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: this.guild.id, role });
    return { id: role.id, name: role.name };
  }

  /** Turns a role's "Allow anyone to @mention this role" on or off, as a server admin would. */
  setRoleMentionable(roleId: string, mentionable: boolean): void {
    const role = this.guild.roles.get(roleId);
    if (!role) throw new Error(`no role ${roleId}`);
    const updated = { ...role, mentionable };
    this.guild.roles.set(roleId, updated);
    this.deps.gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id: this.guild.id, role: updated });
  }

  removeMember(member: Member): void {
    this.guild.members.delete(member.id);
    this.deps.gateway.dispatch('GUILD_MEMBER_REMOVE', { guild_id: this.guild.id, user: member.user });
  }

  /** Kicks the bot from the server: GUILD_DELETE, and the server's channels answer 403 from then on. */
  removeBot(): void {
    this.guild.botPresent = false;
    this.deps.gateway.dispatch('GUILD_DELETE', { id: this.guild.id });
  }
}

/** A member who types commands and clicks buttons, and sees what the bot answers. */
export class Member {
  constructor(
    readonly deps: MemberDeps,
    readonly guild: GuildHandle,
    readonly user: APIUser,
  ) {}

  get id(): string {
    return this.user.id;
  }
  get name(): string {
    return this.user.username;
  }

  /** Gives the member a role (from `GuildHandle.addRole`), as a server admin would. */
  giveRole(roleId: string): void {
    const member = this.guild.guild.members.get(this.id);
    if (!member || !this.guild.guild.roles.has(roleId)) throw new Error(`no role ${roleId} for ${this.name}`);
    if (!member.roles.includes(roleId)) member.roles.push(roleId);
    this.deps.gateway.dispatch('GUILD_MEMBER_UPDATE', {
      ...this.deps.world.memberPayload(this.guild.guild, this.id),
      guild_id: this.guild.guild.id,
    });
  }

  /**
   * Runs a slash command ("excerpt", or "schedule setup" for a subcommand) in a channel (the server's
   * first channel by default) and resolves with what the member sees. Rejects with `InteractionFailed`
   * when the bot does not acknowledge in time, as the member would see it fail.
   */
  async run(
    command: string,
    options: Readonly<Record<string, OptionValue>> = {},
    where?: ChannelHandle,
  ): Promise<MessageView> {
    const data = this.#commandData(command, options);
    return this.#expectMessage(
      await this.#send(InteractionType.ApplicationCommand, where ?? this.#defaultChannel(), data),
    );
  }

  /** Types into an option and returns the suggestions the bot offers. */
  async autocomplete(
    command: string,
    options: Readonly<Record<string, OptionValue>>,
    focused: string,
    where?: ChannelHandle,
  ): Promise<APIApplicationCommandOptionChoice[]> {
    const data = this.#commandData(command, options, focused);
    const outcome = await this.#send(
      InteractionType.ApplicationCommandAutocomplete,
      where ?? this.#defaultChannel(),
      data,
    );
    if (outcome.kind === 'failed') throw new InteractionFailed(outcome.reason);
    if (outcome.kind !== 'choices') throw new Error(`expected autocomplete choices, got ${outcome.kind}`);
    return [...(outcome.choices ?? [])];
  }

  /** Clicks the button labelled `label` on a message the member can see. */
  async click(message: MessageView, label: string): Promise<MessageView> {
    const current = this.#current(message);
    const button = current.buttons.find((b) => b.label === label);
    if (!button)
      throw new Error(
        `no button "${label}" on the message (buttons: ${current.buttons.map((b) => b.label).join(', ')})`,
      );
    if (button.disabled) throw new Error(`the "${label}" button is disabled`);
    const data = { custom_id: button.customId, component_type: ComponentType.Button };
    return this.#expectMessage(
      await this.#send(InteractionType.MessageComponent, this.#channelOf(current), data, current),
    );
  }

  /** Clicks a button whose answer is a form (a modal) and returns the form, to fill in and `submit`. */
  async clickForForm(message: MessageView, label: string): Promise<ModalView> {
    const current = this.#current(message);
    const button = current.buttons.find((b) => b.label === label);
    if (!button) throw new Error(`no button "${label}" on the message`);
    const data = { custom_id: button.customId, component_type: ComponentType.Button };
    const channel = this.#channelOf(current);
    return this.#expectModal(
      await this.#send(InteractionType.MessageComponent, channel, data, current),
      channel,
      current,
    );
  }

  /** Runs a slash command whose answer is a form (a modal). */
  async runForForm(
    command: string,
    options: Readonly<Record<string, OptionValue>> = {},
    where?: ChannelHandle,
  ): Promise<ModalView> {
    const channel = where ?? this.#defaultChannel();
    const data = this.#commandData(command, options);
    return this.#expectModal(await this.#send(InteractionType.ApplicationCommand, channel, data), channel);
  }

  /**
   * Messages that notified this member (a mention of them, of a role they hold, or @everyone that was
   * allowed to notify), newest last: what Discord's inbox and push notifications would show.
   */
  notifications(): MessageView[] {
    const guild = this.guild.guild;
    return guild.channelIds
      .flatMap((id) => [...(this.deps.world.channels.get(id)?.messages.values() ?? [])])
      .filter((m) => !m.deleted && m.notified.users.includes(this.id))
      .sort((a, b) => (BigInt(a.data.id) < BigInt(b.data.id) ? -1 : 1))
      .map((m) => new MessageView(m.data, 'channel', guild.id));
  }

  /** Picks `values` in the message's select menu (the first one unless `index` says otherwise). */
  async select(message: MessageView, values: readonly string[], index = 0): Promise<MessageView> {
    const current = this.#current(message);
    const select = current.selects[index];
    if (!select) throw new Error('no select menu on the message');
    for (const value of values) {
      if (!select.options.some((o) => o.value === value))
        throw new Error(`"${value}" is not an option of the select menu`);
    }
    const data = {
      custom_id: select.custom_id,
      component_type: ComponentType.StringSelect,
      values: [...values],
    };
    return this.#expectMessage(
      await this.#send(InteractionType.MessageComponent, this.#channelOf(current), data, current),
    );
  }

  /**
   * Votes in a native poll for the answer with this text (or 1-based answer id), as a member clicking it:
   * MESSAGE_POLL_VOTE_ADD goes to a bot with the GuildMessagePolls intent. A single-choice poll moves the
   * vote, removing the previous one first.
   */
  vote(message: MessageView, answer: string | number): void {
    const { poll, channel } = this.#poll(message);
    const answerId = typeof answer === 'number' ? answer : poll.answers.find((a) => a.text === answer)?.id;
    if (answerId === undefined || !poll.answers.some((a) => a.id === answerId))
      throw new Error(`no poll answer "${answer}"`);
    if (!poll.allowMultiselect) {
      for (const [id, voters] of poll.votes)
        if (id !== answerId && voters.has(this.id)) this.unvote(message, id);
    }
    const voters = poll.votes.get(answerId) ?? new Set<string>();
    if (voters.has(this.id)) return;
    voters.add(this.id);
    poll.votes.set(answerId, voters);
    this.#pollChanged(channel, message.id, answerId, 'MESSAGE_POLL_VOTE_ADD');
  }

  /** Takes back a vote in a native poll. */
  unvote(message: MessageView, answerId: number): void {
    const { poll, channel } = this.#poll(message);
    if (!poll.votes.get(answerId)?.delete(this.id)) return;
    this.#pollChanged(channel, message.id, answerId, 'MESSAGE_POLL_VOTE_REMOVE');
  }

  #poll(message: MessageView) {
    const channel = this.deps.world.channels.get(message.channelId);
    const poll = this.deps.world.polls.get(message.id);
    if (!channel || !poll) throw new Error('that message has no poll');
    if (poll.finalized || poll.expiresAt <= this.deps.world.now()) throw new Error('the poll has closed');
    return { poll, channel };
  }

  #pollChanged(channel: EmulatedChannel, messageId: string, answerId: number, event: string): void {
    const { world, gateway } = this.deps;
    const stored = channel.messages.get(messageId);
    const poll = world.polls.get(messageId);
    if (stored && poll)
      stored.data = { ...stored.data, poll: world.pollPayload(poll, stored.data.poll?.question.text ?? '') };
    gateway.dispatch(event, {
      user_id: this.id,
      channel_id: channel.data.id,
      message_id: messageId,
      guild_id: channel.guildId,
      answer_id: answerId,
    });
  }

  /** Messages in a channel as this member sees them: everyone's plus their own ephemeral ones. */
  sees(channel: ChannelHandle): MessageView[] {
    return [...channel.channel.messages.values()]
      .filter((m) => !m.deleted && (!m.visibleTo || m.visibleTo === this.id))
      .map((m) => new MessageView(m.data, 'channel', channel.channel.guildId));
  }

  /** The `data` of a command interaction: "schedule setup" with typed options, checked against the definition. */
  #commandData(
    command: string,
    options: Readonly<Record<string, OptionValue>>,
    focused?: string,
  ): Record<string, unknown> {
    const [name = '', ...path] = command.split(' ');
    const definition = this.#command(name);
    return {
      id: definition.id,
      name: definition.name,
      type: 1,
      options: buildOptions(definition.options ?? [], path, options, focused),
      ...(definition.guild_id ? { guild_id: definition.guild_id } : {}),
      ...this.#resolved(options),
    };
  }

  #defaultChannel(): ChannelHandle {
    const first = this.guild.guild.channelIds
      .map((id) => this.deps.world.channels.get(id))
      .find((c) => c && !c.deleted);
    if (!first) throw new Error('the server has no channel');
    return new ChannelHandle(this.deps, first);
  }

  #command(name: string): APIApplicationCommand {
    const found =
      this.deps.commands.get(this.guild.id)?.find((c) => c.name === name) ??
      this.deps.commands.get('')?.find((c) => c.name === name);
    if (!found)
      throw new Error(
        `/${name} is not registered in ${this.guild.guild.name}; has the bot deployed its commands?`,
      );
    return found;
  }

  #current(message: MessageView): MessageView {
    const stored = this.deps.world.channels.get(message.channelId)?.messages.get(message.id);
    if (!stored || stored.deleted) throw new Error('that message no longer exists');
    if (stored.visibleTo && stored.visibleTo !== this.id)
      throw new Error(`${this.name} cannot see that ephemeral message`);
    return new MessageView(stored.data, message.via, message.guildId);
  }

  #channelOf(message: MessageView): ChannelHandle {
    const channel = this.deps.world.channels.get(message.channelId);
    if (!channel) throw new Error('the message has no channel');
    return new ChannelHandle(this.deps, channel);
  }

  #resolved(options: Readonly<Record<string, OptionValue>>): { resolved?: Record<string, unknown> } {
    const { world } = this.deps;
    const users: Record<string, unknown> = {};
    const channels: Record<string, unknown> = {};
    const roles: Record<string, unknown> = {};
    for (const value of Object.values(options)) {
      if (typeof value !== 'object') continue;
      const user = world.users.get(value.id);
      const channel = world.channels.get(value.id);
      const role = this.guild.guild.roles.get(value.id);
      if (user) users[value.id] = user;
      if (channel) channels[value.id] = { ...channel.data, permissions: '0' };
      if (role) roles[value.id] = role;
    }
    const resolved = {
      ...(Object.keys(users).length ? { users } : {}),
      ...(Object.keys(channels).length ? { channels } : {}),
      ...(Object.keys(roles).length ? { roles } : {}),
    };
    return Object.keys(resolved).length ? { resolved } : {};
  }

  async #send(
    type: InteractionType,
    where: ChannelHandle,
    data: unknown,
    source?: MessageView,
  ): Promise<InteractionOutcome> {
    const { world, gateway, interactions } = this.deps;
    const channel = where.channel;
    const memberPermissions = world.permissions(this.id, channel);
    const needed = bits(['ViewChannel', 'UseApplicationCommands']);
    if (
      (memberPermissions & needed) !== needed &&
      (memberPermissions & PermissionFlagsBits.Administrator) === 0n
    ) {
      throw new Error(`${this.name} cannot use commands in #${where.name}`);
    }
    const pending = new PendingInteraction(
      world.newId(),
      type,
      channel.data.id,
      this.id,
      world.now(),
      this.deps.ackDeadlineMs,
      source?.id,
    );
    interactions.add(pending);
    const guild = this.guild.guild;
    gateway.dispatch('INTERACTION_CREATE', {
      id: pending.id,
      application_id: world.applicationId,
      type,
      data,
      guild_id: guild.id,
      guild: { id: guild.id, locale: 'en-US', features: [] },
      channel: { ...channel.data, permissions: memberPermissions.toString() },
      channel_id: channel.data.id,
      member: { ...world.memberPayload(guild, this.id), permissions: memberPermissions.toString() },
      token: pending.token,
      version: 1,
      app_permissions: world.permissions(world.bot.id, channel).toString(),
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      // interactions/receiving-and-responding.mdx, "Interaction Structure": the largest file the member's
      // context allows; 10 MiB without Nitro or server boosts (change-log.mdx, 2025-01-16).
      attachment_size_limit: this.deps.fileSizeLimitBytes,
      ...(source ? { message: source.data } : {}),
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`the bot acknowledged but gave no answer within ${this.deps.responseTimeoutMs} ms`),
          ),
        this.deps.responseTimeoutMs,
      );
    });
    try {
      return await Promise.race([pending.outcome, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The form the bot answered with. Submitting it sends MODAL_SUBMIT with each text input's value
   * (interactions/receiving-and-responding.mdx, "Modal Submit Data Structure"); a required input left
   * empty, or a value over its max_length, cannot be submitted, as Discord's client refuses it.
   */
  #expectModal(outcome: InteractionOutcome, channel: ChannelHandle, source?: MessageView): ModalView {
    if (outcome.kind === 'failed') throw new InteractionFailed(outcome.reason);
    if (outcome.kind !== 'modal') throw new Error(`expected a form (modal), got ${outcome.kind}`);
    const modal = outcome.modal;
    return new ModalView(modal, async (values) => {
      const inputs = modalInputs(modal);
      for (const [customId, value] of Object.entries(values)) {
        const input = inputs.find((i) => i.custom_id === customId);
        if (!input) throw new Error(`the form has no field "${customId}"`);
        if (input.max_length !== undefined && value.length > input.max_length)
          throw new Error(`"${customId}" takes at most ${input.max_length} characters`);
      }
      for (const input of inputs) {
        if ((input.required ?? true) && !values[input.custom_id])
          throw new Error(`the form needs "${input.custom_id}"`);
      }
      const data = {
        custom_id: modal.custom_id,
        components: inputs.map((input) => ({
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.TextInput,
              custom_id: input.custom_id,
              value: values[input.custom_id] ?? '',
            },
          ],
        })),
      };
      return this.#expectMessage(await this.#send(InteractionType.ModalSubmit, channel, data, source));
    });
  }

  #expectMessage(outcome: InteractionOutcome): MessageView {
    if (outcome.kind === 'failed') throw new InteractionFailed(outcome.reason);
    if (outcome.kind !== 'message') throw new Error(`expected a message, got ${outcome.kind}`);
    const stored = this.deps.world.channels.get(outcome.channelId)?.messages.get(outcome.messageId);
    if (!stored) throw new Error('the bot answered with a message the emulator does not have');
    return new MessageView(stored.data, outcome.via, this.guild.id);
  }
}

/**
 * Builds interaction options from what a member typed, checked against the registered definition the way
 * Discord's client checks them: unknown options, wrong types, values outside choices or ranges, and missing
 * required options cannot be sent, so they throw here.
 */
function buildOptions(
  definitions: readonly APIApplicationCommandOption[],
  path: readonly string[],
  values: Readonly<Record<string, OptionValue>>,
  focused?: string,
): APIApplicationCommandInteractionDataOption[] {
  const [head, ...rest] = path;
  if (head !== undefined) {
    const sub = definitions.find(
      (d) =>
        d.name === head &&
        (d.type === ApplicationCommandOptionType.Subcommand ||
          d.type === ApplicationCommandOptionType.SubcommandGroup),
    );
    if (!sub) throw new Error(`no subcommand "${head}"`);
    const options = 'options' in sub ? ((sub.options ?? []) as APIApplicationCommandOption[]) : [];
    return [
      { type: sub.type, name: sub.name, options: buildOptions(options, rest, values, focused) } as never,
    ];
  }
  if (definitions.some((d) => d.type === ApplicationCommandOptionType.Subcommand))
    throw new Error('choose a subcommand');
  const built: APIApplicationCommandInteractionDataOption[] = [];
  for (const [name, raw] of Object.entries(values)) {
    const definition = definitions.find((d) => d.name === name);
    if (!definition)
      throw new Error(`no option "${name}" (options: ${definitions.map((d) => d.name).join(', ')})`);
    const value = typeof raw === 'object' ? raw.id : raw;
    if (name !== focused) checkValue(definition, value);
    built.push({
      name,
      type: definition.type,
      value,
      ...(name === focused ? { focused: true } : {}),
    } as never);
  }
  if (focused === undefined) {
    for (const definition of definitions) {
      if ('required' in definition && definition.required && !(definition.name in values)) {
        throw new Error(`the required option "${definition.name}" is missing`);
      }
    }
  }
  return built;
}

function checkValue(definition: APIApplicationCommandOption, value: string | number | boolean): void {
  const fail = (why: string) => {
    throw new Error(`option "${definition.name}": ${why}`);
  };
  switch (definition.type) {
    case ApplicationCommandOptionType.String:
      if (typeof value !== 'string') fail('must be text');
      if (definition.min_length !== undefined && String(value).length < definition.min_length)
        fail('too short');
      if (definition.max_length !== undefined && String(value).length > definition.max_length)
        fail('too long');
      break;
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number:
      if (
        typeof value !== 'number' ||
        (definition.type === ApplicationCommandOptionType.Integer && !Number.isInteger(value))
      ) {
        fail('must be a number');
      }
      if (definition.min_value !== undefined && Number(value) < definition.min_value)
        fail(`below ${definition.min_value}`);
      if (definition.max_value !== undefined && Number(value) > definition.max_value)
        fail(`above ${definition.max_value}`);
      break;
    case ApplicationCommandOptionType.Boolean:
      if (typeof value !== 'boolean') fail('must be true or false');
      break;
    default:
      if (typeof value !== 'string') fail('must be an id');
  }
  const choices = 'choices' in definition ? definition.choices : undefined;
  if (choices?.length && !choices.some((c: APIApplicationCommandOptionChoice) => c.value === value)) {
    fail(`must be one of ${choices.map((c: APIApplicationCommandOptionChoice) => c.value).join(', ')}`);
  }
}

/** The text inputs of a modal, in its action rows or in labels. */
function modalInputs(
  modal: import('discord-api-types/v10').APIModalInteractionResponseCallbackData,
): { custom_id: string; required?: boolean; max_length?: number }[] {
  const found: { custom_id: string; required?: boolean; max_length?: number }[] = [];
  const visit = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    const component = node as {
      type?: number;
      custom_id?: string;
      components?: unknown[];
      component?: unknown;
    };
    if (component.type === ComponentType.TextInput && component.custom_id)
      found.push(component as { custom_id: string; required?: boolean; max_length?: number });
    for (const child of component.components ?? []) visit(child);
    visit(component.component);
  };
  for (const row of modal.components) visit(row);
  return found;
}
