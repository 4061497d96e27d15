/**
 * DAG levels: the level of a node is the length, in edges, of the longest path from a source to
 * it. Sources are level 0; a node is one level below its deepest parent. A level-synchronous
 * execution runs level 0, waits for all of it, runs level 1, and so on.
 *
 * Example: A -> {B1 -> B2 -> B3, C1 -> C2} gives A 0, B1 1, C1 1, B2 2, C2 2, B3 3 (4 levels).
 */
import { topologicalOrder, type Dag } from './dag.js';

export interface Levels {
  /** Level of each node. */
  level: Int32Array;
  /** Number of levels (max level + 1; 0 for an empty graph). */
  count: number;
}

export function levels(dag: Dag): Levels {
  const order = topologicalOrder(dag);
  if (!order) throw new Error('levels: the graph has a cycle');
  const level = new Int32Array(dag.size);
  let max = -1;
  for (const v of order) {
    let l = 0;
    for (let k = dag.parentStart[v]; k < dag.parentStart[v + 1]; k++) {
      const candidate = level[dag.parentList[k]] + 1;
      if (candidate > l) l = candidate;
    }
    level[v] = l;
    if (l > max) max = l;
  }
  return { level, count: max + 1 };
}
