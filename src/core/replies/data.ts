import { defineComponent } from '../components.js';
import type { Attachment } from '../reply.js';
import { notice, type Reply } from '../reply.js';

/** Replies of /export and /data: a server's data out, a member's data deleted. */

export const DATA_COMMAND = 'data';
/** The buttons confirming or cancelling /data delete-me. */
export const dataDeleteConfirm = defineComponent(DATA_COMMAND, 'delete-confirm', {});
export const dataDeleteCancel = defineComponent(DATA_COMMAND, 'delete-cancel', {});

/** /export: the files, privately, with what they hold. */
export function exportReply(
  files: readonly Attachment[],
  votes: number,
  pseudonyms: boolean,
  sizeNote?: string,
): Reply {
  return {
    content: [
      `The server’s polls, ${votes} answer${votes === 1 ? '' : 's'} and reading progress: one row per answer in the CSV, everything in the JSON.`,
      pseudonyms
        ? 'Members appear as pseudonyms that stay the same across this server’s exports; ask for **member_ids** to get Discord ids instead.'
        : 'Members appear by their Discord ids: share these files with care.',
      ...(sizeNote ? [sizeNote] : []),
    ].join('\n'),
    files,
    ephemeral: true,
  };
}

/** Asks a member to confirm deleting their data, privately. */
export function confirmDeleteReply(): Reply {
  return {
    content:
      'Delete your answers to every poll in this server and your “I’ve read it” check-ins? This cannot be undone. Poll results already posted keep their totals.',
    components: [
      [
        {
          type: 'button',
          customId: dataDeleteConfirm.id({}),
          label: 'Delete my data',
          style: 'danger',
        },
        {
          type: 'button',
          customId: dataDeleteCancel.id({}),
          label: 'Keep it',
          style: 'secondary',
        },
      ],
    ],
    ephemeral: true,
  };
}

/** What deleting a member's data removed. */
export function deletedReply(answers: number, checkIns: number, nativeStillShown: number): Reply {
  if (answers + checkIns === 0)
    return notice(
      'Crux had no answers or check-ins of yours in this server; nothing was stored, nothing to delete.',
    );
  return notice(
    [
      `Deleted: your answers to ${answers} poll${answers === 1 ? '' : 's'} and ${checkIns} check-in${checkIns === 1 ? '' : 's'}. Crux keeps nothing else about you in this server.`,
      nativeStillShown > 0
        ? `Discord itself still shows your vote on ${nativeStillShown} open Discord poll${nativeStillShown === 1 ? '' : 's'}; Crux will not count it. Remove it there if you want it gone from Discord too.`
        : undefined,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
