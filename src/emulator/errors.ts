/** An error response exactly as Discord shapes it: HTTP status, JSON code, message, and field errors. */
export class DiscordHttpError extends Error {
  override name = 'DiscordHttpError';
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  get body(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

/** Discord's JSON error codes the emulator answers with. */
export const ErrorCode = {
  General: 0,
  UnknownChannel: 10003,
  UnknownGuild: 10004,
  UnknownInteraction: 10062,
  UnknownMessage: 10008,
  UnknownWebhook: 10015,
  MissingAccess: 50001,
  CannotSendEmptyMessage: 50006,
  RequestEntityTooLarge: 40005,
  CannotEditOtherUsersMessage: 50005,
  MissingPermissions: 50013,
  InvalidWebhookToken: 50027,
  InvalidFormBody: 50035,
  AlreadyAcknowledged: 40060,
  PollExpired: 520001,
  CannotEditPollMessage: 520003,
  CannotExpireNonPollMessage: 520006,
  ThreadAlreadyCreated: 160004,
  Unauthorized: 40001,
} as const;

/**
 * A 400 "Invalid Form Body" with Discord's nested `errors` object: each failing path becomes nested keys
 * ending in `_errors: [{ code, message }]`.
 */
export function invalidFormBody(problems: readonly { path: string; message: string }[]): DiscordHttpError {
  const errors: Record<string, unknown> = {};
  for (const problem of problems) {
    let node = errors;
    for (const key of problem.path ? problem.path.split('.') : []) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node._errors ??= [];
    (node._errors as { code: string; message: string }[]).push({
      code: 'BASE_TYPE_INVALID',
      message: problem.message,
    });
  }
  return new DiscordHttpError(400, ErrorCode.InvalidFormBody, 'Invalid Form Body', errors);
}
