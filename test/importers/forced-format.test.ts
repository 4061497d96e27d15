/**
 * `--format` naming the wrong importer (issue 13.19): the input is refused with what it looks like,
 * not with the named importer's failure deep inside ("archive is truncated or corrupt").
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/importers/ingest.js';
import { tempDir } from '../helpers/cli.js';
import { memoryStore } from '../helpers/store.js';
import { HAVE_SHARED_TRACES } from '../helpers/shared-traces.js';
import { SUMMIT } from '../helpers/traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function failure(file: string, format: string): Promise<string> {
  const [outcome] = await ingest(memoryStore(), { paths: [file], format, replace: false });
  if (outcome.kind !== 'failed') throw new Error(`expected a failure, got ${outcome.kind}`);
  return outcome.error.message;
}

describe('--format that does not fit the input', () => {
  it('says that a CSV is not a RADICAL-Pilot session, and what it looks like', async () => {
    const csv = path.join(work, 'tasks.csv');
    fs.writeFileSync(csv, 'id,start,end\na,1,2\n');
    expect(await failure(csv, 'radical-pilot')).toBe(
      `${csv}: --format radical-pilot reads a RADICAL-Pilot session folder, or a .tgz / .tar.gz / .tar.bz2 archive of one, and this is not one: it looks like a CSV or TSV table, one task per row, with a header row (--format csv, or leave --format out)`,
    );
    const text = path.join(work, 'notes.txt');
    fs.writeFileSync(text, 'hello\n');
    expect(await failure(text, 'radical-pilot')).toBe(`${text}: --format radical-pilot reads a RADICAL-Pilot session folder, or a .tgz / .tar.gz / .tar.bz2 archive of one, and this is not one: its first line is "hello"`);
  });

  it.skipIf(!HAVE_SHARED_TRACES)('says that a session archive is not a CSV table', async () => {
    expect(await failure(SUMMIT.dg2Sync.file, 'csv')).toMatch(/--format csv reads a CSV or TSV table.*and this is not one: it looks like a RADICAL-Pilot session .*\(--format radical-pilot, or leave --format out\)$/);
  });
});
