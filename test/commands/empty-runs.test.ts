/**
 * A trace with no executed task (issue 13.13): a header-only table is stored with a warning, and
 * `report` refuses such a run (exit 2, the reason) instead of writing a page of empty charts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, fileWriter, tempDir } from '../helpers/cli.js';
import { ingestInto, memoryStore } from '../helpers/store.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const write = fileWriter(work);

describe('runs with no executed task', () => {
  it('ingest warns about a header-only table', async () => {
    const [run] = await ingestInto(memoryStore(), [write('header-only.csv', 'id,start,end\n')]);
    expect(run.tasks).toBe(0);
    expect(run.warnings).toContain('no tasks: the table has a header and no rows (stored as an empty run; report refuses it)');
  });

  it('report refuses a run with no tasks, and one whose tasks never ran, writing nothing', async () => {
    const db = path.join(work, 'empty.db');
    const stored = await cli(['ingest', write('nothing.csv', 'id,start,end\n'), write('unrun.csv', 'id,start,end,state\na,,,PENDING\n'), '--db', db]);
    expect(stored.code, stored.stderr).toBe(0);
    expect(stored.stderr).toMatch(/nothing\.csv: no tasks: the table has a header and no rows/);
    const out = path.join(work, 'empty.html');
    const empty = await cli(['report', 'nothing', '--out', out, '--db', db]);
    expect([empty.code, empty.stderr]).toEqual([2, 'asyncscope: error: run nothing has no tasks: there is nothing to report\n']);
    const unrun = await cli(['report', 'unrun', '--out', out, '--db', db]);
    expect([unrun.code, unrun.stderr]).toEqual([2, 'asyncscope: error: run unrun has 1 task(s), none of them executed (no start and end): there is nothing to report\n']);
    expect(fs.existsSync(out)).toBe(false);
  });
});
