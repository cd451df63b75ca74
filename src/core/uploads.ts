import { gzipSync } from 'node:zlib';
import type { Attachment } from './reply.js';

/**
 * Files made to fit Discord's upload limit. The limit is per file and depends on where the member is
 * (interactions carry it as `attachment_size_limit`; 10 MiB without boosts). A file over it is gzipped, and
 * if that is still too big, cut into numbered parts that `cat` joins back; what was done is said in words.
 */

/** Discord takes at most 10 files in one message (resources/message.mdx, "Create Message"). */
const MAX_FILES = 10;

/** Files that fit, what was done to them in a sentence (if anything), or why they cannot be sent. */
export type FittedUploads =
  | { readonly kind: 'fits'; readonly files: readonly Attachment[]; readonly note?: string }
  | { readonly kind: 'too-large'; readonly note: string };

export function fitToUploadLimit(files: readonly Attachment[], limitBytes: number): FittedUploads {
  const fitted: Attachment[] = [];
  const changes: string[] = [];
  for (const file of files) {
    if (file.data.length <= limitBytes) {
      fitted.push(file);
      continue;
    }
    const zipped = gzipSync(file.data, { level: 9 });
    const name = `${file.name}.gz`;
    if (zipped.length <= limitBytes) {
      fitted.push({ ...file, name, data: zipped });
      changes.push(`${file.name} is compressed as ${name} (open it with any unzip tool)`);
      continue;
    }
    const count = Math.ceil(zipped.length / limitBytes);
    for (let part = 0; part < count; part++) {
      fitted.push({
        // Zero-padded so a shell's `part*` lists them in order.
        name: `${name}.part${String(part + 1).padStart(2, '0')}`,
        data: zipped.subarray(part * limitBytes, (part + 1) * limitBytes),
        description: `Part ${part + 1} of ${count} of ${name}`,
      });
    }
    changes.push(
      `${file.name} is compressed and cut into ${count} parts: join them with \`cat ${name}.part* > ${name}\`, then unzip`,
    );
  }
  if (fitted.length > MAX_FILES) {
    return {
      kind: 'too-large',
      note: `The export is too large to send in Discord (${fitted.length} parts of at most ${formatBytes(limitBytes)}, and a message holds ${MAX_FILES}).`,
    };
  }
  return changes.length > 0
    ? {
        kind: 'fits',
        files: fitted,
        note: `Files here are limited to ${formatBytes(limitBytes)}: ${changes.join('; ')}.`,
      }
    : { kind: 'fits', files: fitted };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.floor(bytes / (1024 * 1024))} MiB`
    : `${Math.floor(bytes / 1024)} KiB`;
}
