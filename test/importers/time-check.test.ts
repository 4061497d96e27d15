/**
 * Times no real run has (issue 13.7): warned about with the task and line, refused with --strict,
 * and real traces (the Summit sessions) left alone. Every format: task tables check their own
 * rows; the other streaming importers' tasks are checked on their way into the store
 * (common/watched-write.ts), the runs of a multi-run input (sacct, Parsl, Pegasus) each apart.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TimeCheck } from '../../src/importers/common/time-check.js';
import { ingest } from '../../src/importers/ingest.js';
import { cli, fileWriter, ROOT, tempDir } from '../helpers/cli.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { HAVE_SHARED_TRACES } from '../helpers/shared-traces.js';
import { SUMMIT } from '../helpers/traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const write = fileWriter(work);

const NOW = 1.75e9; // 2025-06-15T15:06:40Z

function findings(tasks: [string, number, number][]): string[] {
  const check = new TimeCheck(NOW);
  tasks.forEach(([id, start, end], i) => check.observe(id, i + 2, start, end));
  return check.findings().map((f) => f.message);
}

describe('TimeCheck', () => {
  it('says nothing about real runs: epoch seconds, seconds from 0, runs of days', () => {
    expect(findings([['a', 1.6e9, 1.6e9 + 100], ['b', 1.6e9 + 50, 1.6e9 + 3 * 86400]])).toEqual([]);
    expect(findings([['a', 0, 10], ['b', 5, 20000], ['c', 0.001, 1e5]])).toEqual([]);
    expect(findings([['a', NaN, NaN], ['b', 3, NaN]])).toEqual([]);
  });

  it('names a time that is no date at all, once per task', () => {
    expect(findings([['a', 1, 2], ['b', 2, 1e308]])).toEqual(['1 task(s) with a time that is no plausible date (beyond 1e11 s from 0, about the year 5000): task "b" on line 3: 1e308 s']);
    expect(findings([['x', 1e300, 1e300 + 1]])[0]).toMatch(/^1 task\(s\) .*task "x" on line 2: 1e300 s$/);
  });

  it('names two time bases mixed: starts from 0 and starts in epoch seconds', () => {
    expect(findings([['a', 0, 10], ['b', 5, 20], ['c', 1.6e9, 1.6e9 + 100]])).toEqual([
      'start times form two clusters orders of magnitude apart, as if two time bases were mixed (seconds from 0 and epoch seconds?): 2 task(s) from 0 to 5 s (task "a" on line 2), 1 from 1.6e9 to 1.6e9 s (task "c" on line 4)',
    ]);
  });

  it('gives the same findings whatever the order of the tasks (its magnitude cache follows the starts)', () => {
    // Starts of every kind: below 1, negative, powers of ten and their neighbours, seconds from 0 and epoch seconds.
    const starts = [0, 0.5, -0.5, -3, -2500, 1, 9.999, 10, 99, 100, 999.5, 1000, 5e4, 1e5 - 1e-9, 1e5, 1.6e9, 1.6e9 + 1, 1.7e9];
    const tasks: [string, number, number][] = starts.map((start, i) => [`t${i}`, start, start + 5]);
    const expected = findings(tasks);
    expect(expected.join('\n')).toMatch(/two clusters/);
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let round = 0; round < 20; round++) {
      const shuffled = [...tasks].sort(() => random() - 0.5);
      // The lines follow the order: compare without them.
      expect(findings(shuffled).map((f) => f.replace(/ on line \d+/g, ''))).toEqual(expected.map((f) => f.replace(/ on line \d+/g, '')));
    }
    const sorted = [...tasks].sort((a, b) => a[1] - b[1]);
    expect(findings(sorted).map((f) => f.replace(/ on line \d+/g, ''))).toEqual(expected.map((f) => f.replace(/ on line \d+/g, '')));
  });

  it('names a run spanning more than a year, and epoch times in the future', () => {
    expect(findings([['a', 1.6e9, 1.6e9 + 10], ['b', 1.6e9, 1.7e9]])).toEqual(['the run spans 3.169 years: from task "a" on line 2 to task "b" on line 3, at 1.7e9 s']);
    expect(findings([['a', NOW + 10 * 86400, NOW + 10 * 86400 + 5]])).toEqual(['1 task(s) ending in the future (after the import): task "a" on line 2 at 2025-06-25T15:06:45Z']);
  });
});

describe('ingest', () => {
  it('stores absurd times with a warning naming task and line (CSV, and Chrome ts=1e300)', async () => {
    const csv = write('huge.csv', 'id,start,end\na,1,2\nb,2,1e308\n');
    const mixed = write('mixed.csv', 'id,start,end\na,0,10\nb,5,20\nc,1600000000,1600000100\n');
    const chrome = write('far.json', JSON.stringify({ traceEvents: [{ ph: 'X', name: 'a', ts: 0, dur: 10, pid: 1, tid: 1 }, { ph: 'X', name: 'b', ts: 1e300, dur: 10, pid: 1, tid: 2 }] }));
    const store = memoryStore();
    const [h, m, c] = await ingestInto(store, [csv, mixed, chrome]);
    expect(h.warnings).toContainEqual(expect.stringMatching(/^1 task\(s\) with a time that is no plausible date .*task "b" on line 3: 1e308 s \(stored anyway; ingest --strict refuses such a trace\)$/));
    expect(m.warnings).toContainEqual(expect.stringMatching(/two clusters .*2 task\(s\) from 0 to 5 s \(task "a" on line 2\), 1 from 1\.6e9/));
    expect(c.warnings).toContainEqual(expect.stringMatching(/no plausible date .*task "b\.1": 1e294 s/));
  });

  it.skipIf(!HAVE_SHARED_TRACES)('--strict refuses them, naming file, line and task, and stores nothing (streamed and read whole)', async () => {
    const csv = write('strict.csv', 'id,start,end\na,1,2\nb,2,1e308\n');
    const chrome = write('strict.json', JSON.stringify({ traceEvents: [{ ph: 'X', name: 'a', ts: 0, dur: 10, pid: 1, tid: 1 }, { ph: 'X', name: 'b', ts: 1e300, dur: 10, pid: 1, tid: 2 }] }));
    const store = memoryStore();
    const outcomes = await ingest(store, { paths: [csv, chrome, SUMMIT.dg2Async.file], format: 'auto', replace: false, strict: true });
    expect(outcomes.map((o) => o.kind)).toEqual(['failed', 'failed', 'saved']);
    const errors = outcomes.flatMap((o) => (o.kind === 'failed' ? [o.error.message] : []));
    expect(errors[0]).toMatch(new RegExp(`^${csv.replace(/[.]/g, '\\.')}:3: 1 task\\(s\\) with a time that is no plausible date .*task "b" on line 3.*\\(refused: --strict\\)$`));
    expect(errors[1]).toMatch(/strict\.json: 1 task\(s\) .*task "b\.1".*\(refused: --strict\)$/);
    expect((await store.listRuns()).map((r) => r.id)).toEqual([SUMMIT.dg2Async.id]); // the Summit run has no such warning
    expect((await store.listRuns())[0].warnings.join('\n')).not.toMatch(/plausible|clusters|spans|future/);
  });

  it('ingest --strict exits 2 with one line on stderr', async () => {
    const db = path.join(work, 'strict.db');
    const mixed = write('mixed-cli.csv', 'id,start,end\na,0,10\nc,1600000000,1600000100\n');
    const result = await cli(['ingest', mixed, '--strict', '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^asyncscope: error: .*mixed-cli\.csv:3: start times form two clusters .*\(refused: --strict\)$/m);
  });

  // The project's own traces (traces/), made by the real systems, with one time made absurd.
  const SACCT = path.join(ROOT, 'traces', 'sacct', 'all-fields.sacct.txt');
  const PARSL = path.join(ROOT, 'traces', 'parsl', 'parsl-2026.07.27-1-gb8b474c7a-threads.monitoring.db');
  const DASK = path.join(ROOT, 'traces', 'dask', 'paper-example', 'task-stream.jsonl');

  it('sacct: a job ending in the year 2999 is stored with a warning naming it; --strict refuses the file and stores nothing', async () => {
    const text = fs.readFileSync(SACCT, 'utf8');
    const firstEnd = text.split('\n')[1].split('|')[12];
    expect(firstEnd).toMatch(/^2026-/);
    const future = write('future.sacct.txt', text.replace(firstEnd, firstEnd.replace(/^2026/, '2999')));
    const store = memoryStore();
    const [outcome] = await ingest(store, { paths: [future], format: 'auto', replace: false, capacity: { cores: 8 } });
    expect(outcome.kind).toBe('saved');
    const warnings = outcome.kind === 'saved' ? outcome.warnings : [];
    expect(warnings).toContainEqual(expect.stringMatching(/^1 task\(s\) ending in the future \(after the import\): task "1" at 2999-.*\(stored anyway; ingest --strict refuses such a trace\)$/));
    expect(warnings).toContainEqual(expect.stringMatching(/^the run spans 97\d\.\d+ years: from task "1" to task "1"/));
    expect((await store.listRuns())[0].warnings.join('\n')).toMatch(/ending in the future/);

    const strictStore = memoryStore();
    const [refused] = await ingest(strictStore, { paths: [future], format: 'auto', replace: false, capacity: { cores: 8 }, strict: true });
    expect(refused.kind).toBe('failed');
    expect(refused.kind === 'failed' && refused.error.message).toMatch(/future\.sacct\.txt: .*\(refused: --strict\)$/);
    expect(await strictStore.listRuns()).toEqual([]);
    // The untouched file: stored under --strict without such a warning.
    const [clean] = await ingest(strictStore, { paths: [SACCT], format: 'auto', replace: false, capacity: { cores: 8 }, strict: true });
    expect(clean.kind).toBe('saved');
    expect(clean.kind === 'saved' && clean.warnings.join('\n')).not.toMatch(/plausible|clusters|spans|future/);
  });

  it('Parsl: each workflow run is checked apart; --strict refuses the run with the absurd time and stores the other', async () => {
    const db = path.join(work, 'absurd.monitoring.db');
    fs.copyFileSync(PARSL, db);
    const parsl = new Database(db);
    const [asyncRun] = parsl.prepare("SELECT run_id FROM workflow WHERE workflow_name LIKE '%-async'").pluck().all() as string[];
    const changed = parsl.prepare("UPDATE try SET task_try_time_returned = '2999-01-01 00:00:00.000000' WHERE run_id = ? AND task_id = (SELECT MIN(task_id) FROM try WHERE run_id = ?)").run(asyncRun, asyncRun).changes;
    parsl.close();
    expect(changed).toBeGreaterThan(0);

    const store = memoryStore();
    const outcomes = await ingest(store, { paths: [db], format: 'parsl', replace: false, strict: true });
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['failed', 'saved']);
    const failed = outcomes.find((o) => o.kind === 'failed');
    expect(failed?.kind === 'failed' && failed.input.display).toContain(asyncRun);
    // The first finding, worst first, names the run: the span comes before the future.
    expect(failed?.kind === 'failed' && failed.error.message).toMatch(new RegExp(`absurd\\.monitoring\\.db: run ${asyncRun}: the run spans 97\\d\\.\\d+ years: .*\\(refused: --strict\\)$`));
    const stored = await store.listRuns();
    expect(stored).toHaveLength(1);
    expect(stored[0].id).not.toContain(asyncRun);
    expect(stored[0].warnings.join('\n')).not.toMatch(/plausible|clusters|spans|future/);

    // Without --strict both runs are stored, the warning on the one it concerns only.
    const lenient = memoryStore();
    await ingest(lenient, { paths: [db], format: 'parsl', replace: false });
    const runs = await lenient.listRuns();
    expect(runs).toHaveLength(2);
    expect(runs.filter((run) => run.warnings.some((w) => /ending in the future/.test(w))).map((run) => run.id)).toEqual([expect.stringContaining(asyncRun)]);
  });

  it('a streaming importer of one run (Dask): a time of 1e300 is named and --strict refuses it; the real stream is left alone', async () => {
    const lines = fs.readFileSync(DASK, 'utf8').trimEnd().split('\n');
    const row = JSON.parse(lines[1]) as { key: string; startstops: { stop: number }[] };
    row.startstops[0].stop = 1e300;
    const absurd = write('absurd-task-stream.jsonl', [lines[0], JSON.stringify(row), ...lines.slice(2)].join('\n') + '\n');
    const store = memoryStore();
    const [lenient] = await ingest(store, { paths: [absurd], format: 'dask', replace: false });
    expect(lenient.kind === 'saved' && lenient.warnings).toContainEqual(expect.stringMatching(/^1 task\(s\) with a time that is no plausible date .*: 1e300 s \(stored anyway/));
    const strictStore = memoryStore();
    const [refused, real] = await ingest(strictStore, { paths: [absurd, DASK], format: 'dask', replace: false, strict: true });
    expect(refused.kind === 'failed' && refused.error.message).toMatch(/absurd-task-stream\.jsonl: 1 task\(s\) with a time that is no plausible date .*\(refused: --strict\)$/);
    expect(real.kind).toBe('saved');
    expect((await strictStore.listRuns()).length).toBe(1);
  });
});
