/**
 * Replies as plain data. Commands build these; `src/discord/render.ts` turns them into Discord payloads and
 * is the only place that enforces Discord's limits, so nothing here needs to count characters.
 */

/** One embed. `footer` and `author` are plain text (Discord renders no markdown there). */
export interface Embed {
  readonly title?: string;
  readonly description?: string;
  readonly author?: string;
  readonly footer?: string;
  readonly color?: number;
  readonly fields?: readonly EmbedField[];
  /** The name of an image file sent with the message, shown inside the embed. */
  readonly image?: string;
}

export interface EmbedField {
  readonly name: string;
  readonly value: string;
  readonly inline?: boolean;
}

export type ButtonStyle = 'primary' | 'secondary' | 'success' | 'danger';

/** A button that sends a component interaction with `customId`. */
export interface Button {
  readonly type: 'button';
  readonly customId: string;
  readonly label: string;
  readonly style?: ButtonStyle;
  readonly disabled?: boolean;
}

/** A string select menu. */
export interface Select {
  readonly type: 'select';
  readonly customId: string;
  readonly placeholder?: string;
  readonly options: readonly SelectOption[];
}

export interface SelectOption {
  readonly label: string;
  readonly value: string;
  readonly description?: string;
  readonly default?: boolean;
}

/** An action row holds up to five buttons or one select. */
export type ComponentRow = readonly Button[] | readonly [Select];

/** A native Discord poll. */
export interface Poll {
  readonly question: string;
  readonly answers: readonly string[];
  readonly durationHours: number;
  readonly multiselect?: boolean;
}

/** A file sent with the message. */
export interface Attachment {
  readonly name: string;
  readonly data: Uint8Array;
  readonly description?: string;
}

/**
 * Everything a message can carry. `ephemeral` replies are seen only by the member who asked. Mentions never
 * ping anyone, except the roles listed in `pingRoles` (a role a facilitator chose to ping for sessions).
 */
export interface Reply {
  readonly content?: string;
  readonly pingRoles?: readonly string[];
  readonly embeds?: readonly Embed[];
  readonly components?: readonly ComponentRow[];
  readonly poll?: Poll;
  readonly files?: readonly Attachment[];
  readonly ephemeral?: boolean;
}

/**
 * What a button or select handler asks for: a new reply, an edit of the message the component sits on, or a
 * discussion thread opened on that message.
 */
export type Outcome =
  | { readonly type: 'reply'; readonly reply: Reply }
  | { readonly type: 'update'; readonly reply: Reply }
  | { readonly type: 'thread'; readonly name: string; readonly starter?: Reply };

/** A private answer to a request Crux could not carry out, saying what to do instead. */
export function notice(content: string): Reply {
  return { content, ephemeral: true };
}

/** Brand colour for Crux embeds. */
export const CRUX_COLOR = 0x5865f2;
