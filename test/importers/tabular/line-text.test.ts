/**
 * The CSV parser's text in pieces of whole lines (line-text.ts): the same text as utf8Text gives
 * for the same bytes, however the bytes are cut into chunks, and every piece but the last ends at
 * a line break (so papaparse never has an unfinished line to prepend).
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { utf8Text } from '../../../src/importers/common/streams.js';
import { lineText } from '../../../src/importers/tabular/line-text.js';
import { seededRandom } from '../../../src/util/seeded-random.js';

async function texts(bytes: Buffer, chunkSizes: number[], transform: () => NodeJS.ReadWriteStream): Promise<string[]> {
  const chunks: Buffer[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = chunkSizes[k % chunkSizes.length];
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  const out: string[] = [];
  for await (const text of Readable.from(chunks, { objectMode: false }).pipe(transform())) out.push(text as string);
  return out;
}

/** Lines of ASCII, Latin and CJK text, a quoted field with a line break, and one line longer than a piece. */
function table(): Buffer {
  const next = seededRandom(3);
  const lines = ['\uFEFFid,name,start'];
  for (let i = 0; i < 3000; i++) {
    const name = i % 7 === 0 ? `tâche-${i}-計算` : i % 11 === 0 ? `"two\nlines ${i}"` : `task-${i}`;
    lines.push(`t${i},${name},${(1000 + next() * 100).toFixed(6)}`);
  }
  lines.push(`long,${'x'.repeat(5000)},1`);
  return Buffer.from(lines.join('\r\n') + '\n' + 'last,no line break,2', 'utf8');
}

describe('lineText', () => {
  const bytes = table();
  const expected = bytes.toString('utf8').replace(/^\uFEFF/, '');

  it.each([
    ['one chunk', [bytes.length]],
    ['1 MB reads', [1 << 20]],
    ['chunks of 1 to 7 bytes (characters split across chunks)', [1, 2, 3, 5, 7]],
    ['chunks around the piece size', [1000, 4093, 333]],
  ])('gives the same text as utf8Text: %s', async (_label, sizes) => {
    const pieces = await texts(bytes, sizes, () => lineText(1024));
    expect(pieces.join('')).toBe(expected);
    expect((await texts(bytes, sizes, utf8Text)).join('')).toBe(expected);
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith('\n')).toBe(true);
    // Pieces stay near their size unless a line is longer (the 5,000-byte line).
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(5100);
  });

  it('keeps a byte order mark that is not at the very start, and a character cut off at the end', async () => {
    const middle = Buffer.concat([Buffer.from('a,b\n'), Buffer.from('\uFEFFc,d\n'), Buffer.from([0xe8, 0xa8])]);
    const pieces = await texts(middle, [2], () => lineText(4));
    expect(pieces.join('')).toBe(middle.toString('utf8'));
    expect(pieces.join('')).toContain('\uFEFFc,d\n');
  });
});
