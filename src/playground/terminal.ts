import type { MessageView } from '../emulator/views.js';

/**
 * Messages as text for a terminal: an embed becomes an indented card, buttons become numbered brackets
 * ("[1 Another]"), selects list their options, polls their answers with counts. Markdown is left as
 * Discord would receive it, so what is bold or quoted is still visible.
 */
export function formatMessage(
  message: MessageView,
  options: { readonly width?: number; readonly resolve?: (text: string) => string } = {},
): string {
  const width = options.width ?? 100;
  const resolve = options.resolve ?? ((text: string) => text);
  const lines: string[] = [];
  if (message.ephemeral) lines.push('(only you can see this)');
  if (message.content) lines.push(...wrap(message.content, width));
  for (const embed of message.embeds) {
    const card: string[] = [];
    if (embed.author?.name) card.push(embed.author.name);
    if (embed.title) card.push(`» ${embed.title}`);
    if (embed.description) card.push(...wrap(embed.description, width - 4));
    for (const field of embed.fields ?? []) {
      card.push('', `${field.name}`, ...wrap(field.value, width - 6).map((line) => `  ${line}`));
    }
    if (embed.footer?.text) card.push('', ...wrap(embed.footer.text, width - 4).map((line) => `· ${line}`));
    lines.push('┌', ...card.map((line) => `│ ${line}`), '└');
  }
  if (message.poll) {
    lines.push(`Poll: ${message.poll.question.text ?? ''}`);
    for (const answer of message.poll.answers) {
      const count = message.poll.results?.answer_counts.find((c) => c.id === answer.answer_id)?.count ?? 0;
      lines.push(
        `  (${answer.answer_id}) ${answer.poll_media.text ?? ''} — ${count} vote${count === 1 ? '' : 's'}`,
      );
    }
  }
  // A picture cannot be shown here; its alt text says what it shows.
  for (const attachment of message.attachments)
    lines.push(
      `📎 ${attachment.filename} (${attachment.size} bytes)${attachment.description ? `: ${attachment.description}` : ''}`,
    );
  const buttons = message.buttons;
  if (buttons.length > 0) {
    lines.push(
      buttons
        .map((button, i) => `[${i + 1} ${button.label}${button.disabled ? ' (disabled)' : ''}]`)
        .join(' '),
    );
  }
  for (const select of message.selects) {
    lines.push(`Select: ${select.placeholder ?? 'choose'}`);
    select.options.forEach((option, i) => {
      lines.push(`  ${i + 1}. ${option.label}${option.description ? ` — ${option.description}` : ''}`);
    });
  }
  if (message.threadId) lines.push(`🧵 thread ${message.threadId}`);
  return resolve(lines.join('\n'));
}

/** Names for the ids a message may mention, and the time "now" for relative timestamps. */
export interface MentionNames {
  readonly channel: (id: string) => string | undefined;
  readonly user: (id: string) => string | undefined;
  readonly role: (id: string) => string | undefined;
  readonly now: () => Date;
}

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/**
 * Shows what a member's Discord client would: timestamps as dates in this terminal's time zone (relative
 * ones from the playground clock), and mentions as names.
 */
export function resolveMentions(names: MentionNames): (text: string) => string {
  return (text) =>
    text
      .replace(/<t:(\d+):([a-zA-Z])>/gu, (_, seconds: string, style: string) => {
        const at = new Date(Number(seconds) * 1000);
        if (style === 'R') {
          const delta = at.getTime() - names.now().getTime();
          const [unit, size] = UNITS.find(([, ms]) => Math.abs(delta) >= ms) ?? ['minute', 60_000];
          return RELATIVE.format(Math.round(delta / size), unit);
        }
        return at.toLocaleString(
          'en-GB',
          style === 'D' ? { dateStyle: 'long' } : { dateStyle: 'full', timeStyle: 'short' },
        );
      })
      .replace(/<#(\d+)>/gu, (whole, id: string) => (names.channel(id) ? `#${names.channel(id)}` : whole))
      .replace(/<@&(\d+)>/gu, (whole, id: string) => (names.role(id) ? `@${names.role(id)}` : whole))
      .replace(/<@!?(\d+)>/gu, (whole, id: string) => (names.user(id) ? `@${names.user(id)}` : whole));
}

/** Wraps each paragraph of `text` at word boundaries to `width` columns. */
function wrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((paragraph) => {
    if (paragraph.length <= width) return [paragraph];
    const out: string[] = [];
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + word.length + 1 > width) {
        out.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) out.push(line);
    return out;
  });
}
