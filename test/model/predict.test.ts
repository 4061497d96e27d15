/**
 * Hand-computed predictions: the seed example of the issue, a chain, a fork-join, two waves,
 * GPU contention, node packing. Each answer is worked out in the comment above it.
 */
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/model/parse-spec.js';
import { predict, predictionJson } from '../../src/model/predict.js';

const nodes = (n: number, cores: number, gpus: number) => `platform: { nodes: ${n}, cores_per_node: ${cores}, gpus_per_node: ${gpus} }`;

describe('predict: the seed example', () => {
  // A 500 -> {B1 1000 -> B2 2000 -> B3 2000, C1 1000 -> C2 4000}, ample resources (no platform).
  const seed = parseSpec(`
name: seed
stages:
  - { name: A,  tasks: 1, duration_s: 500 }
  - { name: B1, tasks: 1, duration_s: 1000, after: [A] }
  - { name: B2, tasks: 1, duration_s: 2000, after: [B1] }
  - { name: B3, tasks: 1, duration_s: 2000, after: [B2] }
  - { name: C1, tasks: 1, duration_s: 1000, after: [A] }
  - { name: C2, tasks: 1, duration_s: 4000, after: [C1] }
`);

  it('gives sync 7500, async 5500 and sequential 10500 exactly', () => {
    const p = predict(seed);
    // levels: A | B1 C1 | B2 C2 | B3 -> 500 + max(1000, 1000) + max(2000, 4000) + 2000
    expect(p.syncS).toBe(7500);
    // 500 + max(1000 + 2000 + 2000, 1000 + 4000)
    expect(p.asyncS).toBe(5500);
    expect(p.asyncIdealS).toBe(5500);
    // 500 + 1000 + 2000 + 2000 + 1000 + 4000
    expect(p.sequentialS).toBe(10500);
    expect(p.improvement.vsSync).toBeCloseTo(1 - 5500 / 7500, 12);
    expect(p.improvement.vsSequential).toBeCloseTo(1 - 5500 / 10500, 12);
  });

  it('reports per-stage levels, alone times and the simulated asynchronous start and end, in the JSON of the issue', () => {
    const json = predictionJson(predict(seed));
    expect(Object.keys(json)).toEqual(['sequential_s', 'sync_s', 'async_ideal_s', 'async_s', 'improvement', 'stages']);
    expect(Object.keys(json.improvement)).toEqual(['vs_sync', 'vs_sequential']);
    expect(json.stages).toEqual([
      { name: 'A', tasks: 1, level: 0, alone_s: 500, start_s: 0, end_s: 500 },
      { name: 'B1', tasks: 1, level: 1, alone_s: 1000, start_s: 500, end_s: 1500 },
      { name: 'B2', tasks: 1, level: 2, alone_s: 2000, start_s: 1500, end_s: 3500 },
      { name: 'B3', tasks: 1, level: 3, alone_s: 2000, start_s: 3500, end_s: 5500 },
      { name: 'C1', tasks: 1, level: 1, alone_s: 1000, start_s: 500, end_s: 1500 },
      { name: 'C2', tasks: 1, level: 2, alone_s: 4000, start_s: 1500, end_s: 5500 },
    ]);
  });

  it('adds the overhead once per barrier (sync, sequential) and once per dependent stage on a path (async)', () => {
    const p = predict({ ...seed, overheadS: 10 });
    expect(p.syncS).toBe(7500 + 3 * 10); // 3 barriers between 4 levels
    expect(p.sequentialS).toBe(10500 + 5 * 10); // 5 barriers between 6 stages
    expect(p.asyncS).toBe(5500 + 3 * 10); // A-B1-B2-B3: three stages that waited
    expect(p.asyncIdealS).toBe(5530);
  });
});

describe('predict: small workflows', () => {
  it('a chain: every figure is the sum of the stages plus the overheads', () => {
    // A 10 -> B 20 -> C 30, 5 s overhead: 10 + 5 + 20 + 5 + 30 = 70 whatever the execution mode.
    const p = predict(
      parseSpec(`
overhead_s: 5
stages:
  - { name: A, tasks: 4, duration_s: 10 }
  - { name: B, tasks: 4, duration_s: 20, after: A }
  - { name: C, tasks: 4, duration_s: 30, after: [B] }
`),
    );
    expect([p.sequentialS, p.syncS, p.asyncIdealS, p.asyncS]).toEqual([70, 70, 70, 70]);
    expect(p.improvement.vsSync).toBe(0);
    expect(p.criticalPath).toEqual(['A', 'B', 'C']);
  });

  it('a fork-join with unequal branches: async saves the short branch its barrier', () => {
    // S 10 -> {X1 30 -> X2 30, Y 60} -> J 10. Levels: S | X1 Y | X2 | J.
    // sync 10 + max(30, 60) + 30 + 10 = 110; async 10 + max(60, 60) + 10 = 80; sequential 140.
    const p = predict(
      parseSpec(`
platform: { cores: 8, gpus: 0 }
stages:
  - { name: S,  tasks: 2, duration_s: 10 }
  - { name: X1, tasks: 2, duration_s: 30, after: [S] }
  - { name: X2, tasks: 2, duration_s: 30, after: [X1] }
  - { name: Y,  tasks: 2, duration_s: 60, after: [S] }
  - { name: J,  tasks: 2, duration_s: 10, after: [X2, Y] }
`),
    );
    expect(p.syncS).toBe(110);
    expect(p.asyncS).toBe(80);
    expect(p.sequentialS).toBe(140);
    expect(p.stages.map((s) => s.level)).toEqual([0, 1, 2, 1, 3]);
  });

  it('two waves: 192 one-GPU tasks on 96 GPUs take twice as long as one task', () => {
    const p = predict(parseSpec(`${nodes(16, 168, 6)}\nstages: [{ name: sims, tasks: 192, duration_s: 340, cores: 4, gpus: 1 }]`));
    expect([p.sequentialS, p.syncS, p.asyncIdealS, p.asyncS]).toEqual([680, 680, 680, 680]);
    expect(p.stages[0].aloneS).toBe(680);
    const s = p.schedules.async;
    expect(s.start.subarray(0, 96).every((t) => t === 0)).toBe(true);
    expect(s.start.subarray(96).every((t) => t === 340)).toBe(true);
    // first fit: six tasks per node, in task order
    expect(Array.from(s.node.subarray(0, 12))).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(Math.max(...s.node)).toBe(15);
  });

  it('GPU contention: the asynchronous branch waits for the GPUs another stage holds', () => {
    // P 10 (CPU) -> G: 4 one-GPU tasks of 100 s, and P -> H1 10 (CPU) -> H2: 2 one-GPU tasks of 50 s; 4 GPUs.
    // G takes all GPUs at 10 until 110; H1 runs 10-20, H2 is ready at 20 but starts at 110, ends 160.
    // With GPUs to spare it would end at 10 + 10 + 50 = 70, so async_ideal (alone times) is 110.
    const spec = parseSpec(`
platform: { cores: 64, gpus: 4 }
stages:
  - { name: P,  tasks: 1, duration_s: 10 }
  - { name: G,  tasks: 4, duration_s: 100, gpus: 1, after: [P] }
  - { name: H1, tasks: 1, duration_s: 10, after: [P] }
  - { name: H2, tasks: 2, duration_s: 50, gpus: 1, after: [H1] }
`);
    const p = predict(spec);
    expect(p.asyncS).toBe(160);
    expect(p.stages.find((s) => s.name === 'H2')).toMatchObject({ startS: 110, endS: 160 });
    expect(p.asyncIdealS).toBe(110);
    expect(p.syncS).toBe(160); // P | G H1 | H2: 10 + 100 + 50
    expect(p.sequentialS).toBe(170);
    // with 6 GPUs, H2 starts when H1 ends
    const wider = predict({ ...spec, platform: { kind: 'pool', cores: 64, gpus: 6 } });
    expect(wider.asyncS).toBe(110);
  });

  it('node packing: tasks that fit the pooled cores do not all fit on the nodes', () => {
    // 3 tasks of 5 cores: 15 <= 16 pooled cores, one wave (10 s); on 2 nodes of 8 cores one task
    // per node (5 + 5 > 8), so the third waits: 20 s.
    const stage = 'stages: [{ name: S, tasks: 3, duration_s: 10, cores: 5 }]';
    expect(predict(parseSpec(`platform: { cores: 16 }\n${stage}`)).asyncS).toBe(10);
    const onNodes = predict(parseSpec(`${nodes(2, 8, 0)}\n${stage}`));
    expect(onNodes.asyncS).toBe(20);
    expect(onNodes.stages[0].aloneS).toBe(20);
    expect(Array.from(onNodes.schedules.async.node)).toEqual([0, 1, 0]);
  });

  it('placement order: big CPU tasks placed first leave GPUs without cores (as in DeepDriveMD)', () => {
    // 2 nodes x (10 cores, 2 GPUs). C: 2 tasks of 8 cores, listed first; G: 4 tasks of 2 cores + 1 GPU.
    // C takes 8 cores on each node; each node then fits one G (2 cores): two G wait 10 s -> 20 s.
    // Listed the other way round, G fills 4 cores + 2 GPUs per node, C (8 cores) no longer fits: 20 s too,
    // but the G tasks end at 10 and C at 20.
    const body = (first: string, second: string) => `${nodes(2, 10, 2)}\nstages:\n  - ${first}\n  - ${second}`;
    const c = '{ name: C, tasks: 2, duration_s: 10, cores: 8 }';
    const g = '{ name: G, tasks: 4, duration_s: 10, cores: 2, gpus: 1 }';
    const cFirst = predict(parseSpec(body(c, g)));
    expect(cFirst.asyncS).toBe(20);
    expect(cFirst.stages.find((s) => s.name === 'G')).toMatchObject({ startS: 0, endS: 20 });
    const gFirst = predict(parseSpec(body(g, c)));
    expect(gFirst.stages.find((s) => s.name === 'G')).toMatchObject({ startS: 0, endS: 10 });
    expect(gFirst.stages.find((s) => s.name === 'C')).toMatchObject({ startS: 10, endS: 20 });
  });

  it('a task-level DAG: tasks are their own stages; rows are per task type', () => {
    // a 10 -> {b 20, c 30} -> d 5, 2 cores each on 4 pooled cores: b and c run together.
    const dag = (cores: number) =>
      parseSpec(`
platform: { cores: ${cores} }
tasks:
  - { id: a, type: split, duration_s: 10, cores: 2 }
  - { id: b, type: work, duration_s: 20, cores: 2, parents: [a] }
  - { id: c, type: work, duration_s: 30, cores: 2, parents: [a] }
  - { id: d, type: join, duration_s: 5, cores: 2, parents: [b, c] }
`);
    const p = predict(dag(4));
    expect([p.asyncS, p.syncS, p.sequentialS, p.asyncIdealS]).toEqual([45, 45, 65, 45]);
    expect(predictionJson(p).stages).toEqual([
      { name: 'split', tasks: 1, level: 0, alone_s: 10, start_s: 0, end_s: 10 },
      { name: 'work', tasks: 2, level: 1, alone_s: 30, start_s: 10, end_s: 40 },
      { name: 'join', tasks: 1, level: 2, alone_s: 5, start_s: 40, end_s: 45 },
    ]);
    // on 2 cores, b and c take turns: 10 + 20 + 30 + 5
    expect(predict(dag(2)).asyncS).toBe(65);
  });

  it('a stage with one duration per task', () => {
    // 3 tasks of 10, 50, 20 s on 2 slots: 10 then 20 on one slot, 50 on the other -> 50.
    const p = predict(parseSpec('platform: { cores: 2 }\nstages: [{ name: S, durations_s: [10, 50, 20] }]'));
    expect(p.asyncS).toBe(50);
    expect(Array.from(p.schedules.async.start)).toEqual([0, 0, 10]);
  });
});
