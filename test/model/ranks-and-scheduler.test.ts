/**
 * Tasks wider than a node (ranks), the fifo scheduler and the task overhead, on hand-computed
 * cases (docs/model.md, "Tasks of several ranks" and "The middleware").
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { specDocument } from '../../src/model/format-spec.js';
import { parseSpec, validateSpec } from '../../src/model/parse-spec.js';
import { predict } from '../../src/model/predict.js';
import { middlewareOf, simulateMode } from '../../src/model/simulate.js';
import { expandSpec } from '../../src/model/task-graph.js';

function starts(text: string, mode: 'async' | 'sync' | 'sequential' = 'async') {
  const spec = parseSpec(text);
  const schedule = simulateMode(expandSpec(spec), spec.platform, mode, spec.overheadS, middlewareOf(spec));
  return { start: Array.from(schedule.start), node: Array.from(schedule.node), makespan: schedule.makespanS };
}

describe('tasks of several ranks', () => {
  it('places each rank on one node, spanning nodes, and frees every rank at the end', () => {
    // 2 nodes of 8 cores, 2 GPUs. A: 2 ranks of 6 cores + 1 GPU: one rank per node (two do not fit
    // on one). B (4 cores) then finds 2 free cores on each node: it waits for A, until 10.
    const r = starts(`
platform: { nodes: 2, cores_per_node: 8, gpus_per_node: 2 }
stages:
  - { name: A, tasks: 1, duration_s: 10, cores: 12, gpus: 2, ranks: 2 }
  - { name: B, tasks: 1, duration_s: 5, cores: 4 }
`);
    expect(r.start).toEqual([0, 10]);
    expect(r.makespan).toBe(15);
  });

  it('puts several ranks on one node when they fit there, first fit in node order', () => {
    // 2 ranks of 4 cores fit together on node 0; B (8 cores) then takes node 1 at once.
    const r = starts(`
platform: { nodes: 2, cores_per_node: 8, gpus_per_node: 0 }
stages:
  - { name: A, tasks: 1, duration_s: 10, cores: 8, ranks: 2 }
  - { name: B, tasks: 1, duration_s: 5, cores: 8 }
`);
    expect(r.start).toEqual([0, 0]);
    expect(r.node).toEqual([0, 1]);
  });

  it('refuses a task whose ranks can never all fit, and one whose rank is wider than a node', () => {
    expect(() => parseSpec('platform: { nodes: 2, cores_per_node: 8 }\nstages: [{ name: A, tasks: 1, duration_s: 1, cores: 18, ranks: 3 }]')).toThrow(
      'stages[0]: 3 ranks of 6 cores and 0 GPUs but the 2 nodes hold 2',
    );
    expect(() => parseSpec('platform: { nodes: 4, cores_per_node: 64 }\nstages: [{ name: A, tasks: 1, duration_s: 1, cores: 184 }]')).toThrow('184 cores per task but nodes have 64');
    // The same 184 cores as 4 ranks of 46 fit on the 4 nodes of RADICAL-Pilot's sample session.
    expect(parseSpec('platform: { nodes: 4, cores_per_node: 64 }\nstages: [{ name: A, tasks: 1, duration_s: 1, cores: 184, ranks: 4 }]').kind).toBe('stages');
    expect(() => parseSpec('stages: [{ name: A, tasks: 1, duration_s: 1, ranks: 0 }]')).toThrow(InputError);
  });

  it('counts slots in ranks for the time alone: 4 tasks of 2 ranks x 4 cores on 2 nodes of 8 run in two waves', () => {
    const p = predict(parseSpec('platform: { nodes: 2, cores_per_node: 8 }\nstages: [{ name: A, tasks: 4, duration_s: 10, cores: 8, ranks: 2 }]'));
    expect(p.stages[0].aloneS).toBe(20);
    expect(p.asyncS).toBe(20);
  });
});

describe('the fifo scheduler', () => {
  const text = (scheduler: string) => `
platform: { cores: 4 }
scheduler: ${scheduler}
stages:
  - { name: A, tasks: 1, duration_s: 10, cores: 3 }
  - { name: B, tasks: 1, duration_s: 10, cores: 2 }
  - { name: C, tasks: 1, duration_s: 10, cores: 1 }
`;
  it('holds back every later task behind one that does not fit; backfill lets them pass', () => {
    // A holds 3 of 4 cores. Backfill: C (1 core) starts beside A. Fifo: C waits behind B.
    expect(starts(text('backfill')).start).toEqual([0, 10, 0]);
    expect(starts(text('fifo')).start).toEqual([0, 10, 10]);
  });

  it('is read, written back and refused when unknown', () => {
    const spec = parseSpec(text('fifo'));
    expect(spec.scheduler).toBe('fifo');
    expect(specDocument(spec).scheduler).toBe('fifo');
    expect(() => parseSpec(text('lifo'))).toThrow('scheduler: expected one of backfill, fifo, got "lifo"');
  });
});

describe('the task overhead', () => {
  it('keeps resources held after a task ends, while its dependents start at its end', () => {
    // 2 cores. A (1 core, 10 s) holds its core until 12. C (after A) starts at 10 on the other core
    // (B, 2 cores, does not fit) and holds it until 13; B starts when both are free: 13.
    const r = starts(`
platform: { cores: 2 }
task_overhead_s: 2
stages:
  - { name: A, tasks: 1, duration_s: 10, cores: 1 }
  - { name: B, tasks: 1, duration_s: 5, cores: 2 }
  - { name: C, tasks: 1, duration_s: 1, cores: 1, after: [A] }
`);
    expect(r.start).toEqual([0, 13, 10]);
    expect(r.makespan).toBe(18);
  });

  it('is a non-negative number, written back when set', () => {
    const spec = validateSpec({ task_overhead_s: 0.25, stages: [{ name: 'a', tasks: 1, duration_s: 1 }] });
    expect(spec.taskOverheadS).toBe(0.25);
    expect(specDocument(spec).task_overhead_s).toBe(0.25);
    expect(() => validateSpec({ task_overhead_s: -1, stages: [{ name: 'a', tasks: 1, duration_s: 1 }] })).toThrow('task_overhead_s: expected a non-negative number, got -1');
  });
});
