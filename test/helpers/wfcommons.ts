/**
 * WfCommons instances (in ../shared/traces/wfcommons, from WfInstances; never copied into the
 * project) and a longest-path helper for checking their stored DAGs. Tests that use them run
 * inside `describeWithShared` (helpers/shared-traces.ts).
 */
import path from 'node:path';
import type { EdgeTable } from '../../src/run/edge-table.js';
import { sharedTrace } from './shared-traces-location.js';

export const WF_DIR = sharedTrace('wfcommons');

export const WFCOMMONS = {
  forkjoin: { id: 'helloworld-forkjoin-10-chameleon', file: path.join(WF_DIR, 'helloworld-forkjoin-10-chameleon.json'), tasks: 10, edges: 16, cores: 64, makespan: 437 },
  bacass: { id: 'bacass-dirt02-001', file: path.join(WF_DIR, 'bacass-dirt02-001.json'), tasks: 11, edges: 14, cores: 1, makespan: 4243 },
  srasearch: { id: 'srasearch-chameleon-10a-001', file: path.join(WF_DIR, 'srasearch-chameleon-10a-001.json'), tasks: 22, edges: 30, cores: 48, makespan: 3488 },
} as const;

/**
 * Length of the longest path through the DAG when every task takes its runtime (the critical
 * path), and the path itself. Tasks are relaxed in topological order (Kahn).
 */
export function criticalPath(runtime: readonly number[], edges: EdgeTable): { length: number; path: number[] } {
  const n = runtime.length;
  const children: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Array<number>(n).fill(0);
  for (let e = 0; e < edges.length; e++) {
    children[edges.parent[e]].push(edges.child[e]);
    indegree[edges.child[e]]++;
  }
  const finish = runtime.slice();
  const via = new Array<number>(n).fill(-1);
  const ready = indegree.flatMap((d, i) => (d === 0 ? [i] : []));
  let visited = 0;
  while (ready.length > 0) {
    const task = ready.pop()!;
    visited++;
    for (const child of children[task]) {
      if (finish[task] + runtime[child] > finish[child]) {
        finish[child] = finish[task] + runtime[child];
        via[child] = task;
      }
      if (--indegree[child] === 0) ready.push(child);
    }
  }
  if (visited !== n) throw new Error('the graph has a cycle');
  let last = 0;
  for (let i = 1; i < n; i++) if (finish[i] > finish[last]) last = i;
  const path: number[] = [];
  for (let t = last; t !== -1; t = via[t]) path.unshift(t);
  return { length: finish[last], path };
}
