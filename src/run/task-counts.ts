/**
 * Summary figures of a run's tasks, as stored on the run and printed by `runs`:
 * executed = start and end known; incomplete = start known, end not;
 * makespan = last end - first start over executed tasks.
 * Times may be relative or absolute: the makespan does not care.
 */
import type { TaskTable } from './task-table.js';

export interface TaskCounts {
  tasks: number;
  executed: number;
  incomplete: number;
  makespanS: number | null;
}

/** Counts tasks as they come (the store's run writer counts a streamed trace this way). */
export class TaskCounter {
  tasks = 0;
  executed = 0;
  incomplete = 0;
  private firstExecutedStart = Infinity;
  private lastEnd = -Infinity;

  /** One task's start and end (NaN when unknown). */
  add(start: number, end: number): void {
    this.tasks++;
    if (start !== start) return; // never started
    if (end !== end) {
      this.incomplete++;
      return;
    }
    this.executed++;
    if (start < this.firstExecutedStart) this.firstExecutedStart = start;
    if (end > this.lastEnd) this.lastEnd = end;
  }

  counts(): TaskCounts {
    return { tasks: this.tasks, executed: this.executed, incomplete: this.incomplete, makespanS: this.executed > 0 ? this.lastEnd - this.firstExecutedStart : null };
  }
}

/** The counts of a whole table. */
export function countTasks(tasks: TaskTable): TaskCounts {
  const counter = new TaskCounter();
  for (let i = 0; i < tasks.length; i++) counter.add(tasks.start[i], tasks.end[i]);
  return counter.counts();
}
