/**
 * A bag of tasks: a run whose stage instances are not made of like tasks, and where no instance
 * waited for another. RADICAL-Pilot's own sample session is one: 2,048 independent runs of one
 * program, in 1,179 shapes of ranks, cores and GPUs. A stage-level spec would cut it into a stage
 * per shape; here every task becomes a task of a task-level spec without parents, listed in the
 * order the tasks started, and the spec replays that order (docs/model.md, "Bags of tasks"):
 *
 * - `scheduler: fifo`: the order the run started its tasks in already holds every choice the
 *   middleware made about which task to run next, its backfilling included; a backfilling
 *   simulator would make new choices. (In the sample session RADICAL-Pilot left resources idle
 *   that a waiting task would have fitted for half of the makespan: backfill in the same order predicts
 *   5,162 s for 6,525 s measured, fifo 6,452 s.)
 * - `task_overhead_s`: the median time a task held its resources beyond its execution (launch and
 *   clean-up), which matters for tasks of a few seconds.
 */
import { median } from 'simple-statistics';
import type { InferOptions, InferredSpec, RunData } from './run-data.js';
import type { TaskSpec } from './spec.js';

/** A stage instance with more resource shapes than this is not a stage of like tasks. */
export const BAG_SHAPES = 8;

/** Ranks of task i (1 when the run does not say). */
export function ranksOf(run: RunData, i: number): number {
  const r = run.ranks?.[i] ?? 1;
  return r >= 1 ? r : 1;
}

/** The bag-of-tasks spec of a run whose stage-level inference is `staged`, or null when the run is not one. */
export function inferBag(run: RunData, staged: InferredSpec, options: InferOptions): InferredSpec | null {
  if (staged.spec.kind !== 'stages' || !staged.stageTasks) return null;
  if (staged.instances.some((instance) => instance.parents.length > 0)) return null;
  const shapes = new Array<number>(staged.instances.length).fill(0);
  for (const k of staged.stageInstance) shapes[k]++;
  const most = Math.max(...shapes);
  if (most <= BAG_SHAPES) return null;

  const t = run.tasks;
  const order = staged.stageTasks.flat().sort((a, b) => t.start[a] - t.start[b] || a - b);
  const ids = new Set<string>();
  const tasks: TaskSpec[] = order.map((i) => {
    let id = t.uid[i];
    for (let k = 2; ids.has(id); k++) id = `${t.uid[i]}#${k}`;
    ids.add(id);
    const ranks = ranksOf(run, i);
    return {
      id,
      type: t.type[i],
      durationS: t.end[i] - t.start[i],
      cores: Number.isNaN(t.cores[i]) ? 1 : t.cores[i],
      gpus: Number.isNaN(t.gpus[i]) ? 0 : t.gpus[i],
      ...(ranks > 1 ? { ranks } : {}),
      parents: [],
    };
  });
  const holds: number[] = [];
  if (run.holdExtraS) for (const i of order) if (run.holdExtraS[i] >= 0) holds.push(run.holdExtraS[i]);
  const taskOverheadS = holds.length > 0 ? median(holds) : 0;
  const holdNote = holds.length > 0 ? `, each holding its resources ${taskOverheadS.toFixed(3)} s beyond its run (median of ${holds.length})` : '';
  return {
    spec: { kind: 'tasks', name: staged.spec.name, platform: options.platform, overheadS: options.overheadS ?? 0, scheduler: 'fifo', taskOverheadS, tasks },
    stageTasks: order.map((i) => [i]),
    instances: [],
    stageInstance: [],
    warnings: [
      ...staged.warnings,
      `${tasks.length} tasks in ${most} resource shapes, no stage waiting for another: modelled as a bag of independent tasks started in the order the run started them (fifo)${holdNote}`,
    ],
  };
}
