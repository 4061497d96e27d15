/**
 * The task dependency graph of an instance: edges from the parent and child lists, checked.
 *
 * WfFormat states each dependency twice (the parent lists the child, the child lists the parent)
 * but instances do not always keep both lists consistent, and older ones state only one side.
 * The graph is the union of both sides, without duplicates.
 */
import { findCycle } from '../../run/edge-cycle.js';
import { EdgeTable } from '../../run/edge-table.js';

export interface DeclaredDependencies {
  /** Task ids, in the order of the instance. */
  ids: readonly string[];
  /** For each task, the references it gives to its parents and to its children. */
  parents: readonly (readonly string[])[];
  children: readonly (readonly string[])[];
  /** Task index of a reference (an id; in WfFormat 1.4 also a name). */
  resolve: (reference: string) => number | undefined;
}

export type DagProblem =
  | { kind: 'unknown'; task: string; relation: 'parent' | 'child'; reference: string }
  | { kind: 'cycle'; path: string[] };

export interface Dag {
  edges: EdgeTable;
  /** Dependencies that only one of the two tasks declared. */
  oneSided: number;
}

/** The edges (parent -> child task indexes), or the first problem found. */
export function buildDag(declared: DeclaredDependencies): Dag | DagProblem {
  const n = declared.ids.length;
  const seen = new Map<number, number>(); // edge key -> 1 if declared once, 2 if by both tasks
  const edges = new EdgeTable();
  const add = (parent: number, child: number) => {
    const key = parent * n + child;
    const count = seen.get(key);
    if (count === undefined) {
      seen.set(key, 1);
      edges.push(parent, child);
    } else if (count === 1) {
      seen.set(key, 2);
    }
  };
  for (let task = 0; task < n; task++) {
    for (const reference of declared.parents[task]) {
      const parent = declared.resolve(reference);
      if (parent === undefined) return { kind: 'unknown', task: declared.ids[task], relation: 'parent', reference };
      add(parent, task);
    }
  }
  for (let task = 0; task < n; task++) {
    for (const reference of declared.children[task]) {
      const child = declared.resolve(reference);
      if (child === undefined) return { kind: 'unknown', task: declared.ids[task], relation: 'child', reference };
      add(task, child);
    }
  }
  const cycle = findCycle(n, edges);
  if (cycle) return { kind: 'cycle', path: cycle.map((i) => declared.ids[i]) };
  let oneSided = 0;
  for (const count of seen.values()) if (count === 1) oneSided++;
  return { edges, oneSided };
}
