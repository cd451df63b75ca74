import {
  answerCommand,
  answerComponent,
  type CommandContext,
  type CommandModule,
  type RawArgs,
} from '../../src/command.js';
import { splitCustomId } from '../../src/core/components.js';
import { notice, type Outcome, type Reply } from '../../src/core/reply.js';

/** The custom ids of a reply's buttons, by label. */
export function buttons(reply: Reply): Record<string, string> {
  return Object.fromEntries(
    (reply.components ?? []).flat().flatMap((c) => (c.type === 'button' ? [[c.label, c.customId]] : [])),
  );
}

/**
 * Runs the handler a button's custom id routes to, as if clicked on a message with the given visibility:
 * the id is read against the module's declaration exactly as dispatch reads it.
 */
export async function press(
  module: CommandModule,
  ctx: CommandContext,
  customId: string,
  message: { id: string; ephemeral: boolean } = { id: '1', ephemeral: false },
  selected: readonly string[] = [],
): Promise<Outcome> {
  const id = splitCustomId(customId);
  const route = module.components.find((r) => r.spec.command === id?.command && r.spec.action === id?.action);
  const params = id && route?.spec.parse(id.query, selected);
  if (!route || params === undefined) throw new Error(`no handler reads ${customId}`);
  return answerComponent(route, params, { ...ctx, message });
}

/**
 * Runs a command as dispatch does, from raw option values: read against its declaration, who may use it
 * checked, and an expected miss answered as a private notice.
 */
export async function run(module: CommandModule, raw: RawArgs, ctx: CommandContext): Promise<Reply> {
  const read = module.read(ctx.corpus, raw);
  if ('problem' in read) return notice(read.problem);
  return answerCommand(module, read, ctx);
}
