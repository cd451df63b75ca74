import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type RawFile,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';

import { DISCORD_LIMITS as L } from '../core/limits.js';
import type { Button, ComponentRow, Embed, Poll, Reply, Select } from '../core/reply.js';
import { truncateAtSentence } from '../core/text.js';

/**
 * The single choke point between plain replies and Discord. Every message, edit and follow-up passes
 * through `render`, which enforces Discord's limits so nothing is ever rejected: long text is cut at a
 * sentence with an ellipsis, and mentions are always disabled. Structural mistakes (a custom id over 100
 * characters, six buttons in a row) are programming errors and throw `RenderError` before Discord sees them.
 */

/** A reply as discord.js accepts it for `reply`, `editReply`, `followUp`, `update` and `send`. */
export interface RenderedMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  poll?: {
    question: { text: string };
    answers: { text: string }[];
    duration: number;
    allowMultiselect: boolean;
  };
  files?: { attachment: Buffer; name: string; description?: string }[];
  allowedMentions: { parse: []; roles?: string[] };
  flags?: MessageFlags.Ephemeral;
}

/** A reply that cannot be sent however it is cut: a bug in the code that built it. */
export class RenderError extends Error {
  override name = 'RenderError';
}

const BUTTON_STYLES = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
} as const;

/** Turns a plain reply into a payload Discord accepts. */
export function render(reply: Reply): RenderedMessage {
  const content = reply.content ? clipText(reply.content, L.content) : undefined;
  const embeds = fitEmbedTotal((reply.embeds ?? []).slice(0, L.embedsPerMessage).map(renderEmbed));
  const components = renderComponents(reply.components ?? []);
  const poll = reply.poll ? renderPoll(reply.poll) : undefined;
  const files = reply.files?.map((file) => ({
    attachment: Buffer.from(file.data),
    name: file.name,
    ...(file.description ? { description: clipText(file.description, 1024) } : {}),
  }));
  // Only role ids explicitly chosen may ping; @everyone, @here and users never do.
  const pingRoles = (reply.pingRoles ?? []).filter((id) => /^\d{17,20}$/u.test(id));
  if (!content && embeds.length === 0 && !poll && !files?.length) {
    throw new RenderError('a message needs content, an embed, a poll or a file');
  }
  return {
    ...(content ? { content } : {}),
    embeds,
    components,
    ...(poll ? { poll } : {}),
    ...(files?.length ? { files } : {}),
    allowedMentions: { parse: [], ...(pingRoles.length > 0 ? { roles: pingRoles } : {}) },
    ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** A message posted straight to a channel (not an interaction response), which can never be ephemeral. */
export function renderChannelMessage(reply: Reply): Omit<RenderedMessage, 'flags'> {
  if (reply.ephemeral) throw new RenderError('a message posted to a channel cannot be ephemeral');
  const { flags: _none, ...message } = render(reply);
  return message;
}

/** A channel message as Discord's API takes it (for the REST client scheduled posts use), with its files. */
export interface ApiMessage {
  readonly body: RESTPostAPIChannelMessageJSONBody;
  readonly files: RawFile[];
}

/**
 * A message posted straight to a channel, in the API's own shape. Every post carries a nonce Discord
 * enforces, so a request retried after a lost answer is not posted twice.
 */
export function renderApiMessage(reply: Reply, nonce: string): ApiMessage {
  const message = renderChannelMessage(reply);
  return {
    body: {
      ...(message.content ? { content: message.content } : {}),
      embeds: message.embeds,
      components: message.components,
      ...(message.poll
        ? {
            poll: {
              question: message.poll.question,
              answers: message.poll.answers.map((answer) => ({ poll_media: answer })),
              duration: message.poll.duration,
              allow_multiselect: message.poll.allowMultiselect,
            },
          }
        : {}),
      allowed_mentions: message.allowedMentions,
      ...(message.files
        ? {
            attachments: message.files.map((file, id) => ({
              id: String(id),
              filename: file.name,
              ...(file.description ? { description: file.description } : {}),
            })),
          }
        : {}),
      nonce,
      enforce_nonce: true,
    },
    files: (message.files ?? []).map((file, id) => ({
      key: `files[${id}]`,
      name: file.name,
      data: file.attachment,
    })),
  };
}

/** A thread name within Discord's 100 characters. */
export function renderThreadName(name: string): string {
  return clipText(name.replace(/\s+/gu, ' ').trim(), L.threadName);
}

/** Autocomplete choices within Discord's limits: at most 25, names and values of at most 100 characters. */
export function renderChoices(
  choices: readonly { readonly name: string; readonly value: string | number }[],
): { name: string; value: string | number }[] {
  return choices
    .filter((choice) => typeof choice.value === 'number' || choice.value.length <= L.autocompleteChoiceValue)
    .slice(0, L.autocompleteChoices)
    .map((choice) => ({ name: clipPlain(choice.name, L.autocompleteChoiceName), value: choice.value }));
}

function renderEmbed(embed: Embed): APIEmbed {
  const fields = (embed.fields ?? []).slice(0, L.embedFields).map((field) => ({
    name: clipPlain(field.name, L.embedFieldName) || '\u200b',
    value: clipText(field.value, L.embedFieldValue) || '\u200b',
    ...(field.inline ? { inline: true } : {}),
  }));
  return {
    ...(embed.title ? { title: clipPlain(embed.title, L.embedTitle) } : {}),
    ...(embed.description ? { description: clipText(embed.description, L.embedDescription) } : {}),
    ...(embed.author ? { author: { name: clipPlain(embed.author, L.embedAuthorName) } } : {}),
    ...(fields.length > 0 ? { fields } : {}),
    ...(embed.footer ? { footer: { text: clipPlain(embed.footer, L.embedFooter) } } : {}),
    ...(embed.color !== undefined ? { color: embed.color } : {}),
    ...(embed.image ? { image: { url: `attachment://${embed.image}` } } : {}),
  };
}

/** Characters Discord counts toward the 6,000 across all embeds of a message. */
function embedChars(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/**
 * Keeps the embeds' combined size within 6,000 characters by cutting the longest text (a description or a
 * field value) at a sentence until they fit. EmbedBuilder does not check this limit; Discord does.
 */
function fitEmbedTotal(embeds: APIEmbed[]): APIEmbed[] {
  let overflow = embeds.reduce((sum, embed) => sum + embedChars(embed), 0) - L.embedTotal;
  while (overflow > 0) {
    let longest: { embed: APIEmbed; field?: number; length: number } | undefined;
    for (const embed of embeds) {
      const description = embed.description?.length ?? 0;
      if (!longest || description > longest.length) longest = { embed, length: description };
      for (const [index, field] of (embed.fields ?? []).entries()) {
        if (field.value.length > longest.length)
          longest = { embed, field: index, length: field.value.length };
      }
    }
    if (!longest || longest.length <= 1)
      throw new RenderError('embeds exceed 6,000 characters in titles and names alone');
    const target = Math.max(1, Math.min(longest.length - overflow, Math.ceil(longest.length / 2)));
    const field = longest.field === undefined ? undefined : longest.embed.fields?.[longest.field];
    if (field) field.value = clipText(field.value, target);
    else longest.embed.description = clipText(longest.embed.description ?? '', target);
    overflow = embeds.reduce((sum, embed) => sum + embedChars(embed), 0) - L.embedTotal;
  }
  return embeds;
}

function renderComponents(
  rows: readonly ComponentRow[],
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const nonEmpty = rows.filter((row) => row.length > 0);
  if (nonEmpty.length > L.actionRows)
    throw new RenderError(`${nonEmpty.length} component rows; Discord allows 5`);
  const seen = new Set<string>();
  const checkId = (customId: string) => {
    if (customId.length > L.customId) throw new RenderError(`custom id over 100 characters: ${customId}`);
    if (seen.has(customId)) throw new RenderError(`custom id used twice in one message: ${customId}`);
    seen.add(customId);
  };
  return nonEmpty.map((row) => {
    const first = row[0];
    if (first?.type === 'select') {
      if (row.length > 1) throw new RenderError('a select menu must have its row to itself');
      checkId(first.customId);
      return { type: ComponentType.ActionRow, components: [renderSelect(first)] };
    }
    if (row.length > L.buttonsPerRow)
      throw new RenderError(`${row.length} buttons in a row; Discord allows 5`);
    return {
      type: ComponentType.ActionRow,
      components: (row as readonly Button[]).map((button) => {
        checkId(button.customId);
        return renderButton(button);
      }),
    };
  });
}

function renderButton(button: Button): APIButtonComponent {
  return {
    type: ComponentType.Button,
    custom_id: button.customId,
    label: clipPlain(button.label, L.buttonLabel),
    style: BUTTON_STYLES[button.style ?? 'secondary'],
    ...(button.disabled ? { disabled: true } : {}),
  };
}

function renderSelect(select: Select): APIStringSelectComponent {
  if (select.options.length === 0) throw new RenderError('a select menu needs at least one option');
  return {
    type: ComponentType.StringSelect,
    custom_id: select.customId,
    ...(select.placeholder ? { placeholder: clipPlain(select.placeholder, L.selectPlaceholder) } : {}),
    options: select.options.slice(0, L.selectOptions).map((option) => {
      if (option.value.length > L.selectOptionValue)
        throw new RenderError(`select value over 100 characters: ${option.value}`);
      return {
        label: clipPlain(option.label, L.selectOptionLabel),
        value: option.value,
        ...(option.description
          ? { description: clipPlain(option.description, L.selectOptionDescription) }
          : {}),
        ...(option.default ? { default: true } : {}),
      };
    }),
  };
}

function renderPoll(poll: Poll): NonNullable<RenderedMessage['poll']> {
  if (poll.answers.length === 0 || poll.answers.length > L.pollAnswers) {
    throw new RenderError(`${poll.answers.length} poll answers; Discord allows 1–10`);
  }
  return {
    question: { text: clipPlain(poll.question, L.pollQuestion) },
    answers: poll.answers.map((answer) => ({ text: clipPlain(answer, L.pollAnswerText) })),
    duration: Math.min(L.pollMaxHours, Math.max(L.pollMinHours, Math.round(poll.durationHours))),
    allowMultiselect: poll.multiselect ?? false,
  };
}

/** Markdown text cut at a sentence, with an ellipsis, to at most `max` characters. */
function clipText(text: string, max: number): string {
  const cut = truncateAtSentence(text, max);
  // A cut can leave a "**" open, which would turn everything after it bold; close it.
  return cut === text ? text : balanceEmphasis(cut, max);
}

/** Plain text (titles, labels, footers) cut the same way. */
function clipPlain(text: string, max: number): string {
  return truncateAtSentence(text, max);
}

function balanceEmphasis(text: string, max: number): string {
  const bold = text.match(/(?<!\\)\*\*/gu)?.length ?? 0;
  if (bold % 2 === 0) return text;
  const body = text.replace(/ ?…$/u, '');
  const closed = `${body}** …`;
  return closed.length <= max ? closed : `${body.slice(0, max - closed.length)}** …`;
}
