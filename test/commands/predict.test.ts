/**
 * `asyncscope predict` as a user runs it: the spec files in traces/specs, hand-computed; platform
 * and overhead from the command line; a spec inferred from a stored run and emitted for editing; a
 * task-DAG run without a timeline; and the one-line errors with exit code 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { cli, cliJson, ROOT, tempDir } from '../helpers/cli.js';
import { summitStore } from '../helpers/fixture-stores.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
const db = path.join(work, 'predict.db');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const DG2_SPEC = path.join(ROOT, 'traces', 'specs', 'dg2.yaml');

beforeAllWithShared(() => summitStore(db, { tinyDag: true }), 120_000);

interface PredictionJson {
  sequential_s: number;
  sync_s: number;
  async_ideal_s: number;
  async_s: number;
  improvement: { vs_sync: number; vs_sequential: number };
  stages: { name: string; tasks: number; level: number; alone_s: number; start_s: number; end_s: number }[];
}

describeWithShared.concurrent('asyncscope predict', () => {
  it('predicts the DG2 spec: hand-computed with its 7.6 s overhead', async ({ expect }) => {
    const { code, json } = await cliJson<PredictionJson>(['predict', DG2_SPEC]);
    expect(code).toBe(0);
    expect(Object.keys(json)).toEqual(['sequential_s', 'sync_s', 'async_ideal_s', 'async_s', 'improvement', 'stages']);
    expect(json.sequential_s).toBeCloseTo(385 + 154 + 769 + 230 + 461 + 4 * 7.6, 9);
    expect(json.sync_s).toBeCloseTo(385 + 154 + 769 + 461 + 3 * 7.6, 9);
    expect(json.async_s).toBeCloseTo(385 + 154 + 769 + 2 * 7.6, 9);
    expect(json.async_ideal_s).toBeCloseTo(json.async_s, 9);
    expect(json.improvement.vs_sync).toBeCloseTo(1 - json.async_s / json.sync_s, 12);
    expect(json.stages.map((s) => [s.name, s.tasks, s.level])).toEqual([['T0', 96, 0], ['T1T2', 32, 1], ['T3T6', 96, 2], ['T4T5', 16, 2], ['T7', 16, 3]]);
    expect(Object.keys(json.stages[0])).toEqual(['name', 'tasks', 'level', 'alone_s', 'start_s', 'end_s']);
  });

  it('overrides the platform and the overhead from the command line', async ({ expect }) => {
    // Half the machine: T0 and T3T6 (one GPU each, 96 tasks on 48 GPUs) take two waves.
    const { json } = await cliJson<PredictionJson>(['predict', DG2_SPEC, '--cores', '1344', '--gpus', '48', '--nodes', '8', '--overhead', '0']);
    expect(json.async_s).toBeCloseTo(2 * 385 + 154 + 2 * 769, 9);
    expect(json.stages[0].alone_s).toBe(770);
  });

  it('predicts a spec without a platform on unlimited resources: the seed example, and flags put it on a machine', async ({ expect }) => {
    const seed = path.join(work, 'seed.yaml');
    fs.writeFileSync(
      seed,
      [
        'stages:',
        '  - { name: A, tasks: 1, cores: 1, duration_s: 500 }',
        '  - { name: B1, tasks: 1, cores: 1, duration_s: 1000, after: [A] }',
        '  - { name: B2, tasks: 1, cores: 1, duration_s: 2000, after: [B1] }',
        '  - { name: B3, tasks: 1, cores: 1, duration_s: 2000, after: [B2] }',
        '  - { name: C1, tasks: 1, cores: 1, duration_s: 1000, after: [A] }',
        '  - { name: C2, tasks: 1, cores: 1, duration_s: 4000, after: [C1] }',
      ].join('\n'),
    );
    const unlimited = await cliJson<PredictionJson>(['predict', seed]);
    expect(unlimited.code).toBe(0);
    expect([unlimited.json.sequential_s, unlimited.json.sync_s, unlimited.json.async_ideal_s, unlimited.json.async_s]).toEqual([10500, 7500, 5500, 5500]);
    const oneCore = await cliJson<PredictionJson>(['predict', seed, '--cores', '1']);
    expect(oneCore.json.async_s).toBe(10500); // one core: the branches cannot overlap
    const noCores = await cli(['predict', seed, '--gpus', '2']);
    expect(noCores.code).toBe(2);
    expect(noCores.stderr).toBe('asyncscope: error: --gpus or --nodes without --cores: the spec has no platform to take the cores from\n');
  });

  it('prints the predictions, the improvement and the per-stage times for a person', async ({ expect }) => {
    const result = await cli(['predict', DG2_SPEC]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('platform: 16 nodes x (168 cores, 6 GPUs)');
    expect(result.stdout).toMatch(/PREDICTION +MAKESPAN_S +MEANING\nsequential +2029\.400 .*\nsync +1791\.800 .*\nasync_ideal +1323\.200 .*\nasync +1323\.200 /);
    expect(result.stdout).toContain('improvement of async: 26.2% vs sync, 34.8% vs sequential');
    expect(result.stdout).toContain('critical path: T0 -> T1T2 -> T3T6');
    expect(result.stdout).toMatch(/STAGE +TASKS +LEVEL +ALONE_S +START_S +END_S\nT0 +96 +0 +385\.000 +0\.000 +385\.000\n/);
  });

  it('infers a spec from a stored run, with the overhead calibrated from it, and emits it for editing', async ({ expect }) => {
    const file = path.join(work, 'dg2-sync.yaml');
    const inferred = await cliJson<PredictionJson>(['predict', '--from-run', 'dg2-sync', '--emit-spec', file, '--db', db]);
    expect(inferred.code).toBe(0);
    // the synchronous run replayed: level by level it took 1800.1 s
    expect(Math.abs(inferred.json.sync_s / 1800.123 - 1)).toBeLessThan(0.01);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^# asyncscope workflow spec, from run re\.session\.login5\.pascuzzi\.019221\.0000\n/);
    expect(text).toMatch(/\noverhead_s: 7\.605\n/);
    const again = await cliJson<PredictionJson>(['predict', file]);
    expect(again.code).toBe(0);
    // durations are written to the millisecond: the same figures within a few ms
    for (const key of ['sequential_s', 'sync_s', 'async_s'] as const) expect(Math.abs(again.json[key] - inferred.json[key])).toBeLessThan(0.01);
  });

  it('predicts an unscheduled task-DAG run from its edges and runtimes, on the machine the flags give', async ({ expect }) => {
    // 4 cores: b and c run together -> 10 + 30 + 5 = 45; level by level the same; one by one 65.
    const wide = await cliJson<PredictionJson>(['predict', '--from-run', 'tiny-dag', '--cores', '4', '--db', db]);
    expect(wide.code).toBe(0);
    expect([wide.json.async_s, wide.json.sync_s, wide.json.sequential_s, wide.json.async_ideal_s]).toEqual([45, 45, 65, 45]);
    expect(wide.json.stages.map((s) => [s.name, s.tasks, s.level, s.start_s, s.end_s])).toEqual([
      ['split', 1, 0, 0, 10],
      ['work', 2, 1, 10, 40],
      ['join', 1, 2, 40, 45],
    ]);
    // 2 cores: b and c take turns
    const narrow = await cliJson<PredictionJson>(['predict', '--from-run', 'tiny-dag', '--cores', '2', '--nodes', '1', '--db', db]);
    expect(narrow.json.async_s).toBe(65);
  });

  it('exits 2 with a clear message when a run states no machine and no flag gives one', async ({ expect }) => {
    const result = await cli(['predict', '--from-run', 'tiny-dag', '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('asyncscope: error: run tiny-dag does not state its machine: give --cores N (and --gpus N, --nodes N) to predict on a platform\n');
  });

  it('rejects bad usage in one line with exit 2', async ({ expect }) => {
    const cases: [string[], string][] = [
      [['predict'], 'give a spec file, or --from-run RUN to infer one from a stored run'],
      [['predict', DG2_SPEC, '--from-run', 'dg2-sync', '--db', db], 'give a spec file or --from-run RUN, not both'],
      [['predict', DG2_SPEC, '--overhead', 'auto'], '--overhead auto calibrates from a run: use it with --from-run, or give seconds'],
      [['predict', DG2_SPEC, '--cores', '100', '--nodes', '16'], 'stages[0] (T0): 16 cores per task but nodes have 6.25 (platform from --cores 100 --nodes 16)'],
    ];
    for (const [args, message] of cases) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toBe(`asyncscope: error: ${message}\n`);
    }
  });

  it('names the spec file and the problem: an unknown stage, a cycle, a task too big', async ({ expect }) => {
    const file = path.join(work, 'broken.yaml');
    const write = (body: string) => fs.writeFileSync(file, `platform: { nodes: 16, cores_per_node: 168, gpus_per_node: 6 }\nstages:\n${body}`);
    write('  - { name: T1, tasks: 1, duration_s: 1, after: [T2] }\n  - { name: T2, tasks: 1, duration_s: 1, after: [T1] }\n');
    expect((await cli(['predict', file])).stderr).toBe(`asyncscope: error: ${file}: cycle: T1 -> T2 -> T1\n`);
    write('  - { name: T0, tasks: 1, duration_s: 1, cores: 200 }\n');
    expect((await cli(['predict', file])).stderr).toBe(`asyncscope: error: ${file}: stages[0]: 200 cores per task but nodes have 168\n`);
  });
});
