/**
 * asyncscope analyze as a user runs it, on the DG2 Summit runs and on small hostile cases (helpers/fixture-stores.ts):
 * JSON shapes, human tables, warnings, and exit 2 on unknown runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { analysisStore } from '../helpers/fixture-stores.js';
import { SUMMIT } from '../helpers/traces.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
const db = path.join(work, 'analyze.db');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const RUN_FIELDS = ['id', 'label', 'mode', 'by', 'tasks', 'executed', 'incomplete', 'makespan_s', 'busy_s', 'idle_s', 'utilization', 'concurrency', 'asynchronicity', 'groups', 'overlap', 'note'];
const GROUP_FIELDS = ['name', 'tasks', 'start_s', 'end_s', 'busy_s', 'cores', 'gpus', 'duration_s'];

interface AnalyzeJson {
  runs: (Record<string, unknown> & {
    id: string;
    utilization: { cpu: number | null; gpu: number | null };
    concurrency: { max: number | null; mean: number | null };
    asynchronicity: { async_fraction: number | null; doa: number | null };
    groups: Record<string, unknown>[];
    overlap: { a: string; b: string; seconds: number; fraction: number }[];
    note: string | null;
  })[];
}

beforeAllWithShared(() => analysisStore(db), 120_000);

describeWithShared('asyncscope analyze', () => {
  it('--json: the documented shape, in the order the runs are named', async () => {
    const { code, json, stderr } = await cliJson<AnalyzeJson>(['analyze', 'dg2-sync', 'dg2-async', '--by', 'type', '--db', db]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(Object.keys(json)).toEqual(['runs']);
    expect(json.runs.map((r) => r.id)).toEqual([SUMMIT.dg2Sync.id, SUMMIT.dg2Async.id]);
    for (const run of json.runs) {
      expect(Object.keys(run)).toEqual(RUN_FIELDS);
      expect(Object.keys(run.utilization)).toEqual(['cpu', 'gpu']);
      expect(Object.keys(run.concurrency)).toEqual(['max', 'mean']);
      expect(Object.keys(run.asynchronicity)).toEqual(['async_fraction', 'doa']);
      for (const group of run.groups) expect(Object.keys(group)).toEqual(GROUP_FIELDS);
    }
    const [sync, async] = json.runs;
    expect(sync).toMatchObject({ label: 'dg2-sync', mode: 'sync', by: 'type', tasks: 256, executed: 256, incomplete: 0, note: null, overlap: [] });
    expect(async.asynchronicity.doa).toBeCloseTo(1.5275, 3);
    expect(async.utilization.gpu).toBeCloseTo(0.8664, 3);
    expect(async.overlap.map((o) => `${o.a}+${o.b}`)).toEqual(['T3T6+T4T5', 'T3T6+T7']);
    expect(sync.groups.find((g) => g.name === 'T3T6')).toMatchObject({ tasks: 112, cores: 4, gpus: { min: 0, max: 1 } });
  });

  it('prints a table per run, with groups and overlaps', async () => {
    const result = await cli(['analyze', 'dg2-async', '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^re\.session\.login5\.pascuzzi\.019221\.0001 {2}\(label dg2-async, mode async, by type\)\n/);
    expect(result.stdout).toMatch(/makespan_s: +1332\.734\n/);
    expect(result.stdout).toMatch(/utilization: +cpu 31\.5%, gpu 86\.6%/);
    expect(result.stdout).toMatch(/concurrency: +max 112, mean 95\.187 tasks/);
    expect(result.stdout).toMatch(/asynchronicity: +doa 1\.5275, async_fraction 0\.5275/);
    expect(result.stdout).toMatch(/TYPE +TASKS +START_S +END_S +BUSY_S +CORES +GPUS +MIN_S +MEDIAN_S +MEAN_S +P95_S +MAX_S +STDDEV_S\n/);
    expect(result.stdout).toMatch(/T3T6 +T4T5 +231\.532 +1\n/);
  });

  it('without arguments analyzes every stored run; unmeasurable runs get null figures and a note', async () => {
    const { code, json, stderr } = await cliJson<AnalyzeJson>(['analyze', '--db', db]);
    expect(code).toBe(0);
    expect(json.runs.map((r) => r.id)).toEqual([SUMMIT.dg2Sync.id, SUMMIT.dg2Async.id, 'partial', 'instance']);
    const instance = json.runs[3];
    expect(instance).toMatchObject({ tasks: 2, executed: 0, makespan_s: null, busy_s: null, utilization: { cpu: null, gpu: null }, concurrency: { max: null, mean: null }, asynchronicity: { async_fraction: null, doa: null }, groups: [], overlap: [] });
    expect(instance.note).toMatch(/no start times/);
    // the partial CSV run: its incomplete task is excluded with a warning naming how many
    expect(stderr).toContain('asyncscope: warning: partial: 1 incomplete task(s) (started, never ended) excluded; --include-incomplete clips them');
    const partial = json.runs[2];
    expect(partial).toMatchObject({ tasks: 3, executed: 2, incomplete: 1, makespan_s: 20, utilization: { cpu: null, gpu: null } });
    expect(partial.note).toMatch(/cores and GPUs are unknown/);

    const human = await cli(['analyze', 'instance', '--db', db]);
    expect(human.stdout).toMatch(/tasks: +2 \(runtimes only, no start times\)\n/);
    expect(human.stdout).toMatch(/note: +the trace gives task runtimes but no start times/);
    expect(human.stdout).not.toMatch(/NaN/);
  });

  it('--include-incomplete clips at the last event, or without events at the last end', async () => {
    const { json, stderr } = await cliJson<AnalyzeJson>(['analyze', 'partial', '--include-incomplete', '--db', db]);
    expect(stderr).toContain('1 incomplete task(s) (started, never ended) included');
    // sim-2 starts at 2 s (from time zero 100) and is clipped at the last end, 20 s
    expect(json.runs[0]).toMatchObject({ makespan_s: 20, concurrency: { max: 3 } });
    expect(json.runs[0].groups.find((g) => g.name === 'sim')).toMatchObject({ tasks: 2, end_s: 20 });
  });

  it('--by stage and --by pipeline', async () => {
    const { json } = await cliJson<AnalyzeJson>(['analyze', 'dg2-async', '--by', 'pipeline', '--db', db]);
    expect(json.runs[0].groups.map((g) => g.name)).toEqual(['pipeline.0000', 'pipeline.0001', 'pipeline.0002']);
    const bad = await cli(['analyze', 'dg2-async', '--by', 'node', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Expected --by=node to be one of: type, stage, pipeline/);
  });

  it('exits 2 on an unknown run or a missing database, in one line', async () => {
    const unknown = await cli(['analyze', 'dg2-sync', 'dg3', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^asyncscope: error: no run with id or label "dg3".*\n$/);
    const missing = await cli(['analyze', '--db', path.join(work, 'nothing.db')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
