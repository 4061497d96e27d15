/**
 * The byte-to-text step of the table importers: fast on ASCII, exact on UTF-8 split across chunks;
 * and a compressed file whose reader stops early is not read on.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { lines, openDecompressed, utf8Text } from '../../../src/importers/common/streams.js';

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

describe('openDecompressed', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-streams-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('stops reading the file, and telling onRaw of it, once the reader destroys the stream', async () => {
    // 16 MB that gzip cannot shrink: a reader that takes one chunk has read a MB or two of it.
    const file = path.join(work, 'random.gz');
    fs.writeFileSync(file, zlib.gzipSync(crypto.randomBytes(16 << 20), { level: 1 }));
    let seen = 0;
    const stream = openDecompressed(file, undefined, (chunk) => (seen += chunk.length));
    for await (const _chunk of stream as AsyncIterable<Buffer>) break; // destroys the stream
    await finished(stream).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 200)); // time enough to read the rest, were it read
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(fs.statSync(file).size / 2);
  });

  it('tells onRaw every byte of a file read to its end, in order', async () => {
    const file = path.join(work, 'text.gz');
    const text = Buffer.from('line\n'.repeat(1 << 20));
    const compressed = zlib.gzipSync(text);
    fs.writeFileSync(file, compressed);
    const raw: Buffer[] = [];
    const out: Buffer[] = [];
    for await (const chunk of openDecompressed(file, undefined, (chunk) => raw.push(chunk)) as AsyncIterable<Buffer>) out.push(chunk);
    expect(Buffer.concat(raw).equals(compressed)).toBe(true);
    expect(Buffer.concat(out).equals(text)).toBe(true);
  });
});
