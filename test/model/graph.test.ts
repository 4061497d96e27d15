/**
 * The graph building blocks: DAG construction, topological order, cycles, levels, critical path,
 * alone times.
 */
import { describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/model/critical-path.js';
import { buildDag, topologicalOrder } from '../../src/model/dag.js';
import { levels } from '../../src/model/levels.js';
import { aloneTime, slotsFor } from '../../src/model/time-alone.js';

// The seed example: 0 A, 1 B1, 2 B2, 3 B3, 4 C1, 5 C2.
const seed = buildDag(6, [0, 1, 2, 0, 4], [1, 2, 3, 4, 5]);

describe('dag', () => {
  it('keeps a repeated edge once and lists parents and children in index order', () => {
    const dag = buildDag(3, [1, 0, 1, 0], [2, 2, 2, 1]);
    expect(Array.from(dag.parentList.subarray(dag.parentStart[2], dag.parentStart[3]))).toEqual([0, 1]);
    expect(Array.from(dag.childList.subarray(dag.childStart[0], dag.childStart[1]))).toEqual([1, 2]);
    expect(dag.parentList.length).toBe(3);
  });

  it('orders nodes parents first, smallest index first among the ready ones', () => {
    expect(Array.from(topologicalOrder(seed)!)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(topologicalOrder(buildDag(3, [2], [0]))!)).toEqual([1, 2, 0]);
  });

  it('has no order when the graph has a cycle (run/edge-cycle.ts names it)', () => {
    expect(topologicalOrder(buildDag(3, [0, 1, 2], [1, 2, 1]))).toBeNull();
  });

  it('rejects an edge outside the graph', () => {
    expect(() => buildDag(2, [0], [2])).toThrow(RangeError);
  });
});

describe('levels', () => {
  it('is the longest path from a source, in edges', () => {
    const { level, count } = levels(seed);
    expect(Array.from(level)).toEqual([0, 1, 2, 3, 1, 2]);
    expect(count).toBe(4);
    // a shortcut edge does not lower a level: 0 -> 1 -> 2 and 0 -> 2
    expect(Array.from(levels(buildDag(3, [0, 1, 0], [1, 2, 2])).level)).toEqual([0, 1, 2]);
    expect(levels(buildDag(0, [], [])).count).toBe(0);
  });
});

describe('criticalPath', () => {
  it('is the longest weighted path, with the overhead before every node that waits', () => {
    const weights = [500, 1000, 2000, 2000, 1000, 4000];
    expect(criticalPath(seed, weights)).toEqual({ lengthS: 5500, path: [0, 1, 2, 3] });
    expect(criticalPath(seed, weights, 10).lengthS).toBe(5530);
    expect(criticalPath(seed, [500, 1000, 2000, 2000, 1000, 4001]).path).toEqual([0, 4, 5]);
  });
});

describe('alone time', () => {
  it('counts the slots of a task size on nodes and pools', () => {
    const summit = { kind: 'nodes', nodes: 16, coresPerNode: 168, gpusPerNode: 6 } as const;
    expect(slotsFor(summit, 4, 1)).toBe(96);
    expect(slotsFor(summit, 40, 0)).toBe(64); // 4 per node
    expect(slotsFor(summit, 32, 1)).toBe(80); // 5 per node by cores
    expect(slotsFor({ kind: 'pool', cores: 10, gpus: 0 }, 3, 0)).toBe(3);
    expect(slotsFor({ kind: 'unbounded' }, 1000, 1000)).toBe(Infinity);
  });

  it('runs the tasks in order on the first free slot', () => {
    expect(aloneTime([10, 50, 20], 2)).toBe(50);
    expect(aloneTime([50, 10, 20, 30], 2)).toBe(60); // 50 | 10, 20, 30 -> 10 + 20 + 30
    expect(aloneTime(new Array(192).fill(340), 96)).toBe(680);
    expect(aloneTime([], 4)).toBe(0);
    expect(aloneTime([5], 0)).toBe(Infinity);
  });
});
