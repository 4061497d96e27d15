/**
 * What a trace says of some tasks besides their row (executable, stage name, ranks), and what a
 * rule that sets task types (`--type-from`) reads of a task. The store keeps them apart from the
 * task rows (schema: `task_details`), only for the tasks that have any: RADICAL-Pilot tasks today,
 * and every task of a run whose types a rule changed (each keeps the type its trace gave, so that
 * `--type-from trace` undoes the rule).
 */

/** Executable, stage name (RADICAL-EnTK) and ranks of some tasks of a run; `task` is the task index. */
export class TaskDetails {
  readonly task: number[] = [];
  readonly executable: (string | null)[] = [];
  readonly stageName: (string | null)[] = [];
  readonly ranks: number[] = [];

  get length(): number {
    return this.task.length;
  }

  push(task: number, executable: string | null, stageName: string | null, ranks: number): void {
    this.task.push(task);
    this.executable.push(executable);
    this.stageName.push(stageName);
    this.ranks.push(ranks);
  }
}

/**
 * Every details row a store holds for a run, as stored: with the type each task's trace gave it
 * and NaN where the ranks are unknown (rows a type rule added). What copying a run reads.
 */
export class StoredTaskDetails extends TaskDetails {
  readonly traceType: string[] = [];

  add(task: number, traceType: string, executable: string | null, stageName: string | null, ranks: number): void {
    this.push(task, executable, stageName, ranks);
    this.traceType.push(traceType);
  }
}

/** What a type rule reads of a task. */
export interface TypeFields {
  uid: string;
  name: string | null;
  /** The type the trace (its importer) gave the task. */
  traceType: string;
  /** The stage instance (`pipeline.0000/stage.0001`, or a table's stage column). */
  stage: string | null;
  /** The stage's name (RADICAL-EnTK: `Simulation`). */
  stageName: string | null;
  executable: string | null;
}

/** A task's new type from its fields; the rule's text is kept on the run (`StoredRun.typeFrom`). */
export interface Retype {
  /** The rule as the user wrote it; null for the trace's own types. */
  rule: string | null;
  typeOf: (task: TypeFields) => string;
}
