/**
 * A simulated schedule as one row per task, for timelines (the HTML report draws it beside the
 * measured one): stage (or task id), type, start, end and node of every task.
 */
import type { Schedule } from './simulate.js';
import type { TaskGraph } from './task-graph.js';

export interface ScheduledTask {
  /** Stage name (task-level specs: the task id). */
  stage: string;
  type: string;
  /** Index of the task within its stage, 0-based. */
  index: number;
  startS: number;
  endS: number;
  /** Node index (0-based), or -1 on a pooled or unbounded platform. */
  node: number;
}

export function scheduleRows(graph: TaskGraph, schedule: Schedule): ScheduledTask[] {
  const rows: ScheduledTask[] = new Array(graph.taskCount);
  for (let t = 0; t < graph.taskCount; t++) {
    const g = graph.groupOf[t];
    rows[t] = {
      stage: graph.groupNames[g],
      type: graph.groupTypes[g],
      index: t - graph.groupStart[g],
      startS: schedule.start[t],
      endS: schedule.end[t],
      node: schedule.node[t],
    };
  }
  return rows;
}
