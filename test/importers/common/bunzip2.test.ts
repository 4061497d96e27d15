/**
 * bzip2 through the bunzip2 program when it is on PATH, through the JavaScript decoder otherwise
 * (issue 13 point 18): both give the same bytes, and damaged data is refused in the same words,
 * naming the file. The program half is skipped, with the reason, where bunzip2 is not on PATH: it is
 * an optional speed-up (a fresh machine may lack it, and .ci/run takes it off PATH to prove that npm test
 * needs no program outside npm); the JavaScript half always runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { bunzip2, bunzip2Program } from '../../../src/importers/common/bunzip2.js';
import { ingest } from '../../../src/importers/ingest.js';
import { tempDir } from '../../helpers/cli.js';
import { BZIP2_FIXTURES } from '../../helpers/rp-session.js';
import { memoryStore } from '../../helpers/store.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const program = bunzip2Program();
const programThere = program !== null;
const programNote = programThere ? '' : ' (skipped: bunzip2 is not on PATH)';

/** Runs `fn` with no bunzip2 on PATH, so that the JavaScript decoder is used. */
async function withoutProgram<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = '';
  try {
    expect(bunzip2Program()).toBeNull();
    return await fn();
  } finally {
    process.env.PATH = saved;
  }
}

function withProgram<T>(fn: () => Promise<T>): Promise<T> {
  if (bunzip2Program() === null) throw new Error('bunzip2 is not on PATH: CI must provide it (.ci/run installs bzip2)');
  return fn();
}

async function decode(file: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // Small raw chunks: the decoders must carry blocks across them.
  for await (const chunk of bunzip2(fs.createReadStream(file, { highWaterMark: 4096 }))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The rows test/fixtures/bzip2/make.sh compressed into blocks.csv.bz2 (four bzip2 blocks). */
function blocksCsv(): Buffer {
  const types = ['mProject', 'mDiffFit', 'mConcatFit', 'mBgModel', 'mBackground', 'mImgtbl', 'mAdd', 'mShrink'];
  const rows = ['id,type,pipeline,start,end'];
  for (let i = 0; i < 6000; i++) rows.push(`${types[i % 8]}_ID${String(i).padStart(7, '0')},${types[i % 8]},pipeline.0000,${i},${i + 5}`);
  return Buffer.from(`${rows.join('\n')}\n`);
}

/** A copy of `source` with 16 bytes inverted at `fraction` of its length. */
function damaged(source: string, fraction: number, name: string): string {
  const bytes = fs.readFileSync(source);
  const at = Math.floor(bytes.length * fraction);
  for (let i = at; i < at + 16; i++) bytes[i] ^= 0x55;
  const file = path.join(work, name);
  fs.writeFileSync(file, bytes);
  return file;
}

async function refusal(file: string, format: string): Promise<string> {
  const store = memoryStore();
  const outcomes = await ingest(store, { paths: [file], format, replace: false });
  expect(outcomes).toHaveLength(1);
  expect(await store.listRuns()).toEqual([]);
  return outcomes[0].kind === 'failed' ? outcomes[0].error.message : `not refused: ${outcomes[0].kind}`;
}

describe('bzip2 decoding', () => {
  const cases = [
    ['a session archive (one block)', path.join(BZIP2_FIXTURES, 'session.tar.bz2'), () => zlib.gunzipSync(fs.readFileSync(path.join(BZIP2_FIXTURES, 'session.tgz')))],
    ['a table of four blocks', path.join(BZIP2_FIXTURES, 'blocks.csv.bz2'), blocksCsv],
  ] as const;

  it.each(cases)('gives the bytes that were compressed, through the JavaScript decoder: %s', async (_name, file, expected) => {
    const decoded = await withoutProgram(() => decode(file));
    expect(decoded.equals(expected())).toBe(true);
  });

  it.skipIf(!programThere).each(cases)(`gives the same bytes through bunzip2${programNote}: %s`, async (_name, file, expected) => {
    const decoded = await withProgram(() => decode(file));
    expect(decoded.equals(expected())).toBe(true);
  });

  // Damage in the first block (nothing decodes) and in a later one (the first rows decode, then the error).
  const damages = [
    ['in its first block', 0.5, 'session.tar.bz2', 'auto'],
    ['in a later block, read as a table', 0.7, 'blocks.csv.bz2', 'csv'],
    ['in a later block, format detected', 0.7, 'blocks.csv.bz2', 'auto'],
  ] as const;
  const message = (file: string) => new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: (not a recognised trace: )?bzip2 data is corrupt or cut short \\(Data integrity error when decompressing\\)$`);

  it.each(damages)('refuses damaged data naming the file, through the JavaScript decoder: %s', async (_name, fraction, source, format) => {
    const file = damaged(path.join(BZIP2_FIXTURES, source), fraction, `js-${fraction}-${format}-${source}`);
    expect(await withoutProgram(() => refusal(file, format))).toMatch(message(file));
  });

  it.skipIf(!programThere).each(damages)(`refuses damaged data naming the file, in the same words, through bunzip2${programNote}: %s`, async (_name, fraction, source, format) => {
    const file = damaged(path.join(BZIP2_FIXTURES, source), fraction, `program-${fraction}-${format}-${source}`);
    expect(await withProgram(() => refusal(file, format))).toMatch(message(file));
  });
});
