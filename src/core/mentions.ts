import { chatInputApplicationCommandMention } from '@discordjs/formatters';

/**
 * How replies name a slash command. Discord makes `</name:id>` a clickable mention, but the id exists only
 * once the command is registered; until Crux has learned it, the command is named in code style instead.
 */
export class CommandMentions {
  readonly #ids = new Map<string, string>();

  /** Records the ids Discord gave the registered commands, by command name. */
  learn(ids: Iterable<readonly [name: string, id: string]>): void {
    for (const [name, id] of ids) this.#ids.set(name, id);
  }

  /** `</read:123>` once the id is known, else `` `/read` ``; with a subcommand, `</poll open:123>`. */
  mention(command: string, subcommand?: string): string {
    const id = this.#ids.get(command);
    if (!id) return `\`/${command}${subcommand ? ` ${subcommand}` : ''}\``;
    return subcommand
      ? chatInputApplicationCommandMention(command, subcommand, id)
      : chatInputApplicationCommandMention(command, id);
  }
}
