/**
 * The simulator's rules, one by one, on small graphs: ready order, overhead, first fit, backfill,
 * barriers, the schedule it returns.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseSpec } from '../../src/model/parse-spec.js';
import { simulate, simulateMode } from '../../src/model/simulate.js';
import { expandSpec } from '../../src/model/task-graph.js';

function run(text: string, mode: 'async' | 'sync' | 'sequential' = 'async') {
  const spec = parseSpec(text);
  const graph = expandSpec(spec);
  return { graph, schedule: simulateMode(graph, spec.platform, mode, spec.overheadS) };
}

describe('simulate', () => {
  it('adds the overhead before stages that waited, never before sources', () => {
    const { schedule } = run(`
overhead_s: 7
stages:
  - { name: A, tasks: 1, duration_s: 10 }
  - { name: B, tasks: 1, duration_s: 10 }
  - { name: C, tasks: 1, duration_s: 10, after: [A, B] }
`);
    expect(Array.from(schedule.start)).toEqual([0, 0, 17]);
    expect(schedule.makespanS).toBe(27);
  });

  it('takes ready tasks by ready time, then stage order, then task order', () => {
    // One core. A (source, 2 tasks of 5 s) and B (source, listed second): A's tasks first.
    // C becomes ready at 5 (after A0? no: after all of A, at 10); B1 waits behind B0.
    const { schedule } = run(`
platform: { cores: 1 }
stages:
  - { name: A, tasks: 2, duration_s: 5 }
  - { name: B, tasks: 2, duration_s: 1 }
  - { name: C, tasks: 1, duration_s: 1, after: [A] }
`);
    // A0 0-5, A1 5-10, B0 10-11, B1 11-12 (ready at 0, earlier than C's 10), C 12-13
    expect(Array.from(schedule.start)).toEqual([0, 5, 10, 11, 12]);
  });

  it('lets a later task start when an earlier one does not fit (backfill)', () => {
    // 4 cores: A holds 3 for 10 s; B needs 2 (does not fit), C needs 1 (fits now).
    const { schedule } = run(`
platform: { cores: 4 }
stages:
  - { name: A, tasks: 1, duration_s: 10, cores: 3 }
  - { name: B, tasks: 1, duration_s: 10, cores: 2 }
  - { name: C, tasks: 1, duration_s: 10, cores: 1 }
`);
    expect(Array.from(schedule.start)).toEqual([0, 10, 0]);
  });

  it('places first fit by cores and GPUs and reports the node (or -1 when pooled)', () => {
    const onNodes = run(`
platform: { nodes: 3, cores_per_node: 8, gpus_per_node: 1 }
stages:
  - { name: cpu, tasks: 2, duration_s: 1, cores: 6 }
  - { name: gpu, tasks: 3, duration_s: 1, cores: 2, gpus: 1 }
`).schedule;
    // cpu -> nodes 0, 1 (2 cores left each); gpu -> node 0, node 1, node 2
    expect(Array.from(onNodes.node)).toEqual([0, 1, 0, 1, 2]);
    const pooled = run('platform: { cores: 8 }\nstages: [{ name: a, tasks: 2, duration_s: 1 }]').schedule;
    expect(Array.from(pooled.node)).toEqual([-1, -1]);
  });

  it('puts a barrier after each level (sync) and after each stage (sequential)', () => {
    const text = `
platform: { cores: 10 }
stages:
  - { name: A, tasks: 1, duration_s: 10 }
  - { name: B, tasks: 1, duration_s: 30, after: [A] }
  - { name: C, tasks: 1, duration_s: 5 }
  - { name: D, tasks: 1, duration_s: 5, after: [C] }
`;
    // levels: A C | B D. async: D starts at 5. sync: B and D start at 10. sequential: A, B, C, D in dependency order.
    expect(Array.from(run(text).schedule.start)).toEqual([0, 10, 0, 5]);
    expect(Array.from(run(text, 'sync').schedule.start)).toEqual([0, 10, 0, 10]);
    expect(Array.from(run(text, 'sequential').schedule.start)).toEqual([0, 10, 40, 45]);
  });

  it('returns start and end of every task, ending at the makespan', () => {
    const { graph, schedule } = run('platform: { cores: 2 }\nstages: [{ name: a, durations_s: [3, 1, 1, 4] }]');
    expect(Array.from(schedule.start)).toEqual([0, 0, 1, 2]);
    expect(Array.from(schedule.end)).toEqual([3, 1, 2, 6]);
    expect(schedule.makespanS).toBe(6);
    for (let t = 0; t < graph.taskCount; t++) expect(schedule.end[t] - schedule.start[t]).toBe(graph.duration[t]);
  });

  it('handles zero-length tasks and fractional GPUs', () => {
    const { schedule } = run(`
platform: { cores: 8, gpus: 1 }
stages:
  - { name: a, tasks: 3, duration_s: 0 }
  - { name: b, tasks: 4, duration_s: 2, gpus: 0.25, after: [a] }
  - { name: c, tasks: 2, duration_s: 1, gpus: 0.5 }
`);
    // c's two half-GPU tasks hold the GPU for 1 s; then b's four quarter-GPU tasks run together
    expect(Array.from(schedule.start)).toEqual([0, 0, 0, 1, 1, 1, 1, 0, 0]);
    expect(schedule.makespanS).toBe(3);
  });

  it('stops with an error, not a hang, when a task can never be placed', () => {
    const graph = expandSpec(parseSpec('stages: [{ name: big, tasks: 1, duration_s: 1, cores: 32 }]'));
    expect(() => simulate(graph, { kind: 'nodes', nodes: 4, coresPerNode: 16, gpusPerNode: 0 })).toThrow(InputError);
    expect(() => simulate(graph, { kind: 'nodes', nodes: 4, coresPerNode: 16, gpusPerNode: 0 })).toThrow(/cannot place task 0 of "big" \(32 cores, 0 GPUs\)/);
  });
});

describe('the schedule', () => {
  it('gives every task its start, end and node, tasks in stage order', () => {
    const { schedule } = run(`
platform: { nodes: 2, cores_per_node: 4, gpus_per_node: 0 }
stages:
  - { name: A, type: prep, tasks: 2, duration_s: 5, cores: 3 }
  - { name: B, tasks: 1, duration_s: 2, after: [A] }
`);
    expect(Array.from(schedule.start)).toEqual([0, 0, 5]);
    expect(Array.from(schedule.end)).toEqual([5, 5, 7]);
    expect(Array.from(schedule.node)).toEqual([0, 1, 0]);
  });
});
