/**
 * The fields of a task, declared once. Everything that holds, moves or stores tasks follows this
 * list: the columns of a TaskTable and its object form, the positional fast path (`PushTask`),
 * the stored columns and what reads them back (store/), the tables the exporters write, and the
 * batches that carry tabular traces between threads (importers/tabular/task-batch.ts). A new
 * field is added here (and to the store's schema, in a new migration), and the compiler points at
 * every place whose positional code must take it.
 *
 * Kinds: `text` is always known; `optional-text` may be null; `amount` (cores, GPUs per task),
 * `time` (seconds; relative to the run's time zero once stored), `duration` (seconds) and `code`
 * (an integer such as an exit status) are numbers, NaN when unknown (NULL when stored).
 */

export type TaskFieldKind = 'text' | 'optional-text' | 'amount' | 'time' | 'duration' | 'code';

export interface TaskFieldSpec {
  readonly name: string;
  readonly kind: TaskFieldKind;
  /** The column that stores it (docs/schema.md, table `tasks`). */
  readonly column: string;
  /**
   * The same few values recur from task to task (a type, a node): batches carry such columns as
   * codes into a dictionary of the values seen.
   */
  readonly repeats: boolean;
}

export const TASK_FIELDS = [
  { name: 'uid', kind: 'text', column: 'uid', repeats: false },
  { name: 'name', kind: 'optional-text', column: 'name', repeats: false },
  { name: 'type', kind: 'text', column: 'type', repeats: true },
  { name: 'stage', kind: 'optional-text', column: 'stage', repeats: true },
  { name: 'pipeline', kind: 'optional-text', column: 'pipeline', repeats: true },
  /** The system's own final state, verbatim (`DONE`, `CANCELLED by 0`, `dep_fail`). */
  { name: 'state', kind: 'optional-text', column: 'state', repeats: true },
  /** What became of the task in asyncscope's vocabulary (run/outcome.ts), null when unknown. */
  { name: 'outcome', kind: 'optional-text', column: 'outcome', repeats: true },
  { name: 'node', kind: 'optional-text', column: 'node', repeats: true },
  { name: 'cores', kind: 'amount', column: 'cores', repeats: false },
  { name: 'gpus', kind: 'amount', column: 'gpus', repeats: false },
  /** Seconds: absolute (epoch) while an importer builds a table, relative to time zero once stored. */
  { name: 'start', kind: 'time', column: 'start_s', repeats: false },
  { name: 'end', kind: 'time', column: 'end_s', repeats: false },
  /** A runtime the trace states without placing the task in time (WfCommons instances); else NaN. */
  { name: 'runtime', kind: 'duration', column: 'runtime_s', repeats: false },
  /** The exit status, when the trace gives it (`asyncscope run`, an exit code column); 128 + signal number for a signal. */
  { name: 'exit_code', kind: 'code', column: 'exit_code', repeats: false },
  /** The CPU and GPU slot indexes the task held on its node, as a JSON array (`[0,1]`), when the trace gives them. */
  { name: 'cpu_slots', kind: 'optional-text', column: 'cpu_slots', repeats: false },
  { name: 'gpu_slots', kind: 'optional-text', column: 'gpu_slots', repeats: false },
] as const satisfies readonly TaskFieldSpec[];

type Fields = typeof TASK_FIELDS;
type Field = Fields[number];

export type TaskFieldName = Field['name'];

type ValueOfKind<K> = K extends 'text' ? string : K extends 'optional-text' ? string | null : number;

/** The value of one field of one task in a table (NaN for an unknown number). */
export type TaskValue<N extends TaskFieldName> = ValueOfKind<Extract<Field, { name: N }>['kind']>;

// A mapped type over a tuple gives a tuple only through a type parameter, hence the helper.
type ValuesOf<T extends readonly TaskFieldSpec[]> = { -readonly [I in keyof T]: ValueOfKind<T[I]['kind']> };

/** A task's values in field order: the arguments of the positional fast path. */
export type TaskValues = ValuesOf<Fields>;

/**
 * One call per task, values in `TASK_FIELDS` order, no object per task: how importers of very
 * large traces hand tasks on. Implementations take the parameter types from this one declaration.
 */
export type PushTask<R> = (...task: TaskValues) => R;

type RequiredField = Extract<Field, { kind: 'text' }>['name'];

/** A task as one object, unknown values left out or null: for importers that read whole traces, tests and small outputs. */
export type TaskFields = { [N in RequiredField]: string } & { [N in Exclude<TaskFieldName, RequiredField>]?: TaskValue<N> | null };

/** Whether a field holds numbers (NaN when unknown) rather than text. */
export function isNumeric(field: TaskFieldSpec): boolean {
  return field.kind === 'amount' || field.kind === 'time' || field.kind === 'duration' || field.kind === 'code';
}

/** NaN (an unknown number in a table) as null, as stored and printed in JSON. */
export function nanToNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
