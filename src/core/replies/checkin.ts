import { defineComponent, param } from '../components.js';

/** The /progress command's name and the check-in actions of the kickoff post. */
export const PROGRESS_COMMAND = 'progress';
/** I've read it, Take it back, and the wrap-up's "Our progress" (`n` names the notice it sits on). */
export const progressCheckIn = defineComponent(PROGRESS_COMMAND, 'checkin', { s: param.int(1, 999) });
export const progressUndo = defineComponent(PROGRESS_COMMAND, 'uncheck', { s: param.int(1, 999) });
export const progressView = defineComponent(PROGRESS_COMMAND, 'view', { n: param.slug(60).optional() });

/**
 * The custom id of a session's "I've read it" button. It is unique to the session, so after a crash the
 * scheduler recognises its own kickoff in the channel by it.
 */
export function checkInId(session: number): string {
  return progressCheckIn.id({ s: session });
}
