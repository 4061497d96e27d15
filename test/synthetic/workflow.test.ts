/**
 * The synthetic traces of `asyncscope gen` stay within the machine they state, 16 nodes x (168
 * cores, 6 GPUs) (issue 13 point 16: they used up to 219 GPUs and 3,288 cores at once), in every
 * format gen writes once ingested; they keep the stage DAG, the overlap of pipelines of an
 * asynchronous execution, and the same tasks for the same seed. Peaks are computed here from the
 * task intervals by a sweep of their own, not by asyncscope's analysis.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeStoredRun } from '../../src/analysis/stored-run.js';
import { STAGES, generateRun, type SyntheticRun } from '../../src/synthetic/workflow.js';
import { writeParslDatabase, writePegasusDatabase, writeSacct } from '../../src/synthetic/hpc-writers.js';
import { writeDaskTaskStream, writeNextflowTrace, writeSnakemakeWorkdir } from '../../src/synthetic/workflow-writers.js';
import { writeCsv, writeJsonl, writeRadicalPilotSession } from '../../src/synthetic/writers.js';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { ingestInto, memoryStore } from '../helpers/store.js';

const dir = tempDir('asyncscope-gen-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CAPACITY = { nodes: 16, coresPerNode: 168, gpusPerNode: 6, cores: 2688, gpus: 96 };

interface Intervals {
  start: ArrayLike<number>;
  end: ArrayLike<number>;
  cores: ArrayLike<number>;
  gpus: ArrayLike<number>;
  /** Node of each task, or null to look at the totals only. */
  node: ArrayLike<string | null> | null;
}

/** The most cores and GPUs held at once, in total and on any one node; a task holds them over [start, end). */
function peaks(t: Intervals): { cores: number; gpus: number; nodeCores: number; nodeGpus: number } {
  const points: [number, number, number][] = []; // time, +1 start / -1 end, task
  for (let i = 0; i < t.start.length; i++) {
    if (!(t.end[i] > t.start[i])) continue;
    points.push([t.start[i], 1, i], [t.end[i], -1, i]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // at one instant, ends before starts
  const peak = { cores: 0, gpus: 0, nodeCores: 0, nodeGpus: 0 };
  let cores = 0;
  let gpus = 0;
  const onNode = new Map<string, [number, number]>();
  for (const [, sign, i] of points) {
    cores += sign * t.cores[i];
    gpus += sign * t.gpus[i];
    peak.cores = Math.max(peak.cores, cores);
    peak.gpus = Math.max(peak.gpus, gpus);
    const node = t.node?.[i];
    if (node === null || node === undefined) continue;
    const held = onNode.get(node) ?? [0, 0];
    held[0] += sign * t.cores[i];
    held[1] += sign * t.gpus[i];
    onNode.set(node, held);
    peak.nodeCores = Math.max(peak.nodeCores, held[0]);
    peak.nodeGpus = Math.max(peak.nodeGpus, held[1]);
  }
  return peak;
}

function expectWithinMachine(run: SyntheticRun): void {
  const peak = peaks(run);
  expect(peak.cores).toBeLessThanOrEqual(run.nodes * run.coresPerNode);
  expect(peak.gpus).toBeLessThanOrEqual(run.nodes * run.gpusPerNode);
  expect(peak.nodeCores).toBeLessThanOrEqual(run.coresPerNode);
  expect(peak.nodeGpus).toBeLessThanOrEqual(run.gpusPerNode);
}

describe('generateRun', () => {
  for (const [tasks, perPipeline] of [
    [1, 1000],
    [7, 5],
    [2000, 1000],
    [30_000, 1000],
    [20_000, 250],
  ] as const) {
    it(`${tasks} tasks in pipelines of ${perPipeline}: never more cores or GPUs at once than the 16 nodes have, in total or on a node`, () => {
      const run = generateRun({ tasks, seed: 1, tasksPerPipeline: perPipeline });
      expect(run.id).toHaveLength(tasks);
      expect(new Set(run.id).size).toBe(tasks);
      expect({ nodes: run.nodes, coresPerNode: run.coresPerNode, gpusPerNode: run.gpusPerNode }).toEqual({ nodes: 16, coresPerNode: 168, gpusPerNode: 6 });
      expectWithinMachine(run);
      for (let i = 0; i < tasks; i++) expect(run.end[i]).toBeGreaterThan(run.start[i]);
    });
  }

  it('uses the machine: the GPUs are busy most of the time at 2,000 tasks', () => {
    const run = generateRun({ tasks: 2000, seed: 1 });
    const makespan = Math.max(...run.end) - Math.min(...run.start);
    const gpuSeconds = run.gpus.reduce((sum, g, i) => sum + g * (run.end[i] - run.start[i]), 0);
    const gpuUtilization = gpuSeconds / (96 * makespan);
    expect(gpuUtilization).toBeGreaterThan(0.5);
    expect(gpuUtilization).toBeLessThanOrEqual(1);
    expect(peaks(run).gpus).toBe(96);
  });

  it("keeps the stage DAG: a task starts after every task of its stage's parent stages in its pipeline has ended", () => {
    const run = generateRun({ tasks: 5000, seed: 4, tasksPerPipeline: 500 });
    const lastEnd = new Map<string, number>(); // pipeline + type -> last end
    const firstStart = new Map<string, number>();
    for (let i = 0; i < run.id.length; i++) {
      const key = `${run.pipeline[i]} ${run.type[i]}`;
      lastEnd.set(key, Math.max(lastEnd.get(key) ?? -Infinity, run.end[i]));
      firstStart.set(key, Math.min(firstStart.get(key) ?? Infinity, run.start[i]));
    }
    let checked = 0;
    for (const [key, start] of firstStart) {
      const [pipeline, type] = key.split(' ');
      for (const parent of STAGES.find((s) => s.type === type)!.after) {
        expect(start, key).toBeGreaterThan(lastEnd.get(`${pipeline} ${parent}`)!);
        checked++;
      }
    }
    expect(checked).toBe(10 * 4);
  });

  it('overlaps pipelines as an asynchronous execution: each next pipeline starts before the one before it ends', () => {
    const run = generateRun({ tasks: 5000, seed: 4, tasksPerPipeline: 500 });
    const span = new Map<string, [number, number]>();
    for (let i = 0; i < run.id.length; i++) {
      const s = span.get(run.pipeline[i]) ?? [Infinity, -Infinity];
      span.set(run.pipeline[i], [Math.min(s[0], run.start[i]), Math.max(s[1], run.end[i])]);
    }
    const ordered = [...span.values()];
    expect(ordered).toHaveLength(10);
    for (let p = 1; p < ordered.length; p++) expect(ordered[p][0]).toBeLessThan(ordered[p - 1][1]);
  });

  it('gives the same tasks for the same seed and other durations for another', () => {
    const a = generateRun({ tasks: 3000, seed: 9 });
    expect(generateRun({ tasks: 3000, seed: 9 })).toEqual(a);
    const b = generateRun({ tasks: 3000, seed: 10 });
    expect(b.id).toEqual(a.id);
    expect(b.start).not.toEqual(a.start);
  });

  it('200,000 tasks (200 pipelines, each released by the one before) stay within the machine', () => {
    const run = generateRun({ tasks: 200_000, seed: 1 });
    expect(run.id).toHaveLength(200_000);
    const peak = peaks({ ...run, node: null });
    expect(peak.gpus).toBeLessThanOrEqual(96);
    expect(peak.cores).toBeLessThanOrEqual(2688);
  }, 60_000);
});

describe('every format gen writes, ingested, stays within the machine', () => {
  const run = generateRun({ tasks: 2000, seed: 1 });
  const formats: [string, (file: string) => void][] = [
    ['tasks.csv', (file) => writeCsv(run, file)],
    ['tasks.jsonl', (file) => writeJsonl(run, file)],
    ['rp.session.synthetic.tgz', (file) => writeRadicalPilotSession(run, file, 'rp.session.synthetic')],
    ['trace.nextflow', (file) => writeNextflowTrace(run, file)],
    ['snakemake-run', (file) => writeSnakemakeWorkdir(run, file)],
    ['dask.jsonl', (file) => writeDaskTaskStream(run, file)],
    ['jobs.sacct.txt', (file) => writeSacct(run, file)],
    ['parsl.monitoring.db', (file) => writeParslDatabase(run, file)],
    ['pegasus.stampede.db', (file) => writePegasusDatabase(run, file)],
  ];
  for (const [name, write] of formats) {
    it(`${name}: peak cores and GPUs (from the stored task intervals) and analyze's utilization at most the machine`, async () => {
      const file = path.join(dir, name);
      write(file);
      const store = memoryStore();
      const [stored] = await ingestInto(store, [file], { capacity: CAPACITY });
      expect(stored.executed).toBe(2000);
      const tasks = await store.loadTasks(stored);
      // Formats that do not state a task's cores or GPUs (Dask, Parsl, Pegasus, Nextflow's GPUs):
      // those of its type, which the type's name gives (Nextflow upper-cases it).
      const ask = (i: number, what: 'cores' | 'gpus'): number => {
        const stated = tasks[what][i];
        if (!Number.isNaN(stated)) return stated;
        const stage = STAGES.find((s) => tasks.type[i].toLowerCase().includes(s.type));
        if (!stage) throw new Error(`${name}: task type ${tasks.type[i]} is none of the generator's`);
        return stage[what];
      };
      const cores = Array.from({ length: tasks.length }, (_, i) => ask(i, 'cores'));
      const gpus = Array.from({ length: tasks.length }, (_, i) => ask(i, 'gpus'));
      const peak = peaks({ start: tasks.start, end: tasks.end, cores, gpus, node: tasks.node });
      expect(peak.cores).toBeLessThanOrEqual(2688);
      expect(peak.gpus).toBeLessThanOrEqual(96);
      if (tasks.node.some((n) => n !== null)) {
        expect(peak.nodeCores).toBeLessThanOrEqual(168);
        expect(peak.nodeGpus).toBeLessThanOrEqual(6);
      }
      expect(peak.gpus).toBeGreaterThan(48); // and the machine is used
      // analyze's utilization, where the trace states what tasks ask (null otherwise).
      const { json } = await analyzeStoredRun(store, stored);
      for (const value of [json.utilization.cpu, json.utilization.gpu]) if (value !== null) expect(value).toBeLessThanOrEqual(1);
      if (json.utilization.gpu !== null) expect(json.utilization.gpu).toBeGreaterThan(0.5);
      await store.close();
    });
  }
});

describe('asyncscope gen', () => {
  it('writes the same bytes for the same seed; ingest and analyze --json of its CSV give utilization at most 1', async () => {
    const [a, b] = [path.join(dir, 'a.csv'), path.join(dir, 'b.csv')];
    for (const out of [a, b]) expect((await cli(['gen', '--tasks', '3000', '--format', 'csv', '--seed', '5', '--out', out])).code).toBe(0);
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
    const db = path.join(dir, 'gen.db');
    expect((await cli(['ingest', a, '--db', db, '--cores', '2688', '--gpus', '96', '--nodes', '16'])).code).toBe(0);
    const { code, json } = await cliJson<{ runs: { utilization: { cpu: number; gpu: number } }[] }>(['analyze', 'a', '--db', db]);
    expect(code).toBe(0);
    const { cpu, gpu } = json.runs[0].utilization;
    expect(cpu).toBeLessThanOrEqual(1);
    expect(gpu).toBeLessThanOrEqual(1);
    expect(gpu).toBeGreaterThan(0.5);
  });
});
