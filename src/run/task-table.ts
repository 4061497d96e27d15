/**
 * A run's tasks, column by column: importers build it, the store reads it back, the model and the
 * exporters read it.
 *
 * Columns rather than one object per task: a million-task trace is then a dozen arrays instead of
 * a million small objects, which keeps ingest and analysis fast and their memory predictable. The
 * columns are the fields of task-fields.ts; a missing number (unknown cores, a task that never
 * started) is NaN.
 */
import { isNumeric, nanToNull, TASK_FIELDS, type PushTask, type TaskFieldName, type TaskFields, type TaskValue, type TaskValues } from './task-fields.js';

/**
 * Where tasks go, one call per task, without an object per task: a task table in memory, the
 * store writing a run, or a batch on its way to another thread. Times in the caller's seconds.
 */
export interface TaskSink {
  pushValues: PushTask<unknown>;
  /**
   * Optional, before the first task: the earliest start among the first tasks to come. The store's
   * run writer takes it as its provisional time zero (see store/sqlite/run-writer.ts).
   */
  startsFrom?(time: number): void;
}

/** One array per task field; index i of every column describes the same task. */
export type TaskColumnArrays = { readonly [N in TaskFieldName]: TaskValue<N>[] };

// The class gets its columns from the field list: in its type (this interface, merged with the
// class) and at run time (the constructor).
export interface TaskTable extends TaskColumnArrays {}

export class TaskTable implements TaskSink {
  /** The columns in field order, for the loops that visit every field. */
  private readonly columns: unknown[][];

  constructor() {
    const self = this as unknown as Record<TaskFieldName, unknown[]>;
    for (const field of TASK_FIELDS) self[field.name] = [];
    this.columns = TASK_FIELDS.map((field) => self[field.name]);
  }

  get length(): number {
    return this.uid.length;
  }

  /** Appends a task given as an object; unknown values may be left out. Returns its index. */
  push(task: TaskFields): number {
    const values = task as Partial<Record<TaskFieldName, unknown>>;
    TASK_FIELDS.forEach((field, k) => this.columns[k].push(values[field.name] ?? (isNumeric(field) ? NaN : null)));
    return this.uid.length - 1;
  }

  /** `push` without an object per task (values in field order). Returns the task's index. */
  pushValues(...task: TaskValues): number {
    for (let k = 0; k < task.length; k++) this.columns[k].push(task[k]);
    return this.uid.length - 1;
  }

  /** Task i's values in field order, as `pushValues` takes them: to copy a task into another sink. */
  values(i: number): TaskValues {
    return this.columns.map((column) => column[i]) as unknown as TaskValues;
  }

  /** Task i as one object, unknown numbers null: convenient for tests and small outputs, not for hot loops. */
  row(i: number): TaskFields {
    const row: Record<string, unknown> = {};
    TASK_FIELDS.forEach((field, k) => {
      const value = this.columns[k][i];
      row[field.name] = isNumeric(field) ? nanToNull(value as number) : value;
    });
    return row as TaskFields;
  }
}
