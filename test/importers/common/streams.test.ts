/**
 * The byte-to-text step of the table importers: fast on ASCII, exact on UTF-8 split across chunks.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lines, utf8Text } from '../../../src/importers/common/streams.js';

async function decode(chunks: Buffer[]): Promise<string> {
  let text = '';
  for await (const part of Readable.from(chunks).pipe(utf8Text())) text += part as string;
  return text;
}

describe('utf8Text', () => {
  it('decodes ASCII chunks and multi-byte characters split between chunks', async () => {
    const bytes = Buffer.from('id,name\nt1,plain\nt2,Müller 数据 🚀\n', 'utf8');
    // Split inside the 4-byte rocket and inside a 3-byte CJK character.
    const rocket = bytes.indexOf(Buffer.from('🚀')) + 2;
    const cjk = bytes.indexOf(Buffer.from('数')) + 1;
    const parts = [bytes.subarray(0, 8), bytes.subarray(8, cjk), bytes.subarray(cjk, rocket), bytes.subarray(rocket)];
    expect(await decode(parts)).toBe(bytes.toString('utf8'));
  });

  it('splits lines the same way for LF and CRLF', async () => {
    const seen: [string, number][] = [];
    for await (const entry of lines(Readable.from([Buffer.from('a\r\nb\n'), Buffer.from('c')]))) seen.push(entry);
    expect(seen).toEqual([['a', 1], ['b', 2], ['c', 3]]);
  });
});
