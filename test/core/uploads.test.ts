import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fitToUploadLimit } from '../../src/core/uploads.js';

const text = (bytes: number, seed = 1) => {
  // Varied enough that gzip cannot shrink it to nothing, repetitive enough that it shrinks.
  let out = '';
  for (let i = 0; out.length < bytes; i++)
    out += `row ${i * seed},member-${(i * 7919) % 1000},choice-${i % 3}\n`;
  return new TextEncoder().encode(out.slice(0, bytes));
};

describe('fitting files to the upload limit', () => {
  it('leaves files under the limit as they are, and says nothing', () => {
    const files = [{ name: 'a.csv', data: text(100) }];
    expect(fitToUploadLimit(files, 1000)).toEqual({ kind: 'fits', files });
  });

  it('gzips a file over the limit, names it .gz, and says so; it unzips to the original', () => {
    const original = text(20_000);
    const fitted = fitToUploadLimit([{ name: 'votes.csv', data: original }], 10_000);
    if (fitted.kind !== 'fits') throw new Error('expected the file to fit once compressed');
    expect(fitted.files.map((f) => f.name)).toEqual(['votes.csv.gz']);
    expect(fitted.note).toContain('votes.csv is compressed as votes.csv.gz');
    expect(Buffer.from(gunzipSync(fitted.files[0]?.data ?? new Uint8Array()))).toEqual(Buffer.from(original));
  });

  it('cuts a file still too large into parts under the limit that join back to the whole', () => {
    const original = text(60_000, 3);
    const fitted = fitToUploadLimit([{ name: 'votes.csv', data: original }], 2_000);
    if (fitted.kind !== 'fits') throw new Error('expected parts');
    expect(fitted.files.length).toBeGreaterThan(1);
    expect(fitted.files.every((f) => f.data.length <= 2_000)).toBe(true);
    expect(fitted.note).toContain('cat votes.csv.gz.part* > votes.csv.gz');
    const joined = Buffer.concat(fitted.files.map((f) => Buffer.from(f.data)));
    expect(Buffer.from(gunzipSync(joined))).toEqual(Buffer.from(original));
  });

  it('refuses, in words, what would take more than ten files', () => {
    const fitted = fitToUploadLimit([{ name: 'votes.csv', data: text(200_000, 5) }], 500);
    expect(fitted).toMatchObject({ kind: 'too-large', note: expect.stringContaining('too large to send') });
  });
});
