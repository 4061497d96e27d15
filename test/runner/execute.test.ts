/**
 * The runner's engine with real processes and the real clock: slots, dependencies, barriers,
 * failures, commands and their placeholders, stopping. Everything is checked from the trace the
 * run writes. Durations are tenths of a second, so that each test takes a second or two.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/model/parse-spec.js';
import { execute, type ExecuteOptions } from '../../src/runner/execute.js';
import { planRun, type RunPlan } from '../../src/runner/plan.js';
import { traceLines } from '../../src/runner/trace.js';
import { tempDir } from '../helpers/cli.js';
import { checkBarriers, checkDependencies, checkSlots, parseTrace, type TraceRow } from './trace-checks.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function run(yaml: string, options: Partial<ExecuteOptions> & { mode: ExecuteOptions['mode'] }, scale = 1): Promise<{ plan: RunPlan; rows: TraceRow[] }> {
  const plan = planRun(parseSpec(yaml), scale);
  const result = await execute(plan, { onFailure: 'continue', ...options }).result;
  return { plan, rows: parseTrace([...traceLines(plan, result.records)].join('')) };
}

const levelOf = (plan: RunPlan) => {
  const index = new Map(plan.tasks.map((task) => [task.id, task.index]));
  return (row: TraceRow) => plan.levels[plan.graph.groupOf[index.get(row.id)!]];
};

// Two nodes of 4 cores and 2 GPUs; more work than fits at once, in mixed shapes.
const CONTENDED = `
name: contended
platform: { nodes: 2, cores_per_node: 4, gpus_per_node: 2 }
stages:
  - { name: gen,  tasks: 6, duration_s: 0.1, cores: 1 }
  - { name: big,  tasks: 3, duration_s: 0.15, cores: 3, after: [gen] }
  - { name: gpu,  tasks: 6, duration_s: 0.1, cores: 1, gpus: 1, after: [gen] }
  - { name: wide, tasks: 2, duration_s: 0.1, cores: 4, gpus: 2, after: [big] }
  - { name: tail, tasks: 4, duration_s: 0.05, cores: 2, after: [gpu] }
`;

describe('the runner engine', () => {
  it('never holds more cores or GPUs than a node has, nor one slot twice, and starts tasks after their parents (async)', async () => {
    const { rows } = await run(CONTENDED, { mode: 'async' });
    expect(rows).toHaveLength(21);
    expect(rows.every((row) => row.state === 'DONE' && row.exit_code === 0)).toBe(true);
    const { maxCores, maxGpus } = checkSlots(rows, 4, 2);
    expect(maxCores).toBe(8); // the platform was full at some point: the check checked something
    expect(maxGpus).toBe(4);
    expect(new Set(rows.map((row) => row.node))).toEqual(new Set(['node-0', 'node-1']));
    checkDependencies(rows);
    for (const row of rows) expect(row.start!).toBeGreaterThanOrEqual(row.submit!);
    // big.2 (3 cores) found no node with 3 free cores when big and gpu were submitted together.
    const big2 = rows.find((row) => row.id === 'big.2')!;
    expect(big2.start! - big2.submit!).toBeGreaterThan(0.05);
  });

  it('runs the DAG level by level in sync mode: no task of level k + 1 starts before all of level k ended', async () => {
    const { plan, rows } = await run(CONTENDED, { mode: 'sync' });
    expect(rows.every((row) => row.state === 'DONE')).toBe(true);
    checkSlots(rows, 4, 2);
    checkDependencies(rows);
    expect(checkBarriers(rows, levelOf(plan))).toBe(3); // gen | big gpu | wide tail
    // A stage submitted at the barrier: its tasks wait from the end of the previous level.
    const lastGen = Math.max(...rows.filter((row) => row.stage === 'gen').map((row) => row.end!));
    const tailSubmit = rows.filter((row) => row.stage === 'tail').map((row) => row.submit!);
    for (const submit of tailSubmit) expect(submit).toBeGreaterThan(lastGen);
  });

  it('times a short task right while many others are being started (no exit waits for a whole round of spawns)', async () => {
    // 60 processes started together take Node 0.3-2 s to spawn; the short task ends meanwhile.
    const yaml = `
platform: { cores: 61 }
stages:
  - { name: short, tasks: 1, duration_s: 0.05 }
  - { name: crowd, tasks: 60, duration_s: 1 }
`;
    const { rows } = await run(yaml, { mode: 'async' });
    const crowd = rows.filter((row) => row.stage === 'crowd');
    const spread = Math.max(...crowd.map((row) => row.start!)) - Math.min(...crowd.map((row) => row.start!));
    const short = rows.find((row) => row.id === 'short.0')!;
    expect(short.end! - short.start!).toBeLessThan(0.05 + Math.min(0.25, spread / 2));
    // A loaded machine sees an exit late by up to a few hundred ms (1.265 s once at load 20).
    for (const row of crowd) expect(row.end! - row.start!).toBeLessThan(1.4);
  });

  it('runs a task-level DAG by its parents, with the ids of the spec', async () => {
    const yaml = `
platform: { cores: 2 }
tasks:
  - { id: split, duration_s: 0.05 }
  - { id: left,  duration_s: 0.2, parents: [split] }
  - { id: right, duration_s: 0.05, parents: [split] }
  - { id: after_right, duration_s: 0.05, parents: [right] }
  - { id: merge, duration_s: 0.05, parents: [left, after_right] }
`;
    const asyncRun = await run(yaml, { mode: 'async' });
    checkDependencies(asyncRun.rows);
    checkSlots(asyncRun.rows, 2, 0);
    const byId = new Map(asyncRun.rows.map((row) => [row.id, row]));
    expect(byId.get('merge')!.parents).toEqual(['left', 'after_right']);
    expect(byId.get('after_right')!.start!).toBeLessThan(byId.get('left')!.end!); // beside left, no barrier
    const syncRun = await run(yaml, { mode: 'sync' });
    expect(checkBarriers(syncRun.rows, levelOf(syncRun.plan))).toBe(4); // split | left right | after_right | merge
  });

  it('records a failing command as FAILED with its exit code and message; with continue, its dependants are CANCELED (outcome skipped) and the rest runs', async () => {
    const yaml = `
platform: { cores: 2 }
stages:
  - { name: a,    tasks: 1, duration_s: 0.05 }
  - { name: bad,  tasks: 1, duration_s: 0.05, after: [a], command: "echo 'no input file' >&2; exit 3" }
  - { name: ok,   tasks: 2, duration_s: 0.1, after: [a] }
  - { name: dep,  tasks: 1, duration_s: 0.05, after: [bad] }
  - { name: dep2, tasks: 1, duration_s: 0.05, after: [dep, ok] }
  - { name: ok2,  tasks: 1, duration_s: 0.05, after: [ok] }
  - { name: none, tasks: 1, duration_s: 0.05, after: [ok], command: [/no/such/program] }
`;
    const plan = planRun(parseSpec(yaml), 1);
    const result = await execute(plan, { mode: 'async', onFailure: 'continue' }).result;
    const rows = parseTrace([...traceLines(plan, result.records)].join(''));
    const state = Object.fromEntries(rows.map((row) => [row.id, [row.state, row.outcome, row.exit_code]]));
    expect(state).toEqual({
      'a.0': ['DONE', 'done', 0],
      'bad.0': ['FAILED', 'failed', 3],
      'ok.0': ['DONE', 'done', 0],
      'ok.1': ['DONE', 'done', 0],
      'dep.0': ['CANCELED', 'skipped', null],
      'dep2.0': ['CANCELED', 'skipped', null],
      'ok2.0': ['DONE', 'done', 0],
      'none.0': ['FAILED', 'failed', 127],
    });
    expect(result.records[1].message).toBe('no input file');
    expect(result.records[7].message).toMatch(/ENOENT/);
    const dep = rows.find((row) => row.id === 'dep.0')!;
    expect([dep.submit, dep.start, dep.end, dep.cpu_slots]).toEqual([null, null, null, null]);
  });

  it('with stop, stops the running tasks at the first failure (CANCELED, killed by SIGTERM) and starts nothing more', async () => {
    const yaml = `
platform: { cores: 3 }
stages:
  - { name: long, tasks: 2, duration_s: 30 }
  - { name: bad,  tasks: 1, duration_s: 0.1, command: "exit 1" }
  - { name: next, tasks: 1, duration_s: 0.1, after: [bad] }
  - { name: later, tasks: 1, duration_s: 0.1, after: [long] }
`;
    const started = Date.now();
    const { rows } = await run(yaml, { mode: 'async', onFailure: 'stop' });
    expect(Date.now() - started).toBeLessThan(10_000); // the 30 s tasks did not run to their end
    const state = Object.fromEntries(rows.map((row) => [row.id, [row.state, row.outcome, row.exit_code]]));
    expect(state).toEqual({
      'long.0': ['CANCELED', 'cancelled', 143],
      'long.1': ['CANCELED', 'cancelled', 143],
      'bad.0': ['FAILED', 'failed', 1],
      'next.0': ['CANCELED', 'cancelled', null],
      'later.0': ['CANCELED', 'cancelled', null],
    });
    const long = rows.find((row) => row.id === 'long.0')!;
    expect(long.end! - long.start!).toBeLessThan(5);
  });

  it('stops everything when aborted, and a second abort does not wait for the grace period', async () => {
    const yaml = `
platform: { cores: 2 }
stages:
  - { name: stubborn, tasks: 2, duration_s: 30, command: "trap '' TERM; sleep 30" }
  - { name: next, tasks: 1, duration_s: 0.1, after: [stubborn] }
`;
    const plan = planRun(parseSpec(yaml), 1);
    const execution = execute(plan, { mode: 'async', onFailure: 'continue', graceMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    execution.abort('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    execution.abort('SIGINT'); // SIGTERM is ignored by the shell: only SIGKILL ends it
    const result = await execution.result;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.aborted).toBe('SIGINT');
    expect(result.stopped).toBe(2);
    expect(result.records.map((r) => [r.state, r.outcome])).toEqual([['CANCELED', 'cancelled'], ['CANCELED', 'cancelled'], ['CANCELED', 'cancelled']]);
    expect(result.records[0].exitCode).toBe(137); // 128 + SIGKILL
  });

  it('fills the placeholders of commands and the environment; shell strings quote the values', async () => {
    const out = path.join(work, 'placeholders');
    fs.mkdirSync(out);
    const hostile = `it's "x"; touch ${path.join(out, 'pwned')}`;
    const yaml = JSON.stringify({
      platform: { nodes: 2, cores_per_node: 2, gpus_per_node: 1 },
      tasks: [
        { id: 'first', duration_s: 1.5, cores: 2, gpus: 1, command: ['/bin/sh', '-c', `echo "{task} {stage} {type} {index} {duration_s} {cores} {gpus} {node} {cpu_slots} {gpu_slots} \${HOME:+home}" > ${out}/first`] },
        { id: hostile, type: 'odd', duration_s: 0.25, cores: 1, command: `printf '%s|%s|%s' {task} "$ASYNCSCOPE_TASK" "$ASYNCSCOPE_CPU_SLOTS" > ${out}/hostile` },
      ],
    });
    const { rows } = await run(yaml, { mode: 'async' }, 0.1);
    expect(rows.map((row) => row.state)).toEqual(['DONE', 'DONE']);
    expect(fs.readFileSync(path.join(out, 'first'), 'utf8')).toBe('first first first 0 0.15 2 1 0 0,1 0 home\n');
    expect(fs.readFileSync(path.join(out, 'hostile'), 'utf8')).toBe(`${hostile}|${hostile}|0`);
    expect(fs.existsSync(path.join(out, 'pwned'))).toBe(false);
    expect(rows[1].node).toBe('node-1'); // node 0 was full
  });
});
