/**
 * Where a streaming importer puts a run as it reads it: tasks (one call each, positional, as the
 * store's RunWriter takes them), their events (grouped by task, in time order within a task) and
 * dependencies. The store's RunWriter is one; `MemoryRun` keeps them in tables, for tests and for
 * the small traces of importers that read whole.
 */
import { EdgeTable } from '../../run/edge-table.js';
import { EventTable } from '../../run/event-table.js';
import { type TaskSink, TaskTable } from '../../run/task-table.js';

export interface RunSink extends TaskSink {
  pushValues(...task: Parameters<TaskTable['pushValues']>): number | void;
  addEvent(task: number, event: string, state: string | null, time: number): void;
  addEdge(parent: number, child: number): void;
}

export class MemoryRun implements RunSink {
  readonly tasks = new TaskTable();
  readonly events = new EventTable();
  readonly edges = new EdgeTable();

  pushValues(...task: Parameters<TaskTable['pushValues']>): number {
    return this.tasks.pushValues(...task);
  }

  addEvent(task: number, event: string, state: string | null, time: number): void {
    this.events.push(task, event, state, time);
  }

  addEdge(parent: number, child: number): void {
    this.edges.push(parent, child);
  }
}
