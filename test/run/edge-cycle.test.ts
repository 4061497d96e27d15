/**
 * findCycle (run/edge-cycle.ts), which every importer of a DAG uses to refuse a cyclic one.
 */
import { describe, expect, it } from 'vitest';
import { findCycle } from '../../src/run/edge-cycle.js';
import { EdgeTable } from '../../src/run/edge-table.js';

const table = (pairs: [number, number][]) => {
  const edges = new EdgeTable();
  for (const [p, c] of pairs) edges.push(p, c);
  return edges;
};

describe('findCycle', () => {
  it('finds a cycle as a closed path from its first task', () => {
    expect(findCycle(5, table([[0, 1], [1, 2], [2, 3], [3, 1], [3, 4]]))).toEqual([1, 2, 3, 1]);
    expect(findCycle(3, table([[0, 1], [0, 2]]))).toBeNull();
  });

  it('tells the same cycle whatever task the walk begins from, and a self-loop or none', () => {
    expect(findCycle(4, table([[3, 2], [2, 1], [1, 3], [0, 1]]))).toEqual([1, 3, 2, 1]);
    expect(findCycle(2, table([[1, 1]]))).toEqual([1, 1]);
    // Without edges, at once (the importers hand it a million tasks without dependencies).
    expect(findCycle(1_000_000, new EdgeTable())).toBeNull();
    expect(findCycle(0, new EdgeTable())).toBeNull();
  });
});
