/**
 * The Parsl importer on the real monitoring databases in traces/parsl (Parsl 1.0.0, 1.1.0 and
 * current master, both schemas; the figures Parsl's own tables give, computed by figures.py into
 * expected.json), then on hostile databases.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parslImporter } from '../../../src/importers/parsl/index.js';
import { ROOT, tempDir } from '../../helpers/cli.js';
import { importRunsWith, storedEdges, storedEvents, storedTasks } from '../../helpers/importer-run.js';

const DIR = path.join(ROOT, 'traces', 'parsl');
interface RunFigures {
  workflow_name: string;
  tasks: number;
  tasks_ran: number;
  tasks_failed: number;
  tasks_dep_fail: number;
  tasks_no_final: number;
  makespan_s: number;
  dependency_edges: number;
  per_task: { task_id: number; func: string; depends: number[]; final: string | null; tries: number }[];
}
const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, { schema: string; runs: Record<string, RunFigures> }>;
const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('Parsl importer on real monitoring databases (traces/parsl)', () => {
  for (const [file, db] of Object.entries(expected)) {
    it(`${file} (${db.schema}): one run per workflow run, with Parsl's task, failure, makespan and edge figures`, async () => {
      const runs = await importRunsWith(parslImporter, path.join(DIR, file));
      expect(runs.map((r) => r.run.id)).toEqual(Object.keys(db.runs)); // in the order they began
      for (const imported of runs) {
        const figures = db.runs[imported.run.id];
        const older = db.schema.startsWith('older');
        expect(imported.run.workflow).toBe(figures.workflow_name);
        expect(imported.run.tasks).toBe(figures.tasks);
        // What ran: every successful task, and the one that failed for good on its last try; Parsl
        // 1.0 lost that task's last failure (README), so it stays started and unfinished there.
        expect(imported.run.executed).toBe(figures.tasks_ran + figures.tasks_failed);
        expect(imported.run.incomplete).toBe(figures.tasks_no_final);
        expect(imported.run.makespanS).toBeCloseTo(figures.makespan_s, 5);

        const tasks = (await storedTasks(imported));
        const state = (name: string) => tasks.filter((t) => t.state === name).length;
        expect(state(older ? 'done' : 'exec_done')).toBe(figures.tasks_ran);
        expect(state('failed')).toBe(figures.tasks_failed);
        expect(state('dep_fail')).toBe(figures.tasks_dep_fail);
        // Outcomes: exec_done done, failed failed, dep_fail skipped (never ran: no interval), and
        // the task Parsl 1.0 lost the end of still running.
        const outcomes = Object.fromEntries(
          Object.entries({ done: figures.tasks_ran, failed: figures.tasks_failed, skipped: figures.tasks_dep_fail, running: figures.tasks_no_final }).filter(([, n]) => n > 0),
        );
        expect(imported.run.outcomes).toEqual(outcomes);
        for (const task of tasks.filter((t) => t.outcome === 'skipped' || t.outcome === 'cached')) expect([task.start, task.end]).toEqual([null, null]);

        const events = (await storedEvents(imported));
        const edges = (await storedEdges(imported)).map(([p, c]) => `${tasks[p].uid}->${tasks[c].uid}`).sort();
        expect(edges).toHaveLength(figures.dependency_edges);
        expect(edges).toEqual(figures.per_task.flatMap((t) => t.depends.map((d) => `${d}->${t.task_id}`)).sort());
        for (const t of figures.per_task) {
          const index = tasks.findIndex((task) => task.uid === String(t.task_id));
          expect(tasks[index].type).toBe(t.func);
          // Each try that was launched: the earlier ones as attempts, the last as the execution.
          const attempts = events.filter((e) => e.task === index && e.event === 'attempt_start').length;
          expect(attempts + (tasks[index].start === null ? 0 : 1)).toBe(t.tries);
        }
      }
    });
  }

  it('keeps the phases: submit (app called) <= eligible (launched) <= start (running) <= end (returned)', async () => {
    const [run] = await importRunsWith(parslImporter, path.join(DIR, 'parsl-2026.07.27-1-gb8b474c7a-htex.monitoring.db'));
    const events = (await storedEvents(run));
    const tasks = (await storedTasks(run));
    for (let i = 0; i < tasks.length; i++) {
      if (tasks[i].start === null) continue;
      const at = (name: string) => events.find((e) => e.task === i && e.event === name)!.time;
      expect(at('submit')).toBeLessThanOrEqual(at('eligible'));
      expect(at('start')).toBe(tasks[i].start);
      expect(at('end')).toBe(tasks[i].end);
      expect(at('end')).toBeGreaterThanOrEqual(at('start'));
    }
    // RETRY failed its first try (fail_retryable), FAIL its first two, and failed for good on the third.
    const retry = tasks.findIndex((t) => t.uid === '5');
    expect(events.filter((e) => e.task === retry && e.event.startsWith('attempt')).map((e) => `${e.event}:${e.state}`)).toEqual([
      'attempt_start:fail_retryable', 'attempt_end:fail_retryable',
    ]);
    expect(tasks.find((t) => t.uid === '6')).toMatchObject({ type: 'always_fail', state: 'failed' });
    // DEP never ran: no interval, its dep_fail kept as an event.
    const dep = tasks.findIndex((t) => t.uid === '9');
    expect(tasks[dep]).toMatchObject({ state: 'dep_fail', start: null, end: null, node: null });
    expect(events.filter((e) => e.task === dep).map((e) => e.event)).toEqual(['submit', 'dep_fail']);
  });

  it('takes the machine from the node table: HTEX with 6 workers on 2 CPUs gives each task a third of a CPU', async () => {
    const [htex] = await importRunsWith(parslImporter, path.join(DIR, 'parsl-1.1.0-htex.monitoring.db'));
    expect(htex.run.capacity).toMatchObject({ nodes: 1, cores: 2, coresPerNode: 2, gpus: null });
    expect((await storedTasks(htex)).find((t) => t.uid === '0')).toMatchObject({ node: 'vm' });
    expect((await storedTasks(htex)).find((t) => t.uid === '0')!.cores).toBeCloseTo(2 / 6, 9);
    expect(htex.warnings).toEqual([]);
    const [threads] = await importRunsWith(parslImporter, path.join(DIR, 'parsl-2026.07.27-1-gb8b474c7a-threads.monitoring.db'));
    expect(threads.run.capacity.cores).toBeNull();
    expect(threads.warnings.join('\n')).toMatch(/node table has no rows .* thread pool/);
    const [given] = await importRunsWith(parslImporter, path.join(DIR, 'parsl-2026.07.27-1-gb8b474c7a-threads.monitoring.db'), { capacity: { cores: 6 } });
    expect(given.run.capacity.cores).toBe(6);
  });

  it('says which task Parsl 1.0 lost, and keeps the earlier tries it shows only in status', async () => {
    const [run] = await importRunsWith(parslImporter, path.join(DIR, 'parsl-1.0.0-threads.monitoring.db'));
    expect(run.warnings[0]).toMatch(/^1 task\(s\) started and never returned although the workflow run completed/);
    const tasks = (await storedTasks(run));
    const fail = tasks.findIndex((t) => t.uid === '6');
    expect(tasks[fail]).toMatchObject({ state: 'running', end: null });
    expect((await storedEvents(run)).filter((e) => e.task === fail && e.event === 'attempt_end').map((e) => e.state)).toEqual(['pending', 'pending']);
  });

  it('imports one run with --parsl-run, and names the runs there are when it is not one of them', async () => {
    const file = path.join(DIR, 'parsl-1.1.0-htex.monitoring.db');
    const runs = await importRunsWith(parslImporter, file, { parsl: { run: '9075902e-e8f3-4c18-a550-6adf7342ad6e' } });
    expect(runs.map((r) => r.run.workflow)).toEqual(['asyncscope-paper-dag-sync']);
    await expect(importRunsWith(parslImporter, file, { parsl: { run: 'nope' } })).rejects.toThrow(
      'parsl-1.1.0-htex.monitoring.db: no workflow run "nope"; it holds d789d7cd-348e-4cb6-a19c-1d9ceb496eb3 (asyncscope-paper-dag-async), 9075902e-e8f3-4c18-a550-6adf7342ad6e (asyncscope-paper-dag-sync)',
    );
  });

  it('identifies a run by its own content: the same run in a database that lost the other run hashes the same', async () => {
    const copy = path.join(work, 'one-run.monitoring.db');
    fs.copyFileSync(path.join(DIR, 'parsl-1.1.0-htex.monitoring.db'), copy);
    const db = new Database(copy);
    db.pragma('foreign_keys = OFF'); // Parsl 1.1's schema declares keys SQLite cannot check
    for (const table of ['task', 'try', 'status', 'resource', 'node', 'block', 'workflow']) db.prepare(`DELETE FROM "${table}" WHERE run_id = ?`).run('d789d7cd-348e-4cb6-a19c-1d9ceb496eb3');
    db.close();
    const both = await importRunsWith(parslImporter, path.join(DIR, 'parsl-1.1.0-htex.monitoring.db'));
    const one = await importRunsWith(parslImporter, copy);
    expect(one).toHaveLength(1);
    expect(one[0].run.contentHash).toBe(both[1].run.contentHash);
    expect(both[0].run.contentHash).not.toBe(both[1].run.contentHash);
  });
});


/** A copy of the real htex database to edit, open, with its first run's id. */
function editableHtex(name: string): { copy: string; db: Database.Database; runId: string } {
  const copy = path.join(work, name);
  fs.copyFileSync(path.join(DIR, 'parsl-2026.07.27-1-gb8b474c7a-htex.monitoring.db'), copy);
  const db = new Database(copy);
  const runId = (db.prepare('SELECT run_id FROM workflow ORDER BY time_began LIMIT 1').get() as { run_id: string }).run_id;
  return { copy, db, runId };
}
describe('Parsl importer on hostile databases', () => {
  function database(name: string, ddl: string[], rows: [string, unknown[]][] = []): string {
    const file = path.join(work, name);
    fs.rmSync(file, { force: true });
    const db = new Database(file);
    for (const statement of ddl) db.exec(statement);
    for (const [sql, values] of rows) db.prepare(sql).run(...values);
    db.close();
    return file;
  }
  const NEWER_DDL = [
    'CREATE TABLE workflow (run_id TEXT, workflow_name TEXT, time_began DATETIME, time_completed DATETIME)',
    'CREATE TABLE task (task_id INTEGER, run_id TEXT, task_depends TEXT, task_func_name TEXT, task_time_invoked DATETIME, task_time_returned DATETIME)',
    'CREATE TABLE try (try_id INTEGER, task_id INTEGER, run_id TEXT, hostname TEXT, task_try_time_launched DATETIME, task_try_time_running DATETIME, task_try_time_returned DATETIME, task_fail_history TEXT)',
    'CREATE TABLE status (task_id INTEGER, task_status_name TEXT, timestamp DATETIME, run_id TEXT, try_id INTEGER)',
  ];

  it('refuses a database that is not Parsl\'s, one of a schema it does not know, and a file that is no database', async () => {
    const other = database('other.db', ['CREATE TABLE runs (id TEXT)']);
    await expect(importRunsWith(parslImporter, other)).rejects.toThrow('other.db: not a Parsl monitoring database: it has no workflow, task, status table (tables: runs)');
    const odd = database('odd.db', [
      'CREATE TABLE workflow (run_id TEXT, workflow_name TEXT, time_began DATETIME, time_completed DATETIME)',
      'CREATE TABLE task (task_id INTEGER, run_id TEXT, started DATETIME)',
      'CREATE TABLE status (task_id INTEGER, task_status_name TEXT, timestamp DATETIME, run_id TEXT)',
    ]);
    await expect(importRunsWith(parslImporter, odd)).rejects.toThrow(
      /^odd\.db: a Parsl monitoring database of a schema this reader does not know: no "try" table \(as Parsl <= 1\.0\) and no task\.task_depends, .* \(task columns: task_id, run_id, started\)/,
    );
    const text = path.join(work, 'text.db');
    fs.writeFileSync(text, 'not a database at all, just text that is long enough to have a header');
    await expect(importRunsWith(parslImporter, text)).rejects.toThrow(/^text\.db: cannot be read as an SQLite database/);
  });

  it('names table, task, try and column of a value that is not a time, and of a task id that is not one', async () => {
    const insertRun = ['INSERT INTO workflow VALUES (?, ?, ?, ?)', ['r1', 'wf', '2026-01-01 00:00:00', null]] as [string, unknown[]];
    const badTime = database('badtime.db', NEWER_DDL, [
      insertRun,
      ['INSERT INTO task VALUES (?, ?, ?, ?, ?, ?)', [0, 'r1', '', 'f', '2026-01-01 00:00:00', null]],
      ['INSERT INTO try VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [0, 0, 'r1', 'h', '2026-01-01 00:00:01', 'half past two', null, null]],
    ]);
    await expect(importRunsWith(parslImporter, badTime)).rejects.toThrow('badtime.db: table try, task 0 try 0: task_try_time_running "half past two" is not a time');
    const badId = database('badid.db', NEWER_DDL, [insertRun, ['INSERT INTO task VALUES (?, ?, ?, ?, ?, ?)', ['seven', 'r1', '', 'f', null, null]]]);
    await expect(importRunsWith(parslImporter, badId)).rejects.toThrow('badid.db: table task, run r1: task_id "seven" is not an integer');
    const empty = database('empty.db', NEWER_DDL);
    await expect(importRunsWith(parslImporter, empty)).rejects.toThrow('empty.db: a Parsl monitoring database without any workflow run (table workflow is empty)');
  });

  it('refuses dependencies that form a cycle (task_depends of a real database made to loop), naming run and tasks', async () => {
    const { copy, db, runId } = editableHtex('cycle.monitoring.db');
    // Task 7 takes task 0's result; task 0 now takes task 7's.
    expect(db.prepare('SELECT task_depends FROM task WHERE run_id = ? AND task_id = 7').pluck().get(runId)).toBe('0');
    db.prepare("UPDATE task SET task_depends = '7' WHERE run_id = ? AND task_id = 0").run(runId);
    db.close();
    await expect(importRunsWith(parslImporter, copy, { parsl: { run: runId } })).rejects.toThrow(
      `cycle.monitoring.db: table task, run ${runId}: the dependencies (task_depends) form a cycle: tasks 0 -> 7 -> 0`,
    );
  });

  it('takes a task that names one dependency twice (a future passed twice: task_depends "6,6") as one edge', async () => {
    const { copy, db, runId } = editableHtex('twice.monitoring.db');
    expect(db.prepare('SELECT task_depends FROM task WHERE run_id = ? AND task_id = 9').pluck().get(runId)).toBe('6');
    db.prepare("UPDATE task SET task_depends = '6,6' WHERE run_id = ? AND task_id = 9").run(runId);
    db.close();
    const [twice] = await importRunsWith(parslImporter, copy, { parsl: { run: runId } });
    const [once] = await importRunsWith(parslImporter, path.join(DIR, 'parsl-2026.07.27-1-gb8b474c7a-htex.monitoring.db'), { parsl: { run: runId } });
    expect(await storedEdges(twice)).toEqual(await storedEdges(once));
  });

  it('warns about a try that returned before it ran (a real database with one try\'s return moved back), naming the task', async () => {
    const { copy, db, runId } = editableHtex('backwards.monitoring.db');
    const running = db.prepare('SELECT task_try_time_running FROM try WHERE run_id = ? AND task_id = 3').pluck().get(runId) as string;
    expect(running).toMatch(/^2026-12-01 22:50:29\.\d+$/);
    const returned = running.replace(' 22:50:29.', ' 22:50:27.'); // 2 s before it ran
    db.prepare('UPDATE try SET task_try_time_returned = ? WHERE run_id = ? AND task_id = 3').run(returned, runId);
    db.close();
    const [run] = await importRunsWith(parslImporter, copy, { parsl: { run: runId } });
    expect(run.warnings).toContain(
      '1 task(s) returned before they ran (the first: task 3, 2 s before; clocks of the worker and submit hosts apart, or a damaged row): stored as they are; analyses leave them out',
    );
  });

  it('takes a memoized task (memo_done) as cached: not executed in this run, no interval, its submit and memo_done kept as events', async () => {
    const file = database('memo.db', NEWER_DDL, [
      ['INSERT INTO workflow VALUES (?, ?, ?, ?)', ['r1', 'wf', '2026-01-01 00:00:00', '2026-01-01 00:00:09']],
      ['INSERT INTO task VALUES (?, ?, ?, ?, ?, ?)', [0, 'r1', '', 'sim', '2026-01-01 00:00:00', '2026-01-01 00:00:05']],
      ['INSERT INTO task VALUES (?, ?, ?, ?, ?, ?)', [1, 'r1', '0', 'train', '2026-01-01 00:00:01', '2026-01-01 00:00:01']],
      ['INSERT INTO try VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [0, 0, 'r1', 'h', '2026-01-01 00:00:01', '2026-01-01 00:00:02', '2026-01-01 00:00:05', null]],
      ['INSERT INTO try VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [0, 1, 'r1', null, null, null, null, null]],
      ['INSERT INTO status VALUES (?, ?, ?, ?, ?)', [1, 'memo_done', '2026-01-01 00:00:01', 'r1', 0]],
    ]);
    const [run] = await importRunsWith(parslImporter, file);
    expect(run.run).toMatchObject({ tasks: 2, executed: 1, outcomes: { done: 1, cached: 1 } });
    const tasks = await storedTasks(run);
    expect(tasks[1]).toMatchObject({ state: 'memo_done', outcome: 'cached', start: null, end: null });
    expect((await storedEvents(run)).filter((e) => e.task === 1).map((e) => e.event)).toEqual(['submit', 'memo_done']);
  });

  it('keeps a run cut short: tasks still running or waiting, dependencies on unknown tasks and stray rows warned about', async () => {
    const file = database('cut.db', NEWER_DDL, [
      ['INSERT INTO workflow VALUES (?, ?, ?, ?)', ['r1', 'wf', '2026-01-01 00:00:00', null]],
      ['INSERT INTO task VALUES (?, ?, ?, ?, ?, ?)', [0, 'r1', '', 'sim', '2026-01-01 00:00:00', null]],
      ['INSERT INTO task VALUES (?, ?, ?, ?, ?, ?)', [1, 'r1', '0,,42', 'train', '2026-01-01 00:00:00', null]],
      ['INSERT INTO try VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [0, 0, 'r1', 'h', '2026-01-01 00:00:01', '2026-01-01 00:00:02', null, null]],
      ['INSERT INTO try VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [0, 9, 'r1', 'h', '2026-01-01 00:00:01', '2026-01-01 00:00:02', null, null]],
    ]);
    const [run] = await importRunsWith(parslImporter, file);
    expect(run.run).toMatchObject({ tasks: 2, executed: 0, incomplete: 1 });
    expect((await storedTasks(run)).map((t) => [t.state, t.outcome])).toEqual([['running', 'running'], ['pending', 'pending']]);
    expect((await storedEdges(run))).toEqual([[0, 1]]);
    expect(run.warnings).toContain('1 row(s) of tables try and status name tasks the task table lacks: left out');
    expect(run.warnings).toContain('1 dependencies (task_depends) name tasks that are not in the run: left out');
    expect(run.warnings.join('\n')).not.toMatch(/never returned/); // the run did not complete: nothing was lost
  });
});
