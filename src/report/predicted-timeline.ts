/**
 * A simulated schedule seen as a run, so that the analyzers measure it exactly as they measure a
 * trace: the predicted timeline beside the measured one is built by the same code from the same
 * kind of data (every task's type, start, end, cores and GPUs), and its group bars are the
 * analyzer's figures, not a second computation.
 */
import { analyzePrepared, prepareRun } from '../analysis/analyze-run.js';
import type { Schedule } from '../model/simulate.js';
import type { TaskGraph } from '../model/task-graph.js';
import type { TaskColumns } from '../run/task-columns.js';
import type { TimelineData } from './report-data.js';
import { timelineData } from './timeline-data.js';

/** The schedule's tasks as task columns (type = the task's stage type). */
export function scheduleTasks(graph: TaskGraph, schedule: Schedule): TaskColumns {
  const type = new Array<string>(graph.taskCount);
  for (let t = 0; t < graph.taskCount; t++) type[t] = graph.groupTypes[graph.groupOf[t]];
  return { length: graph.taskCount, start: schedule.start, end: schedule.end, cores: graph.cores, gpus: graph.gpus, type, stage: [], pipeline: [] };
}

/** The Gantt data of a simulated schedule, grouped by task type. */
export function predictedTimeline(graph: TaskGraph, schedule: Schedule): TimelineData {
  const prepared = prepareRun(scheduleTasks(graph, schedule), { by: 'type' });
  const info = { id: 'prediction', label: 'prediction', mode: 'unknown' as const, capacity: { cores: null, gpus: null }, scheduled: true };
  return timelineData(prepared, analyzePrepared(info, prepared).json.groups);
}
