/**
 * What a report is made of, gathered from the store (gather.ts) before anything is drawn: per run
 * the analyzers' figures, chart series and timeline; per synchronous/asynchronous pair the model's
 * comparison and the measured and predicted timelines. Plain data: the chart and section builders
 * read it and never touch the store.
 */
import type { RunAnalysisJson } from '../analysis/analyze-run.js';
import type { GroupBy } from '../analysis/intervals.js';
import type { RunSeries } from '../analysis/series.js';
import type { Comparison } from '../model/compare.js';
import type { CriticalPathJson } from '../model/run-critical-path.js';
import type { SweepPoint } from '../model/sweep.js';
import type { WhatIfPoint } from '../model/whatif.js';
import type { StoredRun } from '../run/stored-run.js';

/**
 * Runs of more tasks than this get no critical path in a report: it would double the report's time
 * and memory at a million tasks (`asyncscope analyze RUN --critical-path` gives it).
 */
export const CRITICAL_PATH_LIMIT = 100_000;

/** A group's bar in a Gantt view: the analyzer's figures for it. */
export interface TimelineGroup {
  name: string;
  tasks: number;
  /** First start and last end of its tasks, seconds from time zero. */
  startS: number;
  endS: number;
  /** Length of the union of its tasks' intervals. */
  busyS: number;
}

/** One task on its lane: lanes are numbered within the task's group, none overlapping. */
export interface TaskLane {
  group: number;
  lane: number;
  startS: number;
  endS: number;
}

/** A run's (or a predicted schedule's) execution, for Gantt views. */
export interface TimelineData {
  /** In the order they first started. */
  groups: TimelineGroup[];
  /** Lanes used by each group (0 when `lanes` is null). */
  laneCounts: number[];
  /** Every task on its lane; null when there are more than `LANE_LIMIT` tasks (only group bars are drawn). */
  lanes: TaskLane[] | null;
  /** Executed tasks on the timeline. */
  tasks: number;
}

/** Everything the report shows about one run. */
export interface RunReport {
  run: StoredRun;
  /** The stable `analyze --json` object of the run (same grouping as the report). */
  analysis: RunAnalysisJson;
  /** Chart series over the makespan; null when nothing executed for a positive time. */
  series: RunSeries | null;
  timeline: TimelineData | null;
  /** Its critical path and waits (`analyze --critical-path --json`); null when nothing executed. */
  criticalPath: CriticalPathJson | null;
}

/** A measured and a predicted timeline of one execution mode, grouped by task type. */
export interface TimelinePair {
  measured: TimelineData;
  predicted: TimelineData;
}

/** A synchronous and an asynchronous run of one workflow, with the model's comparison. */
export interface PairReport {
  /** The workflow's name (or the two labels). */
  title: string;
  sync: StoredRun;
  async: StoredRun;
  /** The spec given for the asynchronous structure, or null when it was inferred from the run. */
  specPath: string | null;
  comparison: Comparison;
  timelines: { sync: TimelinePair; async: TimelinePair };
  /** The calibrated asynchronous structure on other node counts (model/whatif.ts); empty when its platform has no nodes. */
  whatif: WhatIfPoint[];
  /** Its degree-of-asynchronicity sweep (model/sweep.ts), and where the measured pair lies; null for a task-level structure. */
  sweep: { points: SweepPoint[]; measured: { doa: number | null; improvement: number } } | null;
}

export interface ReportData {
  by: GroupBy;
  runs: RunReport[];
  pairs: PairReport[];
  /** Warnings of the analyses and the model (for stderr), each naming its run. */
  warnings: string[];
}
