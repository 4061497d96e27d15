/**
 * What a run measured, in figures: task outcomes, makespan, and the runner's launch overhead.
 */
import { median } from 'simple-statistics';
import type { TaskRecord } from './execute.js';
import type { RunPlan } from './plan.js';

export interface RunSummary {
  tasks: number;
  done: number;
  failed: number;
  canceled: number;
  /** Last end - first start over the tasks that started and ended; null when none did. */
  makespanS: number | null;
  /**
   * Measured minus stated duration of the tasks that ran the built-in sleep and ended DONE: what
   * starting, waiting for and reaping a process costs per task here. Null when no task did.
   */
  launchOverheadS: { median: number; max: number; tasks: number } | null;
}

export function summarize(plan: RunPlan, records: readonly TaskRecord[]): RunSummary {
  let done = 0;
  let failed = 0;
  let canceled = 0;
  let first = Infinity;
  let last = -Infinity;
  const overheads: number[] = [];
  for (const task of plan.tasks) {
    const r = records[task.index];
    if (r.state === 'DONE') done++;
    else if (r.state === 'FAILED') failed++;
    else canceled++;
    if (Number.isNaN(r.start) || Number.isNaN(r.end)) continue;
    if (r.start < first) first = r.start;
    if (r.end > last) last = r.end;
    if (r.state === 'DONE' && task.command === undefined) overheads.push(r.end - r.start - task.durationS);
  }
  return {
    tasks: plan.tasks.length,
    done,
    failed,
    canceled,
    makespanS: first === Infinity ? null : last - first,
    launchOverheadS: overheads.length === 0 ? null : { median: median(overheads), max: Math.max(...overheads), tasks: overheads.length },
  };
}
