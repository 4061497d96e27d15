/**
 * What inference reads of a stored run (`RunData`, from-store.ts loads it) and what it gives back
 * (`InferredSpec`): the types infer-spec.ts, infer-bag.ts and calibrate.ts share, apart from the
 * code, so that none of them imports another for its types alone.
 */
import type { Capacity } from '../run/capacity.js';
import type { EdgeTable } from '../run/edge-table.js';
import type { RunMode } from '../run/stored-run.js';
import type { TaskTable } from '../run/task-table.js';
import type { Platform, WorkflowSpec } from './spec.js';

/** What inference and calibration need of a stored run. */
export interface RunData {
  id: string;
  /** How the run is stored as having executed; a comparison warns when it is given in the other role. */
  mode?: RunMode;
  workflow: string | null;
  capacity: Capacity;
  /** False when the trace gives runtimes but no start times. */
  scheduled: boolean;
  makespanS: number | null;
  tasks: TaskTable;
  edges: EdgeTable;
  /** Ranks of each task (tasks wider than a node); absent or 1: one rank. */
  ranks?: ArrayLike<number>;
  /**
   * Seconds each task held its resources beyond its execution (the middleware's launch and
   * clean-up: RADICAL-Pilot schedule_ok -> exec_start and exec_stop -> unschedule_stop); NaN unknown.
   */
  holdExtraS?: ArrayLike<number>;
}

/** A stage instance as observed in the run. */
export interface StageInstance {
  key: string;
  pipeline: string | null;
  firstStart: number;
  lastEnd: number;
  /** Instances it depends on (indexes into `instances`). */
  parents: number[];
}

export interface InferredSpec {
  spec: WorkflowSpec;
  /** Run task indexes of each spec stage (stage-level); null for task-level specs, where spec task k is run task k. */
  stageTasks: number[][] | null;
  /** Observed stage instances (stage-level), in order of first start. */
  instances: StageInstance[];
  /** Instance of each spec stage. */
  stageInstance: number[];
  warnings: string[];
}

export interface InferOptions {
  platform: Platform;
  /** Largest gap between the end of stage A and the start of stage B for B to count as waiting for A. */
  barrierGapS?: number;
  overheadS?: number;
}
