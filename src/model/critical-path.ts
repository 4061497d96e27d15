/**
 * The critical path: the longest dependency path through a DAG whose nodes take `weight[v]`
 * seconds, where a node with parents also waits `overheadS` after its last parent ends. No
 * schedule on any machine can finish sooner.
 *
 * Example: A 500 -> {B1 1000 -> B2 2000 -> B3 2000, C1 1000 -> C2 4000}, no overhead:
 * A-B1-B2-B3 = 5500 and A-C1-C2 = 5500, so the critical path is 5500 s (the first found, A-B1-B2-B3).
 */
import { topologicalOrder, type Dag } from './dag.js';

export interface CriticalPath {
  lengthS: number;
  /** Nodes of one longest path, source first. */
  path: number[];
}

export function criticalPath(dag: Dag, weight: ArrayLike<number>, overheadS = 0): CriticalPath {
  const order = topologicalOrder(dag);
  if (!order) throw new Error('criticalPath: the graph has a cycle');
  const finish = new Float64Array(dag.size);
  const via = new Int32Array(dag.size).fill(-1);
  let last = -1;
  for (const v of order) {
    let start = 0;
    for (let k = dag.parentStart[v]; k < dag.parentStart[v + 1]; k++) {
      const p = dag.parentList[k];
      const candidate = finish[p] + overheadS;
      if (via[v] === -1 || candidate > start) {
        start = candidate;
        via[v] = p;
      }
    }
    finish[v] = start + weight[v];
    if (last === -1 || finish[v] > finish[last]) last = v;
  }
  const path: number[] = [];
  for (let v = last; v !== -1; v = via[v]) path.push(v);
  path.reverse();
  return { lengthS: last === -1 ? 0 : finish[last], path };
}
