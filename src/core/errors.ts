/**
 * Something a member asked for that Crux cannot do, with what to do instead as its message. Thrown anywhere
 * below a handler (a domain rule, a lookup that found nothing); dispatch answers it privately in one place,
 * so no command needs its own catch block. Anything else thrown is a bug, logged with a reference.
 */
export class UserError extends Error {
  override name = 'UserError';
}
