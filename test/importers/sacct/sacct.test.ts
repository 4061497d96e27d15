/**
 * The sacct importer on the real Slurm 22.05 outputs in traces/sacct (made by make-traces.sh, with
 * the figures Slurm's own output gives in expected.json and the submitted dependencies in
 * dependencies.tsv), then on hand-written edge cases: what real sacct output rarely shows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sacctImporter } from '../../../src/importers/sacct/index.js';
import { SacctAssembler } from '../../../src/importers/sacct/assemble.js';
import { parseHeader, parseLine } from '../../../src/importers/sacct/text.js';
import type { RunRecorder, TaskEvents, TaskRecord } from '../../../src/importers/common/recorder.js';
import { ROOT, tempDir } from '../../helpers/cli.js';
import { importWith, storedEdges, storedEvents, storedTasks } from '../../helpers/importer-run.js';

const DIR = path.join(ROOT, 'traces', 'sacct');
const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as {
  files: Record<string, {
    format: string;
    allocations: number;
    allocations_expanded: number;
    steps: number;
    allocation_states: Record<string, number>;
    step_states: Record<string, number>;
    fields?: string[];
    workflows?: Record<string, { allocations: number; makespan_s: number }>;
  }>;
  dependencies: { parent_id: number; child_id: number }[];
};
const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const firstWord = (state: string | null | undefined) => (state ?? '').split(' ')[0];
const counts = (values: string[]) => values.reduce<Record<string, number>>((all, v) => ({ ...all, [v]: (all[v] ?? 0) + 1 }), {});
/** The outcome of each state these samples show, as the contract names them. */
const SLURM_OUTCOME: Record<string, string> = { COMPLETED: 'done', FAILED: 'failed', CANCELLED: 'cancelled', TIMEOUT: 'timeout', PENDING: 'pending', RUNNING: 'running' };
const nonZero = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).filter(([, n]) => n > 0));

describe('sacct importer on real Slurm output (traces/sacct)', () => {
  for (const [file, figures] of Object.entries(expected.files)) {
    it(`${file}: as many tasks, in the same states, with the steps and makespans Slurm reports`, async () => {
      const imported = await importWith(sacctImporter, path.join(DIR, file));
      const tasks = (await storedTasks(imported));
      // Each element of a pending array range is a task of its own (one record, several tasks).
      expect(imported.run.tasks).toBe(figures.allocations_expanded);
      const states = { ...nonZero(figures.allocation_states) };
      if (figures.allocations_expanded > figures.allocations) states.PENDING += figures.allocations_expanded - figures.allocations;
      expect(counts(tasks.map((t) => firstWord(t.state)))).toEqual(states);
      // Each state's outcome (IMPORTER-CONTRACT.md), counted on the run as on its tasks.
      const outcomes = counts(Object.entries(states).flatMap(([state, n]) => Array<string>(n).fill(SLURM_OUTCOME[state])));
      expect(imported.run.outcomes).toEqual(outcomes);
      expect(counts(tasks.map((t) => String(t.outcome)))).toEqual(outcomes);

      // Steps are phases of their job: one `<step>_start` event each, with the step's state (when
      // the output has times at all: sacct's default fields have none).
      const events = (await storedEvents(imported));
      const stepStarts = events.filter((e) => e.event.endsWith('_start') && e.event !== 'attempt_start');
      const timed = !figures.fields || figures.fields.includes('Start');
      expect(stepStarts).toHaveLength(timed ? figures.steps : 0);
      if (timed) expect(counts(stepStarts.map((e) => firstWord(e.state)))).toEqual(nonZero(figures.step_states));
      else expect(imported.run.executed).toBe(0);

      for (const [workflow, wf] of Object.entries(figures.workflows ?? {})) {
        const own = tasks.filter((t) => t.name?.startsWith(`${workflow}-`));
        expect(own).toHaveLength(wf.allocations);
        const span = Math.max(...own.map((t) => t.end!)) - Math.min(...own.map((t) => t.start!));
        expect(span).toBe(wf.makespan_s);
      }
      if (figures.workflows && Object.keys(figures.workflows).length === 1) expect(imported.run.makespanS).toBe(Object.values(figures.workflows)[0].makespan_s);
    });
  }

  it('all-fields: 28 of 29 jobs ran (cancel-pending never started), over 207 s; the submitted dependencies are its edges', async () => {
    const imported = await importWith(sacctImporter, path.join(DIR, 'all-fields.sacct.txt'), { capacity: { cores: 20, gpus: 4, nodes: 2 } });
    expect(imported.run).toMatchObject({ tasks: 29, executed: 28, incomplete: 0 });
    // First Start 22:44:40 (workflow-sync-A), last End 22:48:07 (the job that timed out).
    expect(imported.run.makespanS).toBe(207);
    const tasks = (await storedTasks(imported));
    const edges = (await storedEdges(imported)).map(([p, c]) => `${tasks[p].uid}->${tasks[c].uid}`).sort();
    const inFile = new Set(tasks.map((t) => t.uid));
    const submitted = expected.dependencies.map((d) => `${d.parent_id}->${d.child_id}`).filter((e) => e.split('->').every((id) => inFile.has(id)));
    expect(edges).toEqual(submitted.sort());
    expect(edges).toHaveLength(14); // 8 + 5 of the two workflows, fail -> after-fail-any
    expect(imported.warnings.some((w) => w.startsWith('capacity'))).toBe(false);
    expect(imported.run.capacity).toMatchObject({ cores: 20, gpus: 4, nodes: 2 });
  });

  it('keeps what each job is: states with their reasons, GPUs counted once, arrays and het components staged by their job', async () => {
    const tasks = (await storedTasks(await importWith(sacctImporter, path.join(DIR, 'all-fields.sacct.txt'))));
    const task = (uid: string) => tasks.find((t) => t.uid === uid)!;
    expect(task('5')).toMatchObject({ name: 'workflow-sync-C2', type: 'workflow-sync-C2', cores: 1, gpus: 2, node: 'node1', state: 'COMPLETED' });
    expect(task('24').state).toBe('CANCELLED by 0');
    expect(task('31')).toMatchObject({ state: 'CANCELLED by 0', start: null, end: null, node: null }); // cancelled while pending
    expect(task('13')).toMatchObject({ state: 'TIMEOUT', end: 207 });
    expect(task('14_3')).toMatchObject({ type: 'array', stage: '14' });
    expect(task('16+1')).toMatchObject({ stage: '16', node: 'node1', gpus: 1 });
    expect(task('16+0')).toMatchObject({ stage: '16', node: 'aux1', gpus: 0 });
  });

  it('times each phase: submit, eligible, start, the steps, end, in time order', async () => {
    const imported = await importWith(sacctImporter, path.join(DIR, 'all-fields.sacct.txt'));
    const tasks = (await storedTasks(imported));
    const steps = tasks.findIndex((t) => t.uid === '15');
    const events = (await storedEvents(imported)).filter((e) => e.task === steps);
    expect(events.map((e) => e.event)).toEqual([
      'submit', 'eligible', 'start', 'batch_start', 'extern_start', 'step0_start', 'step1_start', 'step1_end', 'step0_end',
      'step2_start', 'step2_end', 'step3_start', 'batch_end', 'extern_end', 'step3_end', 'end',
    ]);
    expect(events.find((e) => e.event === 'step3_end')).toMatchObject({ state: 'FAILED', time: 145 });
    const times = events.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // B2 of the synchronous workflow waited for its dependencies: eligible 17 s after submit.
    const b2 = (await storedEvents(imported)).filter((e) => e.task === tasks.findIndex((t) => t.uid === '4'));
    expect(b2.find((e) => e.event === 'eligible')!.time - b2.find((e) => e.event === 'submit')!.time).toBe(17);
  });

  it('reads sacct --json (Slurm 22.05, openapi/dbv0.0.38) into the same tasks as the text', async () => {
    const text = (await storedTasks(await importWith(sacctImporter, path.join(DIR, 'all-fields.sacct.txt'))));
    const json = (await storedTasks(await importWith(sacctImporter, path.join(DIR, 'all.sacct.json.gz'))));
    const key = (t: (typeof text)[number]) => [t.uid, t.name, t.start, t.end, t.cores, t.gpus, t.node, firstWord(t.state)].join('|');
    expect(json.map(key).sort()).toEqual(text.map(key).sort());
  });

  it('makes each step a task with --sacct-steps (no .extern; .batch only where no numbered step does the work)', async () => {
    const imported = await importWith(sacctImporter, path.join(DIR, 'all-fields.sacct.txt'), { sacct: { steps: true } } as never);
    const tasks = (await storedTasks(imported));
    // 6 numbered steps (15.0-15.3, 16+1.0, 25.0), 25 batch steps, and cancel-pending, which has none.
    expect(tasks).toHaveLength(32);
    expect(tasks.filter((t) => t.uid.endsWith('.extern'))).toEqual([]);
    expect(tasks.find((t) => t.uid === '15.3')).toMatchObject({ type: 'sh', stage: '15', state: 'FAILED', start: 144, end: 145 });
    expect(tasks.find((t) => t.uid === '1.batch')).toMatchObject({ type: 'workflow-sync-A', stage: '1' });
    expect(tasks.some((t) => t.uid === '15.batch')).toBe(false);
    expect(tasks.find((t) => t.uid === '31')).toMatchObject({ state: 'CANCELLED by 0', start: null });
    // Job dependencies hold between the steps of the jobs.
    expect((await storedEdges(imported))).toHaveLength(14);
    const byJobs = await importWith(sacctImporter, path.join(DIR, 'all-fields.sacct.txt'));
    expect(imported.run.contentHash).not.toBe(byJobs.run.contentHash); // another reading, another run
  });

  it('infers the machine from NodeList when not given, and says so', async () => {
    const imported = await importWith(sacctImporter, path.join(DIR, 'all-fields.sacct.txt'), { capacity: { nodes: 2 } });
    expect(imported.run.capacity.nodes).toBe(2);
    // The most any jobs held at once: node1 9 CPUs, 3 GPUs (B2, C2 and steps' GPU at 22:46:56); aux1 2 CPUs.
    expect(imported.run.capacity.cores).toBeGreaterThanOrEqual(6);
    expect(imported.run.capacity.cores).toBeLessThanOrEqual(20);
    expect(imported.run.capacity.gpus).toBeGreaterThanOrEqual(2);
    expect(imported.run.capacity.gpus).toBeLessThanOrEqual(4);
    expect(imported.warnings.find((w) => w.startsWith('capacity inferred from NodeList'))).toMatch(/2 node\(s\) \(node1, aux1\).*lower bound/);
  });

  it('refuses submit lines whose dependencies form a cycle (workflow-async with job 7 made to wait for job 8), naming the jobs', async () => {
    const lines = fs.readFileSync(path.join(DIR, 'workflow-async.sacct.txt'), 'utf8').split('\n');
    expect(lines[1]).toMatch(/^7\|.* -t 5 task\.sh 5$/);
    expect(lines.find((line) => line.startsWith('8|'))).toContain('-d afterok:7 ');
    lines[1] = lines[1].replace(' -t 5 task.sh 5', ' -d afterok:8 -t 5 task.sh 5');
    expect(await failure('cycle.sacct.txt', lines.join('\n'))).toBe("cycle.sacct.txt:2: the jobs' dependencies (SubmitLine) form a cycle: jobs 7 -> 8 -> 7");
  });

  it('reads a job array caught running: running elements without an end, the pending range as one task per element', async () => {
    for (const file of ['array-running.sacct.txt', 'array-running.sacct.json']) {
      const imported = await importWith(sacctImporter, path.join(DIR, file), { capacity: { cores: 16, gpus: 4, nodes: 1 } });
      expect(imported.run).toMatchObject({ tasks: 8, executed: 0, incomplete: 3 });
      const tasks = (await storedTasks(imported));
      expect(tasks.map((t) => t.uid).sort()).toEqual(['14_1', '14_2', '14_3', '14_4', '14_5', '14_6', '14_7', '14_8']);
      expect(tasks.filter((t) => t.state === 'PENDING').map((t) => t.start)).toEqual([null, null, null, null, null]);
    }
  });
});

/** Records what the assembler hands on, outcomes included. */
class Capture implements RunRecorder {
  tasks: TaskRecord[] = [];
  events: { task: number; name: string; state: string | null; time: number }[] = [];
  edges: [number, number][] = [];
  addTask(task: TaskRecord, events: TaskEvents): number {
    const index = this.tasks.length;
    this.tasks.push({ ...task });
    for (const k of events.inTimeOrder()) this.events.push({ task: index, name: events.names[k], state: events.states[k], time: events.times[k] });
    return index;
  }
  addEdge(parent: number, child: number): void {
    this.edges.push([parent, child]);
  }
}

function assemble(lines: string[], stepsAsTasks = false): { capture: Capture; warnings: string[] } {
  const capture = new Capture();
  const assembler = new SacctAssembler(capture, { display: 'x.txt', stepsAsTasks, dependencies: true, nodeUse: null });
  const header = parseHeader(lines[0], 'x.txt', 1);
  lines.slice(1).forEach((line, i) => assembler.add(parseLine(header, line, 'x.txt', i + 2)));
  return { capture, warnings: assembler.finish() };
}

async function failure(name: string, content: string): Promise<string> {
  const file = path.join(work, name);
  fs.writeFileSync(file, content);
  try {
    await importWith(sacctImporter, file);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${name} was imported`);
}

describe('sacct importer on edge cases', () => {
  const HEAD = 'JobID|JobName|State|Submit|Start|End|AllocTRES|SubmitLine';

  it('derives outcomes: a pending job whose afterok parent failed can never run (skipped)', () => {
    const { capture } = assemble([
      HEAD,
      '40|prep|FAILED|2026-01-01T00:00:00|2026-01-01T00:00:01|2026-01-01T00:00:05|cpu=1|sbatch job.sh',
      '41|next|PENDING|2026-01-01T00:00:00|Unknown|Unknown||sbatch -d afterok:40 job.sh',
      '42|any|PENDING|2026-01-01T00:00:00|Unknown|Unknown||sbatch -d afterany:40 job.sh',
      '43|late|TIMEOUT|2026-01-01T00:00:00|2026-01-01T00:00:01|2026-01-01T00:01:01|cpu=1|sbatch job.sh',
      '44|oom|OUT_OF_MEMORY|2026-01-01T00:00:00|2026-01-01T00:00:01|2026-01-01T00:00:02|cpu=1|sbatch job.sh',
    ]);
    expect(capture.tasks.map((t) => [t.uid, t.outcome])).toEqual([
      ['40', 'failed'], ['41', 'skipped'], ['42', 'pending'], ['43', 'timeout'], ['44', 'failed'],
    ]);
    expect(capture.edges).toEqual([[0, 1], [0, 2]]);
  });

  it('keeps earlier records of a requeued job (sacct -D) as attempts of its last one', () => {
    const { capture } = assemble([
      HEAD,
      '50|sim|NODE_FAIL|2026-01-01T00:00:00|2026-01-01T00:00:10|2026-01-01T00:00:20|cpu=4|sbatch sim.sh',
      '50.batch|batch|CANCELLED|2026-01-01T00:00:10|2026-01-01T00:00:10|2026-01-01T00:00:20|cpu=4|',
      '50|sim|COMPLETED|2026-01-01T00:00:00|2026-01-01T00:00:30|2026-01-01T00:01:30|cpu=4|sbatch sim.sh',
      '50.batch|batch|COMPLETED|2026-01-01T00:00:30|2026-01-01T00:00:30|2026-01-01T00:01:30|cpu=4|',
    ]);
    expect(capture.tasks).toHaveLength(1);
    expect(capture.tasks[0]).toMatchObject({ state: 'COMPLETED', outcome: 'done', start: Date.UTC(2026, 0, 1, 0, 0, 30) / 1000 });
    expect(capture.events.map((e) => `${e.name}:${e.state ?? ''}`)).toEqual([
      'submit:', 'attempt_start:NODE_FAIL', 'attempt_end:NODE_FAIL', 'start:', 'batch_start:COMPLETED', 'batch_end:COMPLETED', 'end:',
    ]);
  });

  it('joins a "|" inside the one free-text field (SubmitLine) instead of shifting every field', () => {
    const { capture } = assemble([HEAD, '60|pipe|COMPLETED|2026-01-01T00:00:00|2026-01-01T00:00:01|2026-01-01T00:00:02|cpu=1|srun sh -c a | b']);
    expect(capture.tasks[0]).toMatchObject({ uid: '60', state: 'COMPLETED', start: Date.UTC(2026, 0, 1, 0, 0, 1) / 1000 });
  });

  it('fills End from Elapsed when the output has no End, and never for a running job', () => {
    const { capture } = assemble([
      'JobID|State|Start|Elapsed',
      '70|COMPLETED|2026-01-01T00:00:00|1-00:00:05',
      '71|RUNNING|2026-01-01T00:00:00|00:10:00',
    ]);
    expect(capture.tasks[0].end - capture.tasks[0].start).toBe(86405);
    expect(capture.tasks[1].end - capture.tasks[1].start).toBe(600); // without End, Elapsed is all there is
    const running = assemble(['JobID|State|Start|End|Elapsed', '72|RUNNING|2026-01-01T00:00:00|Unknown|00:10:00']);
    expect(running.capture.tasks[0].end).toBeNaN();
  });

  it('warns about steps whose job is not in the output, and leaves them out', () => {
    const { capture, warnings } = assemble([HEAD, '80.0|step|COMPLETED|2026-01-01T00:00:00|2026-01-01T00:00:01|2026-01-01T00:00:02|cpu=1|']);
    expect(capture.tasks).toEqual([]);
    expect(warnings[0]).toMatch(/1 step\(s\) without their job's record .*80\.0 \(line 2\)/);
  });

  it('names the file, line and field of what it cannot read, and stores nothing', async () => {
    expect(await failure('cols.sacct.txt', `${HEAD}\n90|a|COMPLETED|x\n`)).toBe('cols.sacct.txt:2: 4 fields where the header names 8 (a value holding "|"?)');
    expect(await failure('time.sacct.txt', `${HEAD}\n91|a|COMPLETED|2026-01-01T00:00:00|noon|2026-01-01T00:00:02|cpu=1|\n`)).toBe(
      'time.sacct.txt:2: field "Start": "noon" is not a time',
    );
    expect(await failure('back.sacct.txt', `${HEAD}\n92|a|COMPLETED|2026-01-01T00:00:00|2026-01-01T00:00:09|2026-01-01T00:00:02|cpu=1|\n`)).toMatch(
      /^back\.sacct\.txt:2: field "End": ends \(2026-01-01T00:00:02\) before it starts/,
    );
    expect(await failure('id.sacct.txt', `${HEAD}\nabc|a|COMPLETED||||cpu=1|\n`)).toBe('id.sacct.txt:2: field "JobID": "abc" is not a Slurm job id');
    expect(await failure('gpus.sacct.txt', `${HEAD}\n93|a|COMPLETED||||gres/gpu=lots|\n`)).toBe('gpus.sacct.txt:2: field "AllocTRES": "gres/gpu=lots" has a GPU count that is not a number');
    expect(await failure('huge.sacct.txt', `${HEAD}\n94_[1-4000000000]|a|PENDING||||cpu=1|\n`)).toMatch(/^huge\.sacct\.txt:2: field "JobID": array expression .* names more than/);
    expect(await failure('again.sacct.txt', `${HEAD}\n95|a|COMPLETED||||cpu=1|\n96|b|COMPLETED||||cpu=1|\n95|a|COMPLETED||||cpu=1|\n`)).toBe(
      'again.sacct.txt:4: job 95 is listed again (first at line 2), apart from its first record',
    );
    expect(await failure('empty.sacct.txt', `${HEAD}\n`)).toBe('empty.sacct.txt: sacct output without any job');
  });

  it('refuses sacct --json of an unknown version by name, and bad values by their path', async () => {
    const doc = (meta: unknown, jobs: unknown[]) => JSON.stringify({ meta, errors: [], jobs });
    expect(await failure('v99.json', doc({ plugin: { type: 'openapi/slurmdbd', data_parser: 'data_parser/v0.0.99' } }, []))).toMatch(
      /^v99\.json: sacct --json output of an unknown version "data_parser\/v0\.0\.99" \(this reader knows openapi\/dbv0\.0\.36 to openapi\/dbv0\.0\.38 and data_parser\/v0\.0\.39 to v0\.0\.46\)$/,
    );
    expect(await failure('nometa.json', doc({}, []))).toMatch(/without a version/);
    const job = { job_id: 7, name: 'x', state: { current: ['COMPLETED'] }, time: { submission: 100, start: 'soon', end: 200 } };
    expect(await failure('bad.json', doc({ plugin: { data_parser: 'v0.0.42' } }, [job]))).toBe('bad.json: field "jobs[0].time.start": "soon" is not a time');
  });

  it('reads the data parsers\' shapes (Slurm 23.02 on): wrapped numbers, state flags, step ids as text, submit lines', async () => {
    const number = (n: number) => ({ set: true, infinite: false, number: n });
    const jobs = [
      {
        job_id: 200, name: 'a', state: { current: ['COMPLETED'], reason: 'None' }, nodes: 'n[01-02]', submit_line: 'sbatch a.sh',
        time: { submission: 1000, eligible: 1000, start: 1010, end: 1070 }, array: { job_id: 0, task_id: { set: false, infinite: false, number: 0 } },
        het: { job_id: 0, job_offset: { set: false, infinite: false, number: 0 } },
        tres: { allocated: [{ type: 'cpu', count: 8 }, { type: 'gres', name: 'gpu', count: 2 }] },
        steps: [{ step: { id: '200.batch', name: 'batch' }, state: ['COMPLETED'], time: { start: number(1010), end: number(1070) }, nodes: { range: 'n01' }, tres: { allocated: [{ type: 'cpu', count: 4 }] } }],
      },
      {
        job_id: 201, name: 'b', state: { current: ['PENDING'] }, submit_line: 'sbatch --dependency=afterok:200 b.sh',
        time: { submission: 1001, eligible: 0, start: 0, end: 0 }, array: { job_id: 0, task_id: null }, het: { job_id: 0 }, tres: { allocated: [] }, steps: [],
      },
    ];
    const file = path.join(work, 'v042.json');
    fs.writeFileSync(file, JSON.stringify({ meta: { plugin: { type: 'openapi/slurmdbd', data_parser: 'data_parser/v0.0.42' } }, errors: [], jobs }));
    const imported = await importWith(sacctImporter, file, { capacity: { cores: 64, gpus: 8, nodes: 2 } });
    const tasks = (await storedTasks(imported));
    expect(tasks[0]).toMatchObject({ uid: '200', state: 'COMPLETED', cores: 8, gpus: 2, node: 'n[01-02]', start: 0, end: 60 });
    expect(tasks[1]).toMatchObject({ uid: '201', state: 'PENDING', start: null });
    expect((await storedEvents(imported)).filter((e) => e.task === 0).map((e) => e.event)).toEqual(['submit', 'eligible', 'start', 'batch_start', 'batch_end', 'end']);
    expect((await storedEdges(imported))).toEqual([[0, 1]]);
  });
});
