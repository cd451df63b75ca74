import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIMessage,
  type APIStringSelectComponent,
  ComponentType,
  MessageFlags,
} from 'discord-api-types/v10';

/** A button as a member sees it. */
export interface ButtonView {
  readonly label: string;
  readonly customId: string;
  readonly disabled: boolean;
}

/**
 * A message as a member sees it, for tests: content, embeds, components, poll, whether it is ephemeral,
 * and how it arrived (a new reply, an update of the clicked message, a follow-up, or a channel post).
 */
export class MessageView {
  constructor(
    readonly data: APIMessage,
    readonly via: 'reply' | 'update' | 'followup' | 'channel',
    readonly guildId: string,
  ) {}

  get id(): string {
    return this.data.id;
  }
  get channelId(): string {
    return this.data.channel_id;
  }
  get content(): string {
    return this.data.content;
  }
  get embeds(): readonly APIEmbed[] {
    return this.data.embeds;
  }
  get poll(): APIMessage['poll'] {
    return this.data.poll;
  }
  get ephemeral(): boolean {
    return ((this.data.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
  }
  get attachments(): APIMessage['attachments'] {
    return this.data.attachments;
  }
  /** The id of the thread started from this message, if any. */
  get threadId(): string | undefined {
    return this.data.thread?.id;
  }

  /** Every button, in order. */
  get buttons(): ButtonView[] {
    return this.#rows().flatMap((row) =>
      row.components.flatMap((component) =>
        component.type === ComponentType.Button && 'custom_id' in component
          ? [
              {
                label: component.label ?? '',
                customId: (component as APIButtonComponentWithCustomId).custom_id,
                disabled: component.disabled ?? false,
              },
            ]
          : [],
      ),
    );
  }

  /** Every string select menu, in order. */
  get selects(): APIStringSelectComponent[] {
    return this.#rows().flatMap((row) =>
      row.components.filter((c): c is APIStringSelectComponent => c.type === ComponentType.StringSelect),
    );
  }

  /** All the text a member reads, for assertions: content, then each embed's parts. */
  get text(): string {
    return [
      this.content,
      ...this.embeds.flatMap((embed) => [
        embed.author?.name,
        embed.title,
        embed.description,
        ...(embed.fields ?? []).flatMap((f) => [f.name, f.value]),
        embed.footer?.text,
      ]),
    ]
      .filter(Boolean)
      .join('\n');
  }

  #rows(): APIActionRowComponent<APIComponentInMessageActionRow>[] {
    return (this.data.components ?? []).filter(
      (c): c is APIActionRowComponent<APIComponentInMessageActionRow> => c.type === ComponentType.ActionRow,
    );
  }
}

/** A form (modal) the bot showed a member: its title and fields, and `submit` to send it. */
export class ModalView {
  constructor(
    readonly data: import('discord-api-types/v10').APIModalInteractionResponseCallbackData,
    readonly submit: (values: Readonly<Record<string, string>>) => Promise<MessageView>,
  ) {}

  get title(): string {
    return this.data.title;
  }

  get customId(): string {
    return this.data.custom_id;
  }
}
