/**
 * What each task of a measured run waited for before it could start: its dependencies, from the
 * run's task DAG when the trace has one (WfCommons, or a table with parents), else from the stage
 * structure inferred from the timeline (infer-spec.ts: pipeline order and observed barriers).
 */
import { inferSpec, type RunData } from './infer-spec.js';
import { UNBOUNDED } from './spec.js';

export interface DependencyStructure {
  /** `dag`: the trace's task dependencies; `stages`: inferred stage dependencies; `none`: no task waited for another. */
  kind: 'dag' | 'stages' | 'none';
  /** When each task's dependencies had all ended (0 without any; NaN for tasks that did not run). */
  depsReady: Float64Array;
  /** The dependency that ended last (the task whose end made it ready), or -1. */
  lastParent: Int32Array;
}

export function dependencyStructure(run: RunData, barrierGapS?: number): DependencyStructure {
  const t = run.tasks;
  const n = t.length;
  const depsReady = new Float64Array(n);
  const lastParent = new Int32Array(n).fill(-1);
  const ran = (i: number) => Number.isFinite(t.start[i]) && Number.isFinite(t.end[i]);
  if (run.edges.length > 0) {
    for (let k = 0; k < run.edges.length; k++) {
      const parent = run.edges.parent[k];
      const child = run.edges.child[k];
      if (!ran(parent)) continue;
      if (lastParent[child] === -1 || t.end[parent] > depsReady[child]) {
        depsReady[child] = t.end[parent];
        lastParent[child] = parent;
      }
    }
    return { kind: 'dag', depsReady, lastParent };
  }
  if (!run.scheduled) return { kind: 'none', depsReady, lastParent };
  const inferred = inferSpec(run, { platform: UNBOUNDED, barrierGapS });
  if (!inferred.stageTasks || inferred.spec.kind !== 'stages') return { kind: 'none', depsReady, lastParent };
  // The task that ended last in each stage instance.
  const lastOf = new Int32Array(inferred.instances.length).fill(-1);
  inferred.stageTasks.forEach((members, s) => {
    const k = inferred.stageInstance[s];
    for (const i of members) if (lastOf[k] === -1 || t.end[i] > t.end[lastOf[k]]) lastOf[k] = i;
  });
  let any = false;
  inferred.stageTasks.forEach((members, s) => {
    const instance = inferred.instances[inferred.stageInstance[s]];
    let ready = 0;
    let parent = -1;
    for (const p of instance.parents) {
      const last = lastOf[p];
      if (last >= 0 && (parent === -1 || t.end[last] > ready)) {
        ready = t.end[last];
        parent = last;
      }
    }
    if (parent >= 0) any = true;
    for (const i of members) {
      depsReady[i] = ready;
      lastParent[i] = parent;
    }
  });
  return { kind: any ? 'stages' : 'none', depsReady, lastParent };
}
