/**
 * What an importer hands the store: a run read whole (`ParsedRun`), or the header of a run it
 * streams (`RunHeader`, its tasks following one by one).
 */
import type { Capacity } from './capacity.js';
import type { EdgeTable } from './edge-table.js';
import type { EventTable } from './event-table.js';
import type { TaskDetails } from './task-details.js';
import type { TaskTable } from './task-table.js';
import type { RunMode } from './stored-run.js';

/** What is known of a run before its tasks. */
export interface RunHeader {
  /** Suggested run id (RADICAL-Pilot: the session id; tabular: the file name without extension). */
  id: string;
  /** Importer that read it: radical-pilot, csv, jsonl, ... */
  format: string;
  /** Path of the input as given on the command line, resolved to an absolute path. */
  source: string;
  workflow: string | null;
  /**
   * Label and mode the trace itself states (asyncscope's own Chrome export records them), already
   * checked by the importer; --label and --mode win over them, and a replaced run's values too.
   */
  label?: string;
  mode?: RunMode;
  capacity: Capacity;
  /** False when the trace gives runtimes but no start times (WfCommons instances): analyses that need a timeline refuse it. */
  scheduled: boolean;
}

/** Everything an importer produces for one run, ready to be stored in one transaction. */
export interface ParsedRun extends RunHeader {
  /** Epoch seconds of time zero (first task execution start); null when no task started. */
  epoch: number | null;
  tasks: TaskTable;
  events: EventTable;
  edges: EdgeTable;
  /** Things the user should know about the trace that did not stop the import. */
  warnings: string[];
  /** Executables, stage names and ranks of tasks, when the trace gives them (task-details.ts). */
  details?: TaskDetails;
}
