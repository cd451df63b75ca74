import type { CommandContext, CommandModule } from '../../src/command.js';
import { decodeCustomId } from '../../src/core/custom-id.js';
import type { Outcome, Reply } from '../../src/core/reply.js';

/** The custom ids of a reply's buttons, by label. */
export function buttons(reply: Reply): Record<string, string> {
  return Object.fromEntries(
    (reply.components ?? []).flat().flatMap((c) => (c.type === 'button' ? [[c.label, c.customId]] : [])),
  );
}

/** Runs the handler a button's custom id routes to, as if clicked on a message with the given visibility. */
export function press(
  module: CommandModule,
  ctx: CommandContext,
  customId: string,
  message: { id: string; ephemeral: boolean } = { id: '1', ephemeral: false },
): Promise<Outcome> {
  const id = decodeCustomId(customId);
  const handler = id ? module.components?.[id.action] : undefined;
  if (!id || !handler) throw new Error(`no handler for ${customId}`);
  return handler(id.params, { ...ctx, message });
}
