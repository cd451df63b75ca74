import { InteractionResponseType, InteractionType, MessageFlags } from 'discord-api-types/v10';
import { DiscordHttpError, ErrorCode, invalidFormBody } from '../errors.js';
import type { HttpApi } from '../http.js';
import { InteractionRegistry, type PendingInteraction } from '../interactions.js';
import type { EmulatedMessage } from '../model.js';
import { type EmulatorContext, messageInput, validate } from './context.js';

/**
 * Which responses fit which interaction (interactions/receiving-and-responding.mdx, "Interaction Callback
 * Type"): 6 and 7 "Only valid for component-based interactions" (and a modal submitted from a component,
 * discord-api-docs#5486); 8 answers autocomplete, which takes nothing else; 9 (a modal) is "Not available
 * for MODAL_SUBMIT and PING interactions".
 */
const VALID_CALLBACKS: Record<number, readonly number[]> = {
  [InteractionType.ApplicationCommand]: [4, 5, 9],
  [InteractionType.MessageComponent]: [4, 5, 6, 7, 9],
  [InteractionType.ApplicationCommandAutocomplete]: [8],
  [InteractionType.ModalSubmit]: [4, 5, 6, 7],
};

const CALLBACK_SCHEMAS: Record<number, string> = {
  [InteractionResponseType.ChannelMessageWithSource]: 'CreateMessageInteractionCallbackRequestSchema',
  [InteractionResponseType.DeferredChannelMessageWithSource]: 'CreateMessageInteractionCallbackRequestSchema',
  [InteractionResponseType.DeferredMessageUpdate]: 'UpdateMessageInteractionCallbackRequestSchema',
  [InteractionResponseType.UpdateMessage]: 'UpdateMessageInteractionCallbackRequestSchema',
  [InteractionResponseType.ApplicationCommandAutocompleteResult]:
    'ApplicationCommandAutocompleteCallbackRequestSchema',
  [InteractionResponseType.Modal]: 'ModalInteractionCallbackRequestSchema',
};

/**
 * Interaction responses and the webhook routes behind them (`@original`, follow-ups). Enforces Discord's
 * rules: one acknowledgement within the deadline (40060 for a second, 10062 once expired), tokens valid
 * for 15 minutes (50027 after), and every body valid.
 */
export function registerInteractionRoutes(api: HttpApi, ctx: EmulatorContext): void {
  const { world } = ctx;

  const messageIn = (interaction: PendingInteraction, messageId: string | undefined): EmulatedMessage => {
    const message = messageId
      ? world.channels.get(interaction.channelId)?.messages.get(messageId)
      : undefined;
    if (!message || message.deleted)
      throw new DiscordHttpError(404, ErrorCode.UnknownMessage, 'Unknown Message');
    return message;
  };

  /**
   * A message this interaction's token sent (its response or a follow-up): webhook routes edit and delete
   * "a previously-sent webhook message from the same token" (resources/webhook.mdx, "Edit Webhook
   * Message"); any other message is unknown to them.
   */
  const sentWith = (interaction: PendingInteraction, messageId: string | undefined): EmulatedMessage => {
    const message = messageIn(interaction, messageId);
    const own =
      message.data.id === interaction.originalMessageId ||
      message.data.interaction_metadata?.id === interaction.id;
    if (!own) throw new DiscordHttpError(404, ErrorCode.UnknownMessage, 'Unknown Message');
    return message;
  };

  const byToken = (token: string): PendingInteraction => {
    const interaction = ctx.interactions.byToken(token);
    if (!interaction) throw new DiscordHttpError(404, ErrorCode.UnknownWebhook, 'Unknown Webhook');
    if (world.now() - interaction.createdAt > InteractionRegistry.TOKEN_LIFETIME_MS) {
      throw new DiscordHttpError(401, ErrorCode.InvalidWebhookToken, 'Invalid Webhook Token');
    }
    return interaction;
  };

  /** The channel a response goes to, which may have been deleted since the interaction began. */
  const channelOf = (interaction: PendingInteraction) => {
    const channel = world.channels.get(interaction.channelId);
    if (!channel || channel.deleted)
      throw new DiscordHttpError(404, ErrorCode.UnknownChannel, 'Unknown Channel');
    return channel;
  };

  const interactionExtra = (interaction: PendingInteraction) => ({
    webhook_id: world.applicationId,
    application_id: world.applicationId,
    interaction_metadata: {
      id: interaction.id,
      type: interaction.type,
      user: world.users.get(interaction.userId) ?? world.bot,
      authorizing_integration_owners: {},
    },
  });

  api.route(
    'POST',
    '/interactions/:interactionId/:token/callback',
    async ({ params, body, files, query }) => {
      const route = 'POST /interactions/:interactionId/:token/callback';
      const interaction = ctx.interactions.byId(params.interactionId ?? '');
      if (!interaction || interaction.token !== params.token || interaction.expired) {
        throw new DiscordHttpError(404, ErrorCode.UnknownInteraction, 'Unknown interaction');
      }
      if (interaction.ack !== undefined) {
        throw new DiscordHttpError(
          400,
          ErrorCode.AlreadyAcknowledged,
          'Interaction has already been acknowledged.',
        );
      }
      const type = Number((body as { type?: unknown } | undefined)?.type);
      const schema = CALLBACK_SCHEMAS[type];
      if (!schema)
        throw new DiscordHttpError(
          400,
          ErrorCode.InvalidFormBody,
          `Invalid interaction response type ${type}`,
        );
      if (!(VALID_CALLBACKS[interaction.type] ?? []).includes(type)) {
        const problem = { path: 'type', message: `Interaction response type ${type} is not valid here` };
        ctx.violations.push({ route, problems: [problem] });
        throw invalidFormBody([problem]);
      }
      await validate(ctx, route, schema, body, 'data');
      const data = (body as { data?: Record<string, unknown> }).data ?? {};
      // A callback Discord refuses (its channel or message gone) acknowledges nothing: another may follow.
      const channel = channelOf(interaction);
      if (type === InteractionResponseType.UpdateMessage) messageIn(interaction, interaction.sourceMessageId);
      interaction.acknowledge(type);
      const ephemeral =
        (Number(data.flags ?? 0) & MessageFlags.Ephemeral) !== 0 ? interaction.userId : undefined;
      let message: EmulatedMessage | undefined;
      switch (type) {
        case InteractionResponseType.ChannelMessageWithSource:
          message = world.addMessage(
            channel,
            messageInput(ctx, data, files),
            interactionExtra(interaction),
            ephemeral,
            'interaction',
          );
          interaction.originalMessageId = message.data.id;
          interaction.settle({
            kind: 'message',
            channelId: channel.data.id,
            messageId: message.data.id,
            via: 'reply',
          });
          break;
        case InteractionResponseType.DeferredChannelMessageWithSource:
          // The member sees "Crux is thinking…" until the reply is edited in.
          message = world.addMessage(
            channel,
            { content: '', flags: MessageFlags.Loading | (ephemeral ? MessageFlags.Ephemeral : 0) },
            interactionExtra(interaction),
            ephemeral,
          );
          interaction.originalMessageId = message.data.id;
          break;
        case InteractionResponseType.DeferredMessageUpdate:
          interaction.originalMessageId = interaction.sourceMessageId;
          break;
        case InteractionResponseType.UpdateMessage:
          message = messageIn(interaction, interaction.sourceMessageId);
          world.editMessage(message, messageInput(ctx, data, files), 'interaction');
          interaction.originalMessageId = message.data.id;
          interaction.settle({
            kind: 'message',
            channelId: channel.data.id,
            messageId: message.data.id,
            via: 'update',
          });
          break;
        case InteractionResponseType.ApplicationCommandAutocompleteResult:
          interaction.settle({ kind: 'choices', choices: (data.choices ?? []) as never });
          break;
        case InteractionResponseType.Modal:
          interaction.settle({ kind: 'modal', modal: data as never });
          break;
      }
      if (query.get('with_response') !== 'true') return {};
      return {
        body: {
          interaction: {
            id: interaction.id,
            type: interaction.type,
            response_message_id: message?.data.id,
            response_message_loading: type === InteractionResponseType.DeferredChannelMessageWithSource,
            response_message_ephemeral: ephemeral !== undefined,
          },
          resource: { type, ...(message ? { message: message.data } : {}) },
        },
      };
    },
    { auth: false },
  );

  const original = (token: string) => {
    const interaction = byToken(token);
    return { interaction, message: messageIn(interaction, interaction.originalMessageId) };
  };

  api.route(
    'GET',
    '/webhooks/:appId/:token/messages/@original',
    ({ params }) => ({ body: original(params.token ?? '').message.data }),
    {
      auth: false,
    },
  );

  api.route(
    'PATCH',
    '/webhooks/:appId/:token/messages/@original',
    async ({ params, body, files }) => {
      await validate(
        ctx,
        'PATCH /webhooks/:appId/:token/messages/@original',
        'IncomingWebhookUpdateRequestPartialSchema',
        body,
      );
      const { interaction, message } = original(params.token ?? '');
      world.editMessage(message, messageInput(ctx, body, files), 'interaction');
      // An edit after a defer is what the member finally sees.
      interaction.settle({
        kind: 'message',
        channelId: interaction.channelId,
        messageId: message.data.id,
        via: interaction.ack === InteractionResponseType.DeferredMessageUpdate ? 'update' : 'reply',
      });
      return { body: message.data };
    },
    { auth: false },
  );

  api.route(
    'DELETE',
    '/webhooks/:appId/:token/messages/@original',
    ({ params }) => {
      original(params.token ?? '').message.deleted = true;
      return {};
    },
    { auth: false },
  );

  api.route(
    'POST',
    '/webhooks/:appId/:token',
    async ({ params, body, files }) => {
      await validate(ctx, 'POST /webhooks/:appId/:token', 'IncomingWebhookRequestPartialSchema', body);
      const interaction = byToken(params.token ?? '');
      if (interaction.ack === undefined)
        throw new DiscordHttpError(404, ErrorCode.UnknownWebhook, 'Unknown Webhook');
      const channel = channelOf(interaction);
      const input = messageInput(ctx, body, files);
      // Discord fills a deferred reply's "thinking…" placeholder with the first follow-up, which then keeps
      // the placeholder's visibility whatever flags the follow-up asked for.
      const placeholder = interaction.originalMessageId
        ? channel.messages.get(interaction.originalMessageId)
        : undefined;
      if (
        interaction.ack === InteractionResponseType.DeferredChannelMessageWithSource &&
        placeholder &&
        !placeholder.deleted &&
        ((placeholder.data.flags ?? 0) & MessageFlags.Loading) !== 0
      ) {
        world.editMessage(placeholder, { ...input, flags: undefined }, 'interaction');
        interaction.settle({
          kind: 'message',
          channelId: channel.data.id,
          messageId: placeholder.data.id,
          via: 'reply',
        });
        return { body: placeholder.data };
      }
      const ephemeral =
        (Number(input.flags ?? 0) & MessageFlags.Ephemeral) !== 0 ? interaction.userId : undefined;
      const message = world.addMessage(
        channel,
        input,
        interactionExtra(interaction),
        ephemeral,
        'interaction',
      );
      interaction.settle({
        kind: 'message',
        channelId: channel.data.id,
        messageId: message.data.id,
        via: 'followup',
      });
      return { body: message.data };
    },
    { auth: false },
  );

  api.route(
    'PATCH',
    '/webhooks/:appId/:token/messages/:messageId',
    async ({ params, body, files }) => {
      await validate(
        ctx,
        'PATCH /webhooks/:appId/:token/messages/:messageId',
        'IncomingWebhookUpdateRequestPartialSchema',
        body,
      );
      const message = sentWith(byToken(params.token ?? ''), params.messageId);
      world.editMessage(message, messageInput(ctx, body, files), 'interaction');
      return { body: message.data };
    },
    { auth: false },
  );

  api.route(
    'DELETE',
    '/webhooks/:appId/:token/messages/:messageId',
    ({ params }) => {
      sentWith(byToken(params.token ?? ''), params.messageId).deleted = true;
      return {};
    },
    { auth: false },
  );
}
