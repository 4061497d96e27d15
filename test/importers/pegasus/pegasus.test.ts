/**
 * The Pegasus importer on the four real stampede databases in ../shared/traces/pegasus (Pegasus
 * 5.0.5 runs; expected.json gives what jobstate.log and pegasus-statistics report for two of
 * them), then on hostile databases.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { pegasusImporter } from '../../../src/importers/pegasus/index.js';
import { tempDir } from '../../helpers/cli.js';
import { importRunsWith, storedEdges, storedEvents, storedTasks, type ImportedRun } from '../../helpers/importer-run.js';
import { describeWithShared, sharedTrace } from '../../helpers/shared-traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function one(file: string): Promise<ImportedRun> {
  const runs = await importRunsWith(pegasusImporter, sharedTrace('pegasus', file));
  expect(runs).toHaveLength(1);
  return runs[0];
}

const byState = async (run: ImportedRun) =>
  (await storedTasks(run)).reduce<Record<string, number>>((all, t) => ({ ...all, [String(t.state)]: (all[String(t.state)] ?? 0) + 1 }), {});

describeWithShared('Pegasus importer on real stampede databases (../shared/traces/pegasus)', () => {
  const expected = () =>
    JSON.parse(fs.readFileSync(sharedTrace('pegasus', 'expected.json'), 'utf8')) as Record<
      string,
      { tasks: number; executed: number; makespan_s: number; edges: number; per_type: Record<string, number>; last_event: Record<string, string> }
    >;

  it('process_wf_success: 5 jobs, all executed and succeeded, 64 s, 4 edges (expected.json)', async () => {
    const figures = expected().process_wf_success;
    const run = await one('process_wf_success/process-0.stampede.db');
    expect(run.run).toMatchObject({ id: 'process-0', workflow: 'process', format: 'pegasus', tasks: figures.tasks, executed: figures.executed, makespanS: figures.makespan_s });
    expect((await storedEdges(run))).toHaveLength(figures.edges);
    expect(await byState(run)).toEqual({ POST_SCRIPT_SUCCESS: 5 });
    expect(run.run.outcomes).toEqual({ done: 5 });
    const types = (await storedTasks(run)).reduce<Record<string, number>>((all, t) => ({ ...all, [t.type]: (all[t.type] ?? 0) + 1 }), {});
    expect(types).toEqual(figures.per_type);
  });

  it('sample_wf_held: 8 jobs, 3 executed, 1 failed (held, then aborted), 5 never submitted, 110 s, 8 edges, as pegasus-statistics reports', async () => {
    const figures = expected().sample_wf_held;
    const run = await one('sample_wf_held/Drug-Combination-Therapy-0.stampede.db');
    expect(run.run).toMatchObject({ tasks: figures.tasks, executed: figures.executed, makespanS: figures.makespan_s });
    expect((await storedEdges(run))).toHaveLength(figures.edges);
    // pegasus-statistics: jobs succeeded 2, failed 1, incomplete 5. jobstate.log calls the post
    // script's failure POST_SCRIPT_FAILURE; the stampede database, POST_SCRIPT_FAILED.
    expect(await byState(run)).toEqual({ POST_SCRIPT_SUCCESS: 2, POST_SCRIPT_FAILED: 1, null: 5 });
    // The 5 "incomplete" jobs: DAGMan stopped after the failure and never submitted them.
    expect(run.run.outcomes).toEqual({ done: 2, failed: 1, skipped: 5 });
    const tasks = (await storedTasks(run));
    const types = tasks.reduce<Record<string, number>>((all, t) => ({ ...all, [t.type]: (all[t.type] ?? 0) + 1 }), {});
    expect(types).toEqual(figures.per_type);
    // The held job: its execution from EXECUTE to JOB_ABORTED, the hold kept as an event.
    const held = tasks.findIndex((t) => t.uid === 'chebi_drug_loader_ID0000001');
    expect(tasks[held]).toMatchObject({ type: 'chebi_drug_loader', start: 64, end: 110 });
    expect((await storedEvents(run)).filter((e) => e.task === held).map((e) => `${e.event}:${e.state}`)).toEqual([
      'submit:SUBMIT', 'start:EXECUTE', 'compute_start:chebi_drug_loader', 'job_held:JOB_HELD', 'end:JOB_ABORTED', 'job_failure:JOB_FAILURE',
      'compute_end:chebi_drug_loader', 'post_start:POST_SCRIPT_STARTED', 'post_end:POST_SCRIPT_TERMINATED', 'post_script_failed:POST_SCRIPT_FAILED',
    ]);
  });

  it('process_wf_failure: ls failed on both tries (the first kept as an attempt), 3 jobs never submitted; 2 executed over 82 s, 4 edges', async () => {
    // Figures by expected.py's definitions on its jobstate.log (first EXECUTE, last JOB_TERMINATED):
    // 2 jobs executed, 1677913875 - 1677913793 = 82 s; job_edge has 4 rows.
    const run = await one('process_wf_failure/process-0.stampede.db');
    expect(run.run).toMatchObject({ tasks: 5, executed: 2, makespanS: 82 });
    expect((await storedEdges(run))).toHaveLength(4);
    expect(await byState(run)).toEqual({ POST_SCRIPT_SUCCESS: 1, POST_SCRIPT_FAILED: 1, null: 3 });
    expect(run.run.outcomes).toEqual({ done: 1, failed: 1, skipped: 3 });
    const tasks = (await storedTasks(run));
    const ls = tasks.findIndex((t) => t.uid === 'ls_ID0000001');
    expect(tasks[ls]).toMatchObject({ start: 81, end: 82 });
    expect((await storedEvents(run)).filter((e) => e.task === ls && e.event.startsWith('attempt'))).toEqual([
      { task: ls, event: 'attempt_start', state: 'POST_SCRIPT_FAILED', time: 66 },
      { task: ls, event: 'attempt_end', state: 'POST_SCRIPT_FAILED', time: 67 },
    ]);
  });

  it('hierarchical_wf_success: the root with its sub-workflow, 28 jobs, 26 executed, 303 s, 37 edges; cut short, and said so', async () => {
    // 13 jobs of the root and 15 of the sub-workflow (job table); the root's jobstate.log shows 11
    // root jobs executed, its first EXECUTE at 1677920475 and last JOB_TERMINATED at 1677920778;
    // job_edge has 17 + 20 rows. The root never terminated (monitord stopped first).
    const run = await one('hierarchical_wf_success/hierarchical-workflow-0.stampede.db');
    expect(run.run).toMatchObject({ id: 'hierarchical-workflow-0', tasks: 28, executed: 26, makespanS: 303 });
    expect((await storedEdges(run))).toHaveLength(37);
    const tasks = (await storedTasks(run));
    expect(tasks.filter((t) => t.pipeline === null)).toHaveLength(13);
    expect(tasks.filter((t) => t.pipeline === 'pegasus-plan_diamond_subworkflow')).toHaveLength(15);
    expect(tasks.find((t) => t.uid === 'pegasus-plan_diamond_subworkflow')).toMatchObject({ type: 'dax', cores: 0, gpus: 0, start: 66, end: 252 });
    expect(tasks.find((t) => t.uid === 'pegasus-plan_diamond_subworkflow/analyze_ID0000004')).toMatchObject({ type: 'analyze', name: 'analyze_ID0000004' });
    expect(await byState(run)).toEqual({ POST_SCRIPT_SUCCESS: 24, JOB_SUCCESS: 1, POST_SCRIPT_STARTED: 1, null: 2 });
    // Cut short, not failed: the job whose post script was running is running, the two never submitted pending.
    expect(run.run.outcomes).toEqual({ done: 25, running: 1, pending: 2 });
    expect(run.warnings[0]).toMatch(/^3 job\(s\) did not finish in a workflow that never terminated/);
    // Edges stay inside each workflow: the sub-workflow's jobs depend on one another only.
    for (const [p, c] of (await storedEdges(run))) expect(tasks[p].pipeline).toBe(tasks[c].pipeline);
  });

  it('keeps kickstart\'s record of the program as compute_start/compute_end inside the job\'s execution', async () => {
    const run = await one('process_wf_success/process-0.stampede.db');
    const tasks = (await storedTasks(run));
    const events = (await storedEvents(run));
    const ls = tasks.findIndex((t) => t.uid === 'ls_ID0000001');
    const at = (name: string) => events.find((e) => e.task === ls && e.event === name)!;
    expect(at('compute_start')).toMatchObject({ state: 'ls', time: 32 });
    expect(at('compute_end').time).toBeCloseTo(32.005, 6);
    expect(at('submit').time).toBe(16); // queued 15 s before EXECUTE at 31
  });

  it('says which jobs terminated before they executed (process_wf_success with ls\'s JOB_TERMINATED moved before its EXECUTE): stored without an end', async () => {
    const copy = path.join(work, 'terminated-early.stampede.db');
    fs.copyFileSync(sharedTrace('pegasus', 'process_wf_success/process-0.stampede.db'), copy);
    const db = new Database(copy);
    const instance = db.prepare("SELECT job_instance_id FROM job_instance JOIN job USING (job_id) WHERE exec_job_id = 'ls_ID0000001'").pluck().get() as number;
    const execute = db.prepare("SELECT timestamp FROM jobstate WHERE job_instance_id = ? AND state = 'EXECUTE'").pluck().get(instance) as number;
    db.prepare("UPDATE jobstate SET timestamp = ? WHERE job_instance_id = ? AND state = 'JOB_TERMINATED'").run(execute - 5, instance);
    db.close();
    const original = await one('process_wf_success/process-0.stampede.db');
    expect(original.warnings.join('\n')).not.toMatch(/terminated before/);
    const [run] = await importRunsWith(pegasusImporter, copy);
    expect(run.warnings).toContain(
      '1 job(s) terminated before they executed (jobstate times out of order: clocks apart, or a damaged row; the first: ls_ID0000001): stored without an end',
    );
    const ls = (await storedTasks(run)).find((t) => t.uid === 'ls_ID0000001')!;
    expect(ls.start).toEqual(expect.any(Number));
    expect(ls.end ?? null).toBeNull();
  });

  it('refuses a job table without its UNIQUE (wf_id, exec_job_id) that holds a job name twice in a workflow, naming table, row and name; reads it alike without a repeat', async () => {
    const copy = path.join(work, 'job-unkeyed.stampede.db');
    fs.copyFileSync(sharedTrace('pegasus', 'process_wf_success/process-0.stampede.db'), copy);
    const db = new Database(copy);
    db.pragma('foreign_keys = OFF'); // job_instance refers to job
    const ddl = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'job'").pluck().get() as string;
    const unkeyed = ddl.replace(/,\s*CONSTRAINT "UNIQUE_JOB" UNIQUE \(wf_id, exec_job_id\)/, '').replace(/^CREATE TABLE job /, 'CREATE TABLE job_unkeyed ');
    expect(unkeyed).not.toMatch(/UNIQUE/);
    // SQLite's way to change a table's constraints: a new table, the rows copied, the old one dropped (job_instance's references stay with "job").
    db.exec(`${unkeyed}; INSERT INTO job_unkeyed SELECT * FROM job; DROP TABLE job; ALTER TABLE job_unkeyed RENAME TO job;`);
    db.close();
    // Without a repeat, the same run as from the real database.
    const original = await one('process_wf_success/process-0.stampede.db');
    const [same] = await importRunsWith(pegasusImporter, copy);
    expect(await storedTasks(same)).toEqual(await storedTasks(original));
    expect(await storedEdges(same)).toEqual(await storedEdges(original));

    const again = new Database(copy);
    again.exec("INSERT INTO job SELECT 6, wf_id, exec_job_id, submit_file, type_desc, clustered, max_retries, executable, argv, task_count FROM job WHERE exec_job_id = 'ls_ID0000001'");
    again.close();
    await expect(importRunsWith(pegasusImporter, copy)).rejects.toThrow(
      /^job-unkeyed\.stampede\.db: table job, job_id 6: exec_job_id "ls_ID0000001" repeats that of job_id 4 in workflow wf_id 1 \(/,
    );
  });

  it('refuses a job_edge that closes a cycle (process_wf_success with cleanup made a parent of ls), naming its jobs', async () => {
    const copy = path.join(work, 'cycle.stampede.db');
    fs.copyFileSync(sharedTrace('pegasus', 'process_wf_success/process-0.stampede.db'), copy);
    const db = new Database(copy);
    // ls -> stage_out -> cleanup already; cleanup -> ls closes the loop.
    db.prepare('INSERT INTO job_edge VALUES (1, ?, ?)').run('cleanup_process_0_local', 'ls_ID0000001');
    db.close();
    await expect(importRunsWith(pegasusImporter, copy)).rejects.toThrow(
      'cycle.stampede.db: table job_edge: the jobs depend on each other in a cycle: ls_ID0000001 -> stage_out_local_local_0_0 -> cleanup_process_0_local -> ls_ID0000001',
    );
  });
});

describe('Pegasus importer on hostile databases', () => {
  const DDL = [
    'CREATE TABLE dbversion (id INTEGER PRIMARY KEY, version_number INTEGER, version TEXT, version_timestamp INTEGER)',
    'CREATE TABLE workflow (wf_id INTEGER, wf_uuid TEXT, dag_file_name TEXT, dax_label TEXT, parent_wf_id INTEGER, root_wf_id INTEGER)',
    'CREATE TABLE workflowstate (wf_id INTEGER, state TEXT, timestamp NUMERIC, status INTEGER)',
    'CREATE TABLE job (job_id INTEGER, wf_id INTEGER, exec_job_id TEXT, type_desc TEXT)',
    'CREATE TABLE job_instance (job_instance_id INTEGER, job_id INTEGER, host_id INTEGER, job_submit_seq INTEGER, subwf_id INTEGER, exitcode INTEGER)',
    'CREATE TABLE jobstate (job_instance_id INTEGER, state TEXT, timestamp NUMERIC, jobstate_submit_seq INTEGER)',
    'CREATE TABLE invocation (job_instance_id INTEGER, task_submit_seq INTEGER, start_time NUMERIC, remote_duration NUMERIC, transformation TEXT)',
    'CREATE TABLE job_edge (wf_id INTEGER, parent_exec_job_id TEXT, child_exec_job_id TEXT)',
    'CREATE TABLE task (job_id INTEGER, transformation TEXT)',
    'CREATE TABLE host (host_id INTEGER, hostname TEXT)',
  ];
  function stampede(name: string, version: number | null, rows: [string, unknown[]][] = []): string {
    const file = path.join(work, name);
    fs.rmSync(file, { force: true });
    const db = new Database(file);
    for (const statement of DDL) db.exec(statement);
    if (version !== null) db.prepare('INSERT INTO dbversion VALUES (1, ?, ?, 0)').run(version, String(version));
    db.prepare('INSERT INTO workflow VALUES (1, ?, ?, ?, NULL, 1)').run('uuid-1', 'wf-0.dag', 'wf');
    for (const [sql, values] of rows) db.prepare(sql).run(...values);
    db.close();
    return file;
  }

  it('refuses an unknown schema version by its number, and a database without one', async () => {
    await expect(importRunsWith(pegasusImporter, stampede('v15.db', 15))).rejects.toThrow(
      'v15.db: a Pegasus stampede database of schema version 15, which this reader does not know (it reads versions 1 to 14: Pegasus 4.5 to 5.1)',
    );
    await expect(importRunsWith(pegasusImporter, stampede('nov.db', null))).rejects.toThrow(/^nov\.db: a Pegasus stampede database of schema version null/);
  });

  it('names table, row and column of a value Pegasus does not write', async () => {
    const file = stampede('bad.db', 14, [
      ['INSERT INTO job VALUES (1, 1, ?, ?)', ['a_ID1', 'compute']],
      ['INSERT INTO job_instance VALUES (1, 1, NULL, 1, NULL, NULL)', []],
      ['INSERT INTO jobstate VALUES (1, ?, ?, 1)', ['EXECUTE', 'tuesday']],
    ]);
    await expect(importRunsWith(pegasusImporter, file)).rejects.toThrow('bad.db: table jobstate, job_instance_id 1, state EXECUTE: timestamp "tuesday" is not what Pegasus writes there');
  });

  it('reads a minimal run: a job still executing (no end), one waiting, an edge to a job it does not know', async () => {
    const file = stampede('min.db', 14, [
      ['INSERT INTO job VALUES (1, 1, ?, ?)', ['a_ID1', 'compute']],
      ['INSERT INTO job VALUES (2, 1, ?, ?)', ['b_ID2', 'compute']],
      ['INSERT INTO job_instance VALUES (1, 1, NULL, 1, NULL, NULL)', []],
      ['INSERT INTO jobstate VALUES (1, ?, ?, 1)', ['SUBMIT', 100]],
      ['INSERT INTO jobstate VALUES (1, ?, ?, 2)', ['EXECUTE', 105]],
      ['INSERT INTO job_edge VALUES (1, ?, ?)', ['a_ID1', 'b_ID2']],
      ['INSERT INTO job_edge VALUES (1, ?, ?)', ['a_ID1', 'ghost']],
    ]);
    const [run] = await importRunsWith(pegasusImporter, file);
    expect(run.run).toMatchObject({ id: 'wf-0', tasks: 2, executed: 0, incomplete: 1 });
    expect((await storedTasks(run)).map((t) => [t.uid, t.type, t.state])).toEqual([['a_ID1', 'a', 'EXECUTE'], ['b_ID2', 'b', null]]);
    expect((await storedEdges(run))).toEqual([[0, 1]]);
    expect(run.warnings).toContain('1 row(s) of job_edge name jobs the job table lacks: left out');
  });

  it('takes a job_edge row given twice (a table copied without its key) as one edge', async () => {
    const file = stampede('twice.db', 14, [
      ['INSERT INTO job VALUES (1, 1, ?, ?)', ['a_ID1', 'compute']],
      ['INSERT INTO job VALUES (2, 1, ?, ?)', ['b_ID2', 'compute']],
      ['INSERT INTO job_edge VALUES (1, ?, ?)', ['a_ID1', 'b_ID2']],
      ['INSERT INTO job_edge VALUES (1, ?, ?)', ['a_ID1', 'b_ID2']],
    ]);
    const [run] = await importRunsWith(pegasusImporter, file);
    expect(await storedEdges(run)).toEqual([[0, 1]]);
  });
});
