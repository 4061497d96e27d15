/**
 * A directed acyclic graph over nodes 0..size-1 in compressed form (CSR): the parents of node v are
 * `parentList[parentStart[v] .. parentStart[v + 1] - 1]`, and likewise its children. Typed arrays
 * keep a million-node task DAG in a few arrays instead of a million small ones.
 */
import { MinHeap } from '../util/min-heap.js';

export interface Dag {
  size: number;
  parentStart: Int32Array;
  parentList: Int32Array;
  childStart: Int32Array;
  childList: Int32Array;
}

/** A graph from edge lists (`from[i] -> to[i]`); a repeated edge is kept once. Cycles are not checked here. */
export function buildDag(size: number, from: ArrayLike<number>, to: ArrayLike<number>): Dag {
  for (let i = 0; i < from.length; i++) {
    const a = from[i];
    const b = to[i];
    if (!(a >= 0 && a < size && b >= 0 && b < size)) throw new RangeError(`edge ${a} -> ${b} outside 0..${size - 1}`);
  }
  // Parents of each node by counting sort, then sorted and deduplicated in place.
  const rawStart = countingStarts(size, to);
  const raw = new Int32Array(from.length);
  const fill = rawStart.slice(0, size);
  for (let i = 0; i < from.length; i++) raw[fill[to[i]]++] = from[i];
  const parentStart = new Int32Array(size + 1);
  let kept = 0;
  for (let v = 0; v < size; v++) {
    const list = raw.subarray(rawStart[v], rawStart[v + 1]).sort();
    parentStart[v] = kept;
    for (let k = 0; k < list.length; k++) if (k === 0 || list[k] !== list[k - 1]) raw[kept++] = list[k];
  }
  parentStart[size] = kept;
  const parentList = raw.slice(0, kept);

  // Children: the transpose, in parent-list order (so each child list is sorted by child index).
  const childOf = new Int32Array(kept);
  for (let v = 0; v < size; v++) for (let k = parentStart[v]; k < parentStart[v + 1]; k++) childOf[k] = v;
  const childStart = countingStarts(size, parentList);
  const childList = new Int32Array(kept);
  const next = childStart.slice(0, size);
  for (let k = 0; k < kept; k++) childList[next[parentList[k]]++] = childOf[k];
  return { size, parentStart, parentList, childStart, childList };
}

/** start[v] = number of keys smaller than v (prefix sums of counts), length size + 1. */
function countingStarts(size: number, keys: ArrayLike<number>): Int32Array {
  const start = new Int32Array(size + 1);
  for (let i = 0; i < keys.length; i++) start[keys[i] + 1]++;
  for (let v = 0; v < size; v++) start[v + 1] += start[v];
  return start;
}

export function parentCount(dag: Dag, v: number): number {
  return dag.parentStart[v + 1] - dag.parentStart[v];
}

/**
 * Nodes in dependency order; among nodes ready at the same time the smallest index comes first,
 * so a list of stages written parents-first keeps its order. Returns null when the graph has a cycle.
 */
export function topologicalOrder(dag: Dag): Int32Array | null {
  const pending = new Int32Array(dag.size);
  for (let v = 0; v < dag.size; v++) pending[v] = parentCount(dag, v);
  const ready = new MinHeap((a, b) => a < b);
  for (let v = 0; v < dag.size; v++) if (pending[v] === 0) ready.push(v);
  const order = new Int32Array(dag.size);
  let n = 0;
  while (ready.size > 0) {
    const v = ready.pop();
    order[n++] = v;
    for (let k = dag.childStart[v]; k < dag.childStart[v + 1]; k++) {
      const c = dag.childList[k];
      if (--pending[c] === 0) ready.push(c);
    }
  }
  return n === dag.size ? order : null;
}
