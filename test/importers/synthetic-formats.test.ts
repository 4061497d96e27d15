/**
 * The benchmark's synthetic traces in the workflow systems' shapes (gen --format nextflow,
 * snakemake, dask) read back as the run they were written from: same tasks, same times (within
 * Nextflow's printed precision), and for Snakemake the DAG the writer put in the files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDask } from '../../src/importers/dask/index.js';
import { readNextflow } from '../../src/importers/nextflow/index.js';
import { readSnakemake } from '../../src/importers/snakemake/index.js';
import { countTasks } from '../../src/run/task-counts.js';
import { generateRun } from '../../src/synthetic/workflow.js';
import { nextflowDuration, writeDaskTaskStream, writeNextflowTrace, writeSnakemakeWorkdir } from '../../src/synthetic/workflow-writers.js';
import { tempDir } from '../helpers/cli.js';

const dir = tempDir('asyncscope-synthetic-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const run = generateRun({ tasks: 500, seed: 3, tasksPerPipeline: 100 });
const makespan = Math.max(...run.end) - Math.min(...run.start);
const file = (name: string) => ({ path: path.join(dir, name), display: name, kind: 'file' as const, explicit: true });

describe('synthetic workflow-system traces', () => {
  it('Nextflow durations print as Nextflow prints them', () => {
    expect(nextflowDuration(0.85)).toBe('850ms');
    expect(nextflowDuration(3.44)).toBe('3.4s');
    expect(nextflowDuration(259.4)).toBe('4m 19s');
    expect(nextflowDuration(93784)).toBe('1d 2h 3m 4s');
    expect(nextflowDuration(7245)).toBe('2h 45s');
  });

  it('a Nextflow trace (default fields) reads back as the run, to the printed second', async () => {
    writeNextflowTrace(run, path.join(dir, 'trace.txt'));
    const read = await readNextflow(file('trace.txt'), { timeZone: 'UTC' });
    const counts = countTasks(read.tasks);
    expect(counts.tasks).toBe(500);
    expect(counts.executed).toBe(500);
    expect(Math.abs(counts.makespanS! - makespan)).toBeLessThan(1);
    expect(new Set(read.tasks.type)).toEqual(new Set(run.type.map((t) => t.toUpperCase())));
  });

  it('a Dask task stream reads back as the run, with a transfer phase on a third of the tasks', async () => {
    writeDaskTaskStream(run, path.join(dir, 'stream.jsonl'));
    const read = await readDask(file('stream.jsonl'), {});
    const counts = countTasks(read.tasks);
    expect(counts.executed).toBe(500);
    expect(counts.makespanS).toBeCloseTo(makespan, 6);
    expect(read.events.event.filter((e) => e === 'transfer_start')).toHaveLength(Math.floor(500 / 3) + (500 % 3 > 1 ? 1 : 0));
  });

  it('a Snakemake working directory reads back as the run, with one dependency per task after the first stage', async () => {
    const workdir = path.join(dir, 'workflow');
    writeSnakemakeWorkdir(run, workdir);
    const read = await readSnakemake({ path: workdir, display: 'workflow', kind: 'dir', explicit: true }, {});
    const counts = countTasks(read.tasks);
    expect(counts.executed).toBe(500);
    expect(counts.makespanS).toBeCloseTo(makespan, 6);
    expect(read.edges.length).toBe(run.type.filter((t) => t !== 'simulate').length);
    expect(read.capacity).toMatchObject({ cores: run.nodes * run.coresPerNode, gpus: run.nodes * run.gpusPerNode });
    expect(new Set(read.tasks.outcome)).toEqual(new Set(['done']));
  });
});
