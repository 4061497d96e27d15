/**
 * Calibration: what a measured (synchronous) run teaches the model, and applying it to a spec.
 *
 * - Overhead ("auto"): the median gap between the end of a stage and the start of the next
 *   dependent stage, over the run's inferred stage dependencies. In a synchronous run this is the
 *   middleware's latency between a barrier and the next launch (about 7 s on the Summit traces).
 * - Durations: the run's measured task durations, grouped by task kind (type, cores, GPUs), and by
 *   task name and resources.
 *
 * Applied to a spec (a stage-level one: each stage; a task-level one: each task), a stage takes
 * the durations of the matching kind in the calibration run, spread over its task count by evenly
 * spaced quantiles (shortest to longest, so the longest measured task is kept); failing that, the
 * durations of the calibration tasks that carry the same names as the stage's tasks; failing that,
 * it keeps its own durations and is reported as uncalibrated.
 */
import { quantileSorted } from 'simple-statistics';
import type { InferredSpec, RunData } from './run-data.js';
import type { StageSpec, TaskSpec, WorkflowSpec } from './spec.js';

export interface Calibration {
  runId: string;
  /** Median of `gaps` (0 when the run shows none). */
  overheadS: number;
  /** Observed gaps, seconds: first start of a dependent stage minus the last end of the stage it waited for. */
  gaps: number[];
  /** Measured durations by task kind (see kindKey), ascending. */
  kinds: Map<string, number[]>;
  /** Measured durations by task name and resources (see nameKey), ascending. */
  names: Map<string, number[]>;
}

export const kindKey = (type: string, cores: number, gpus: number): string => `${type}\u0000${cores}\u0000${gpus}`;
export const nameKey = (name: string, cores: number, gpus: number): string => `${name}\u0000${cores}\u0000${gpus}`;

/**
 * Observed launch gaps of a run: for each stage instance with dependencies, its first start minus
 * the last end of the latest-ending instance it depends on; for a task-level DAG, the same per task
 * and its parents. Negative gaps (a stage that started before its predecessor ended) are not
 * latencies and are left out.
 */
export function observedGaps(run: RunData, inferred: InferredSpec): number[] {
  const gaps: number[] = [];
  if (inferred.spec.kind === 'stages') {
    for (const instance of inferred.instances) {
      if (instance.parents.length === 0) continue;
      let lastEnd = -Infinity;
      for (const p of instance.parents) lastEnd = Math.max(lastEnd, inferred.instances[p].lastEnd);
      const gap = instance.firstStart - lastEnd;
      if (gap >= 0) gaps.push(gap);
    }
    return gaps;
  }
  if (!run.scheduled) return gaps;
  const t = run.tasks;
  const lastParentEnd = new Float64Array(t.length).fill(-Infinity);
  for (let k = 0; k < run.edges.length; k++) {
    const child = run.edges.child[k];
    const end = t.end[run.edges.parent[k]];
    // NaN (a parent that never ended) poisons the maximum, so the child is left out below.
    lastParentEnd[child] = Number.isNaN(end) || Number.isNaN(lastParentEnd[child]) ? NaN : Math.max(lastParentEnd[child], end);
  }
  for (let i = 0; i < t.length; i++) {
    const gap = t.start[i] - lastParentEnd[i];
    if (Number.isFinite(gap) && gap >= 0) gaps.push(gap);
  }
  return gaps;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

export function calibrate(run: RunData, inferred: InferredSpec): Calibration {
  const t = run.tasks;
  const kinds = new Map<string, number[]>();
  const names = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, value: number) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (let i = 0; i < t.length; i++) {
    const measured = t.end[i] - t.start[i];
    const duration = Number.isFinite(measured) && measured >= 0 ? measured : t.runtime[i];
    if (!(Number.isFinite(duration) && duration >= 0)) continue;
    const cores = Number.isNaN(t.cores[i]) ? 1 : t.cores[i];
    const gpus = Number.isNaN(t.gpus[i]) ? 0 : t.gpus[i];
    add(kinds, kindKey(t.type[i], cores, gpus), duration);
    const name = t.name[i] ?? (inferred.spec.kind === 'tasks' ? t.uid[i] : null);
    if (name !== null) add(names, nameKey(name, cores, gpus), duration);
  }
  for (const list of kinds.values()) list.sort((a, b) => a - b);
  for (const list of names.values()) list.sort((a, b) => a - b);
  const gaps = observedGaps(run, inferred);
  return { runId: run.id, overheadS: median(gaps) ?? 0, gaps, kinds, names };
}

/**
 * n values spread evenly over a sorted sample, shortest to longest, keeping its minimum and maximum
 * (one value: the median). Example: [10, 20, 30, 40, 50] spread over 3 tasks gives [10, 30, 50].
 */
export function spread(sorted: readonly number[], n: number): number[] {
  if (n === 1) return [quantileSorted(sorted as number[], 0.5)];
  const out = new Array<number>(n);
  const m = sorted.length;
  for (let j = 0; j < n; j++) {
    const position = (j * (m - 1)) / (n - 1);
    const low = Math.floor(position);
    const high = Math.min(m - 1, low + 1);
    out[j] = sorted[low] + (sorted[high] - sorted[low]) * (position - low);
  }
  return out;
}

export interface CalibratedSpec {
  spec: WorkflowSpec;
  /** Stages (task-level: task types) that took measured durations from the calibration run. */
  calibrated: string[];
  /** Stages (task types) that kept their own durations: no matching kind or name in the calibration run. */
  uncalibrated: string[];
}

/**
 * The spec with the calibration's durations and overhead. `taskNames(s)` gives the names of stage
 * s's tasks (task-level specs: `taskNames(k)` for task k), when known, for matching by name.
 */
export function applyCalibration(
  spec: WorkflowSpec,
  calibration: Calibration,
  taskNames?: (index: number) => readonly (string | null)[],
): CalibratedSpec {
  const calibrated: string[] = [];
  const uncalibrated: string[] = [];
  if (spec.kind === 'stages') {
    const stages = spec.stages.map((stage, s): StageSpec => {
      const durations = stageDurations(stage, calibration, taskNames?.(s));
      (durations ? calibrated : uncalibrated).push(stage.name);
      return durations ? { ...stage, durations } : stage;
    });
    return { spec: { ...spec, overheadS: calibration.overheadS, stages }, calibrated, uncalibrated };
  }
  const matched = new Set<string>();
  const unmatched = new Set<string>();
  const tasks = spec.tasks.map((task, k): TaskSpec => {
    const name = taskNames?.(k)[0] ?? task.id;
    const byName = calibration.names.get(nameKey(name, task.cores, task.gpus));
    const sample = byName ?? calibration.kinds.get(kindKey(task.type, task.cores, task.gpus));
    (sample ? matched : unmatched).add(task.type);
    return sample ? { ...task, durationS: spread(sample, 1)[0] } : task;
  });
  for (const type of matched) if (!unmatched.has(type)) calibrated.push(type);
  uncalibrated.push(...unmatched);
  return { spec: { ...spec, overheadS: calibration.overheadS, tasks }, calibrated, uncalibrated };
}

function stageDurations(stage: StageSpec, calibration: Calibration, names: readonly (string | null)[] | undefined): number[] | null {
  const n = stage.durations.length;
  const byKind = calibration.kinds.get(kindKey(stage.type, stage.cores, stage.gpus));
  if (byKind) return spread(byKind, n);
  if (names) {
    const pooled: number[] = [];
    for (const name of names) {
      if (name === null) continue;
      const list = calibration.names.get(nameKey(name, stage.cores, stage.gpus));
      if (list) pooled.push(...list);
    }
    if (pooled.length > 0) return spread(pooled.sort((a, b) => a - b), n);
  }
  return null;
}
