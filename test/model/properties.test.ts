/**
 * Seeded property tests on random workflows: orderings of the predictions, lower bounds of every
 * simulated time, monotonicity of async_ideal in the resources, and sequential as the sum of the
 * stages alone. The greedy simulation itself is NOT asserted monotone in the resources: list
 * schedules are not (Graham's anomalies).
 */
import { describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/model/critical-path.js';
import { predict } from '../../src/model/predict.js';
import { simulateMode } from '../../src/model/simulate.js';
import { platformTotals, UNBOUNDED, type Platform, type StageSpec, type TaskSpec, type WorkflowSpec } from '../../src/model/spec.js';
import { expandSpec } from '../../src/model/task-graph.js';
import { aloneTime, slotsFor } from '../../src/model/time-alone.js';
import { seededRandom } from '../../src/util/seeded-random.js';

/** A seeded generator, so a failure can be replayed. */
const rng = seededRandom;

const int = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

/** Nodes of 4-16 cores and 0-4 GPUs; every task fits a node. */
function randomPlatform(random: () => number): Platform {
  return { kind: 'nodes', nodes: int(random, 1, 4), coresPerNode: int(random, 4, 16), gpusPerNode: int(random, 1, 4) };
}

function randomStages(random: () => number, platform: Platform): WorkflowSpec {
  const count = int(random, 1, 10);
  const stages: StageSpec[] = [];
  const maxCores = platform.kind === 'nodes' ? platform.coresPerNode : 4;
  const maxGpus = platform.kind === 'nodes' ? platform.gpusPerNode : 1;
  for (let s = 0; s < count; s++) {
    const after = new Set<string>();
    for (let p = 0; p < s; p++) if (random() < 0.3) after.add(`S${p}`);
    const tasks = int(random, 1, 8);
    const uniform = random() < 0.5;
    const base = int(random, 1, 100);
    stages.push({
      name: `S${s}`,
      type: `S${s}`,
      durations: Array.from({ length: tasks }, () => (uniform ? base : int(random, 0, 100))),
      cores: int(random, 1, maxCores),
      gpus: random() < 0.4 ? int(random, 1, maxGpus) : 0,
      after: [...after],
    });
  }
  return { kind: 'stages', name: null, platform, overheadS: random() < 0.5 ? 0 : int(random, 1, 10), stages };
}

function randomTasks(random: () => number, platform: Platform): WorkflowSpec {
  const count = int(random, 1, 30);
  const tasks: TaskSpec[] = [];
  for (let i = 0; i < count; i++) {
    const parents = new Set<string>();
    for (let k = int(random, 0, 3); k > 0 && i > 0; k--) parents.add(`t${int(random, 0, i - 1)}`);
    tasks.push({ id: `t${i}`, type: `k${i % 3}`, durationS: int(random, 0, 50), cores: int(random, 1, 4), gpus: random() < 0.3 ? 1 : 0, parents: [...parents] });
  }
  return { kind: 'tasks', name: null, platform, overheadS: random() < 0.5 ? 0 : int(random, 1, 5), tasks };
}

function* workflows(seed: number, count: number): Generator<{ spec: WorkflowSpec; label: string }> {
  const random = rng(seed);
  for (let k = 0; k < count; k++) {
    const platform = randomPlatform(random);
    const spec = random() < 0.6 ? randomStages(random, platform) : randomTasks(random, platform);
    yield { spec, label: `seed ${seed}, workflow ${k}` };
  }
}

const EPS = 1e-9;

/** Resource-free critical path: every group as long as its longest task, plus the overheads. */
function resourceFreeCriticalPath(spec: WorkflowSpec): number {
  const graph = expandSpec(spec);
  const weight = new Float64Array(graph.groups.size);
  for (let t = 0; t < graph.taskCount; t++) weight[graph.groupOf[t]] = Math.max(weight[graph.groupOf[t]], graph.duration[t]);
  return criticalPath(graph.groups, weight, spec.overheadS).lengthS;
}

/** Total core-seconds over cores and GPU-seconds over GPUs: no schedule is shorter. */
function workBound(spec: WorkflowSpec): number {
  const graph = expandSpec(spec);
  const totals = platformTotals(spec.platform);
  let coreWork = 0;
  let gpuWork = 0;
  for (let t = 0; t < graph.taskCount; t++) {
    coreWork += graph.cores[t] * graph.duration[t];
    gpuWork += graph.gpus[t] * graph.duration[t];
  }
  return Math.max(coreWork / totals.cores, totals.gpus > 0 ? gpuWork / totals.gpus : 0);
}

describe('properties of the predictions on random workflows', () => {
  it('with ample resources: async <= sync <= sequential, and async is the critical path', () => {
    for (const { spec, label } of workflows(1, 300)) {
      const p = predict({ ...spec, platform: UNBOUNDED });
      expect(p.asyncS, label).toBeLessThanOrEqual(p.syncS + EPS);
      expect(p.syncS, label).toBeLessThanOrEqual(p.sequentialS + EPS);
      expect(p.asyncS, label).toBeCloseTo(resourceFreeCriticalPath(spec), 9);
      expect(p.asyncIdealS, label).toBeCloseTo(p.asyncS, 9);
    }
  });

  it('simulated times are never below the critical path nor below total work / capacity', () => {
    for (const { spec, label } of workflows(2, 300)) {
      const p = predict(spec);
      const bound = Math.max(resourceFreeCriticalPath(spec), workBound(spec));
      for (const [name, value] of [
        ['sequential', p.sequentialS],
        ['sync', p.syncS],
        ['async', p.asyncS],
        ['async_ideal', p.asyncIdealS],
      ] as const) {
        if (name !== 'async_ideal') expect(value, `${label}: ${name}`).toBeGreaterThanOrEqual(bound - EPS);
        else expect(value, `${label}: ${name}`).toBeGreaterThanOrEqual(resourceFreeCriticalPath(spec) - EPS);
      }
    }
  });

  it('async_ideal never grows with more nodes, cores or GPUs', () => {
    for (const { spec, label } of workflows(3, 300)) {
      if (spec.platform.kind !== 'nodes') continue;
      const base = predict(spec).asyncIdealS;
      const { nodes, coresPerNode, gpusPerNode } = spec.platform;
      for (const platform of [
        { kind: 'nodes', nodes: nodes + 1, coresPerNode, gpusPerNode },
        { kind: 'nodes', nodes, coresPerNode: coresPerNode + 3, gpusPerNode },
        { kind: 'nodes', nodes, coresPerNode, gpusPerNode: gpusPerNode + 1 },
        { kind: 'nodes', nodes: 2 * nodes, coresPerNode: 2 * coresPerNode, gpusPerNode: 2 * gpusPerNode },
      ] as const) {
        expect(predict({ ...spec, platform }).asyncIdealS, `${label}: ${JSON.stringify(platform)}`).toBeLessThanOrEqual(base + EPS);
      }
    }
  });

  it('sequential is the sum of the stages alone plus one overhead per barrier', () => {
    for (const { spec, label } of workflows(4, 200)) {
      if (spec.kind !== 'stages') continue;
      const alone = spec.stages.map((s) => aloneTime(s.durations, slotsFor(spec.platform, s.cores, s.gpus)));
      const expected = alone.reduce((a, b) => a + b, 0) + spec.overheadS * (spec.stages.length - 1);
      expect(predict(spec).sequentialS, label).toBeCloseTo(expected, 9);
    }
  });

  it('every task runs once, for its duration, after its dependencies, within the platform', () => {
    for (const { spec, label } of workflows(5, 150)) {
      const graph = expandSpec(spec);
      for (const mode of ['async', 'sync', 'sequential'] as const) {
        const s = simulateMode(graph, spec.platform, mode, spec.overheadS);
        for (let t = 0; t < graph.taskCount; t++) {
          expect(s.end[t] - s.start[t], label).toBeCloseTo(graph.duration[t], 9);
          const g = graph.groupOf[t];
          for (let k = graph.groups.parentStart[g]; k < graph.groups.parentStart[g + 1]; k++) {
            const p = graph.groups.parentList[k];
            for (let u = graph.groupStart[p]; u < graph.groupStart[p + 1]; u++) expect(s.start[t], label).toBeGreaterThanOrEqual(s.end[u] + spec.overheadS - EPS);
          }
        }
        // resources: at every start time, the tasks running on each node fit it
        if (spec.platform.kind === 'nodes') {
          const { coresPerNode, gpusPerNode } = spec.platform;
          for (let t = 0; t < graph.taskCount; t++) {
            let cores = 0;
            let gpus = 0;
            for (let u = 0; u < graph.taskCount; u++) {
              if (s.node[u] === s.node[t] && s.start[u] <= s.start[t] && s.end[u] > s.start[t]) {
                cores += graph.cores[u];
                gpus += graph.gpus[u];
              }
            }
            expect(cores, label).toBeLessThanOrEqual(coresPerNode + EPS);
            expect(gpus, label).toBeLessThanOrEqual(gpusPerNode + EPS);
          }
        }
      }
    }
  });

  it('is deterministic', () => {
    for (const { spec } of workflows(6, 50)) {
      const a = predict(spec);
      const b = predict(spec);
      expect(Array.from(a.schedules.async.start)).toEqual(Array.from(b.schedules.async.start));
      expect(Array.from(a.schedules.async.node)).toEqual(Array.from(b.schedules.async.node));
      expect([a.sequentialS, a.syncS, a.asyncS]).toEqual([b.sequentialS, b.syncS, b.asyncS]);
    }
  });
});
