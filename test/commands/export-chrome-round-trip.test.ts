/**
 * A run exported to Chrome and ingested back keeps its label, mode and workflow (issue 13 point 15):
 * the export records them in otherData.asyncscope and the importer reads them back. Flags given at
 * ingest win; the file's values are untrusted text (a hostile otherData is refused value by value,
 * with a warning, and what is taken is escaped when printed). The run is the bundled Dask trace
 * (a real run of `distributed`, traces/dask/), so this needs no ../shared.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliJson, ROOT, tempDir } from '../helpers/cli.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const TRACE = path.join(ROOT, 'traces', 'dask', 'paper-example', 'task-stream.jsonl');
const exported = path.join(work, 'dask.json');

interface RunJson {
  id: string;
  label: string;
  mode: string;
  workflow: string | null;
  tasks: number;
  warnings: string[];
}

/** Ingests `file` into a fresh store with `flags`; the stored run as `runs show --json` gives it, and ingest's warnings. */
async function ingestBack(file: string, name: string, flags: string[] = []): Promise<{ run: RunJson; warnings: string[] }> {
  const db = path.join(work, `${name}.db`);
  const ingest = await cliJson<RunJson[]>(['ingest', file, '--db', db, ...flags]);
  expect(ingest.code, ingest.stderr).toBe(0);
  const shown = await cliJson<RunJson>(['runs', 'show', ingest.json[0].id, '--db', db]);
  expect(shown.code, shown.stderr).toBe(0);
  return { run: shown.json, warnings: ingest.json[0].warnings };
}

/** The exported trace with otherData.asyncscope changed by `edit`, written as `name`. */
function withRecord(name: string, edit: (record: Record<string, unknown>) => void): string {
  const trace = JSON.parse(fs.readFileSync(exported, 'utf8')) as { otherData: { asyncscope: Record<string, unknown> } };
  edit(trace.otherData.asyncscope);
  const file = path.join(work, name);
  fs.writeFileSync(file, JSON.stringify(trace));
  return file;
}

beforeAll(async () => {
  const db = path.join(work, 'source.db');
  const ingest = await cli(['ingest', TRACE, '--db', db, '--label', 'dask-nightly', '--mode', 'async', '--workflow', 'paper-example']);
  expect(ingest.code, ingest.stderr).toBe(0);
  const out = await cli(['export', 'dask-nightly', '--format', 'chrome', '--out', exported, '--db', db]);
  expect(out.code, out.stderr).toBe(0);
});

describe('export --format chrome, then ingest', () => {
  it('keeps the label, mode and workflow the export recorded', async () => {
    const { run, warnings } = await ingestBack(exported, 'back');
    expect({ label: run.label, mode: run.mode, workflow: run.workflow }).toEqual({ label: 'dask-nightly', mode: 'async', workflow: 'paper-example' });
    expect(warnings.filter((w) => /otherData/.test(w))).toEqual([]);
  });

  it('lets --label, --mode and --workflow win over the file', async () => {
    const { run } = await ingestBack(exported, 'flags', ['--label', 'mine', '--mode', 'sync', '--workflow', 'other']);
    expect({ label: run.label, mode: run.mode, workflow: run.workflow }).toEqual({ label: 'mine', mode: 'sync', workflow: 'other' });
    // One flag alone: the others still come from the file.
    const { run: one } = await ingestBack(exported, 'one-flag', ['--mode', 'sync']);
    expect({ label: one.label, mode: one.mode, workflow: one.workflow }).toEqual({ label: 'dask-nightly', mode: 'sync', workflow: 'paper-example' });
  });

  it('ignores, with a warning each, a mode that is not sync/async/unknown, names too long, and values that are not strings', async () => {
    const hostile = withRecord('hostile.json', (r) => {
      r.mode = 'async; DROP TABLE runs';
      r.label = 'x'.repeat(5000);
      r.workflow = { nested: ['object'] };
    });
    const { run, warnings } = await ingestBack(hostile, 'hostile');
    expect({ label: run.label, mode: run.mode, workflow: run.workflow }).toEqual({ label: run.id, mode: 'unknown', workflow: null });
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^otherData\.asyncscope\.mode is not sync, async, unknown: ignored \("async; DROP TABLE runs"\)$/),
        'otherData.asyncscope.label is 5000 characters long (at most 200): ignored',
        'otherData.asyncscope.workflow is not a string (object): ignored',
      ]),
    );
    // The tasks are stored all the same.
    const original = await ingestBack(exported, 'reference');
    expect(run.tasks).toBe(original.run.tasks);
  });

  it('stores control characters of a label exactly (JSON) and prints them escaped', async () => {
    const file = withRecord('escape.json', (r) => {
      r.label = 'red\u001b[31m\u001b]0;pwned\u0007\nline';
    });
    const db = path.join(work, 'escape.db');
    expect((await cli(['ingest', file, '--db', db])).code).toBe(0);
    const listed = await cliJson<RunJson[]>(['runs', '--db', db]);
    expect(listed.json[0].label).toBe('red\u001b[31m\u001b]0;pwned\u0007\nline');
    const table = await cli(['runs', '--db', db]);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(/[\u001b\u0007]/);
    expect(table.stdout).toContain('red\\x1b[31m');
  });
});
