/**
 * Damaged SQLite inputs (a Parsl monitoring.db, a Pegasus stampede database) through `asyncscope
 * ingest`: every kind of damage gives one line naming the file and saying it is a damaged, not
 * readable, SQLite database; exit 2; the store as it was. Copies of real databases, damaged here:
 * the project's own Parsl database (traces/parsl) and a Pegasus run of ../shared/traces.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/seeded-random.js';
import { cli, cliJson, ROOT, tempDir } from '../helpers/cli.js';
import { describeWithShared, sharedTrace } from '../helpers/shared-traces.js';

const work = tempDir('asyncscope-damaged-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const CLI_TIMEOUT = 120_000;
const PARSL = path.join(ROOT, 'traces', 'parsl', 'parsl-1.1.0-htex.monitoring.db');
const SACCT = path.join(ROOT, 'traces', 'sacct', 'array.sacct.txt');

/** The store every damaged input is refused from: a good run in it, to be found again unchanged. */
const store = path.join(work, 'store.db');
const listing = async () => (await cliJson(['runs', '--db', store])).json;

beforeAll(async () => {
  const stored = await cli(['ingest', SACCT, '--db', store]);
  expect(stored.code, stored.stderr).toBe(0);
}, CLI_TIMEOUT);

const pageSizeOf = (data: Buffer) => (data.readUInt16BE(16) === 1 ? 65536 : data.readUInt16BE(16));

/** A copy of `file` named `name`, its bytes changed by `damage`. */
function damaged(file: string, name: string, damage: (data: Buffer) => Buffer): string {
  const copy = path.join(work, name);
  fs.writeFileSync(copy, damage(Buffer.from(fs.readFileSync(file))));
  return copy;
}

function randomBytes(data: Buffer, from: number, to: number, seed: number): void {
  const random = seededRandom(seed);
  for (let i = from; i < to; i++) data[i] = Math.floor(random() * 256);
}

/** The first page of a table (its root: all of it for the small workflow tables here), as a byte offset. */
function rootPageOffset(file: string, table: string, data: Buffer): number {
  const db = new Database(file, { readonly: true });
  const root = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(table) as number;
  db.close();
  return (root - 1) * pageSizeOf(data);
}

/** The three kinds of damage, each made on a copy of `file`: every page after the first random; the header kept, the file cut to half; the workflow table's page random after its page header. */
const DAMAGES: { kind: string; damage: (file: string, data: Buffer) => Buffer }[] = [
  {
    kind: 'random-pages',
    damage: (_, data) => {
      randomBytes(data, pageSizeOf(data), data.length, 1);
      return data;
    },
  },
  { kind: 'half', damage: (_, data) => data.subarray(0, data.length / 2) },
  {
    kind: 'workflow-page',
    damage: (file, data) => {
      const page = rootPageOffset(file, 'workflow', data);
      randomBytes(data, page + 8, page + pageSizeOf(data), 2);
      return data;
    },
  },
];

/** Ingests `file` into the store and expects the one-line refusal, exit 2, and the store unchanged. */
async function expectRefusedAsDamaged(file: string, detail?: RegExp): Promise<string> {
  const before = await listing();
  const result = await cli(['ingest', file, '--db', store]);
  expect(result.code, result.stderr).toBe(2);
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('asyncscope: error:'));
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(errors[0]).toMatch(new RegExp(`^asyncscope: error: ${escaped}: damaged: not a readable SQLite database \\(.+\\)$`));
  if (detail) expect(errors[0]).toMatch(detail);
  expect(result.stdout).toBe(''); // nothing stored, nothing listed
  expect(await listing()).toEqual(before);
  return errors[0];
}

describe('a damaged Parsl monitoring database (traces/parsl, copies damaged)', () => {
  for (const { kind, damage } of DAMAGES) {
    it(`${kind}: one line naming the file as a damaged database, exit 2, store unchanged`, async () => {
      const file = damaged(PARSL, `parsl-${kind}.db`, (data) => damage(PARSL, data));
      await expectRefusedAsDamaged(file, kind === 'half' ? /\(cut short: 49152 bytes of the 98304 its header states\)$/ : /\(table workflow: database disk image is malformed\)$/);
    }, CLI_TIMEOUT);
  }

  it('a record whose header SQLite reads without complaint (run_id NULL): checked, and refused as damaged, not as "run_id null is not a run id"', async () => {
    const file = damaged(PARSL, 'parsl-null-run-id.db', (data) => {
      // The first cell of the workflow table's leaf page: payload size and rowid (varints), then
      // the record header: its size, then one serial type per column, run_id first. 0 is NULL.
      const page = rootPageOffset(PARSL, 'workflow', data);
      expect(data[page]).toBe(0x0d); // a leaf page of a table
      let at = page + data.readUInt16BE(page + 8);
      for (let varint = 0; varint < 2; varint++) while (data[at++] & 0x80);
      expect(data[at + 1]).toBe(13 + 2 * 36); // run_id: text of 36 characters
      data[at + 1] = 0;
      return data;
    });
    // quick_check's finding: the record no longer fits its page
    const line = await expectRefusedAsDamaged(file, /\(database disk image is malformed\)$/);
    expect(line).not.toMatch(/is not a run id/);
  }, CLI_TIMEOUT);
});

describe('a damaged Parsl monitoring database whose damage reads as data', () => {
  it('a run id changed by one byte finds no tasks: the file is checked, the run refused as damaged (a damaged table elsewhere), the intact run stored', async () => {
    const file = damaged(PARSL, 'parsl-garbled-run-id.db', (data) => {
      const workflow = rootPageOffset(PARSL, 'workflow', data);
      // The run's id in the workflow table's own page (not in its primary key's index, which holds it too).
      const id = data.subarray(workflow, workflow + pageSizeOf(data)).indexOf('9075902e-e8f3-', 0, 'latin1');
      expect(id).toBeGreaterThan(0);
      data[workflow + id + 9] = 'f'.charCodeAt(0);
      const resource = rootPageOffset(PARSL, 'resource', data); // a table the importer never reads
      randomBytes(data, resource + 8, resource + pageSizeOf(data), 3);
      return data;
    });
    const result = await cli(['ingest', file, '--db', store]);
    expect(result.code).toBe(2);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('asyncscope: error:'));
    expect(errors[0]).toMatch(/parsl-garbled-run-id\.db: run 9075902e-f8f3-4c18-a550-6adf7342ad6e: damaged: not a readable SQLite database \(.+\)$/);
    const runs = (await cliJson<{ id: string }[]>(['runs', '--db', store])).json.map((run) => run.id);
    expect(runs).not.toContain('9075902e-f8f3-4c18-a550-6adf7342ad6e');
    expect(runs).toContain('d789d7cd-348e-4cb6-a19c-1d9ceb496eb3'); // read in full, as Parsl databases are: run by run
  }, CLI_TIMEOUT);
});

describeWithShared('a damaged Pegasus stampede database (../shared/traces/pegasus, copies damaged)', () => {
  for (const { kind, damage } of DAMAGES) {
    it(`${kind}: one line naming the file as a damaged database, exit 2, store unchanged`, async () => {
      const source = sharedTrace('pegasus', 'process_wf_success', 'process-0.stampede.db');
      await expectRefusedAsDamaged(damaged(source, `pegasus-${kind}.db`, (data) => damage(source, data)));
    }, CLI_TIMEOUT);
  }
});
