/**
 * Everything `asyncscope analyze` measures about one run, composed from the metric modules, and
 * the stable JSON it prints (documented in docs/readme/analysis.md).
 *
 * The run's tasks are selected and sorted into a timeline once (`prepareRun`); every metric is
 * then one linear pass over it. A run that cannot be measured (no start times, no executed
 * task, zero makespan, unknown capacity) gets null for what cannot be computed and a `note`
 * saying why: never NaN, never a zero standing in for a measurement.
 */
import type { Capacity } from '../run/capacity.js';
import type { RunMode } from '../run/stored-run.js';
import type { TaskColumns } from '../run/task-columns.js';
import { asynchronicityOf } from './asynchronicity.js';
import { concurrencyOf } from './concurrency.js';
import type { DurationStats } from './duration-stats.js';
import { groupBusy, groupStatsOf, type PerTask } from './groups.js';
import { selectIntervals, spanOf, type GroupBy, type Selection, type SelectOptions, type TaskIntervals } from './intervals.js';
import { overlapsOf } from './overlap.js';
import { runSeriesOf, type RunSeries } from './series.js';
import { timelineOf, type Timeline } from './timeline.js';
import { unionOf } from './union.js';
import { utilizationOf } from './utilization.js';

/** What an analysis needs to know about the run besides its tasks. */
export interface RunInfo {
  id: string;
  label: string;
  mode: RunMode;
  capacity: Pick<Capacity, 'cores' | 'gpus'>;
  /** False when the trace has runtimes but no start times: there is no timeline to measure. */
  scheduled: boolean;
}

export interface AnalyzeOptions extends SelectOptions {
  by?: GroupBy;
}

/** A run's intervals and timeline, built once and shared by the metrics and the chart series. */
export interface PreparedRun {
  by: GroupBy;
  selection: Selection;
  intervals: TaskIntervals;
  timeline: Timeline;
  /** First start and last end of the selected intervals; null when none was selected. */
  span: { start: number; end: number } | null;
}

/** Duration statistics of a group, as in `analyze --json` (see duration-stats.ts). */
export type DurationJson = DurationStats;

export interface GroupJson {
  name: string;
  tasks: number;
  start_s: number;
  end_s: number;
  busy_s: number;
  cores: PerTask;
  gpus: PerTask;
  duration_s: DurationJson;
}

export interface OverlapJson {
  a: string;
  b: string;
  seconds: number;
  fraction: number;
}

/** One run in the output of `analyze --json`. Times in seconds, fractions in [0, 1]. */
export interface RunAnalysisJson {
  id: string;
  label: string;
  mode: RunMode;
  by: GroupBy;
  tasks: number;
  executed: number;
  incomplete: number;
  makespan_s: number | null;
  busy_s: number | null;
  idle_s: number | null;
  utilization: { cpu: number | null; gpu: number | null };
  concurrency: { max: number | null; mean: number | null };
  asynchronicity: { async_fraction: number | null; doa: number | null };
  groups: GroupJson[];
  overlap: OverlapJson[];
  /** Why some figures are null (or what limits them); null when every figure was measured. */
  note: string | null;
}

export interface RunAnalysis {
  json: RunAnalysisJson;
  /** Idle stretches within the makespan (shown in the human table). */
  gaps: number | null;
  /** Tasks that never started (shown in the human table); 0 for a run without start times. */
  neverStarted: number;
  /** False when the trace has runtimes but no start times. */
  scheduled: boolean;
  /** Things to tell the user on stderr: tasks left out, lower bounds. */
  warnings: string[];
}

/** Selects the run's intervals (grouped `by`, incomplete tasks per the options) and sorts them into a timeline. */
export function prepareRun(tasks: TaskColumns, options: AnalyzeOptions = {}): PreparedRun {
  const by = options.by ?? 'type';
  const selection = selectIntervals(tasks, { ...options, by });
  const intervals = selection.intervals;
  return { by, selection, intervals, timeline: timelineOf(intervals), span: spanOf(intervals) };
}

/**
 * All metrics of one run.
 *
 * @example analyzeRun(run, loadTaskColumns(db, run, ['type']), { by: 'type' }).json.asynchronicity // => { async_fraction: 0.5275, doa: 1.5275 }
 */
export function analyzeRun(run: RunInfo, tasks: TaskColumns, options: AnalyzeOptions = {}): RunAnalysis {
  return analyzePrepared(run, prepareRun(tasks, options));
}

export function analyzePrepared(run: RunInfo, prepared: PreparedRun): RunAnalysis {
  const { selection, intervals, timeline, span, by } = prepared;
  const notes: string[] = [];
  const warnings = selectionWarnings(selection, by);
  const json: RunAnalysisJson = {
    id: run.id,
    label: run.label,
    mode: run.mode,
    by,
    tasks: selection.tasks,
    executed: selection.executed,
    incomplete: selection.incomplete,
    makespan_s: null,
    busy_s: null,
    idle_s: null,
    utilization: { cpu: null, gpu: null },
    concurrency: { max: null, mean: null },
    asynchronicity: { async_fraction: null, doa: null },
    groups: [],
    overlap: [],
    note: null,
  };

  if (!run.scheduled) {
    json.note =
      'the trace gives task runtimes but no start times (e.g. a WfCommons instance): there is no timeline to measure, so no figure is computed';
    return { json, gaps: null, neverStarted: 0, scheduled: false, warnings: [] };
  }
  if (span === null) {
    notes.push(nothingExecuted(selection));
    json.note = notes.join('; ');
    return { json, gaps: null, neverStarted: selection.neverStarted, scheduled: true, warnings };
  }

  const makespan = span.end - span.start;
  const union = unionOf(timeline, span);
  const concurrency = concurrencyOf(intervals, timeline, makespan);
  const utilization = utilizationOf(intervals, run.capacity, makespan);
  const asynchronicity = asynchronicityOf(intervals, timeline);
  const busy = groupBusy(intervals, timeline);

  json.makespan_s = makespan;
  json.busy_s = union.busy;
  json.idle_s = union.idle;
  json.utilization = { cpu: utilization.cpu, gpu: utilization.gpu };
  json.concurrency = { max: concurrency.max, mean: concurrency.mean };
  json.asynchronicity = { async_fraction: asynchronicity.asyncFraction, doa: asynchronicity.doa };
  json.groups = groupStatsOf(intervals, timeline, busy).map((g) => ({
    name: g.name,
    tasks: g.tasks,
    start_s: g.start,
    end_s: g.end,
    busy_s: g.busy,
    cores: g.cores,
    gpus: g.gpus,
    duration_s: { ...g.duration },
  }));
  json.overlap = overlapsOf(intervals, timeline, busy);

  if (!(makespan > 0)) {
    notes.push('the makespan is zero (every executed task has zero length): utilization, mean concurrency and asynchronicity are undefined');
  } else {
    notes.push(...utilizationNotes(run.capacity, utilization.unknownCores, utilization.unknownGpus, intervals.length));
  }
  for (const [name, value] of [['cpu', utilization.cpu], ['gpu', utilization.gpu]] as const) {
    if (value !== null && value > 1 + 1e-9) {
      warnings.push(
        `${name} utilization is ${value.toFixed(3)}, above 1: tasks held more ${name === 'cpu' ? 'cores' : 'GPUs'} than the stated capacity; check it (runs show) and correct it (runs edit)`,
      );
    }
  }
  if (utilization.unknownCores > 0 && utilization.cpu !== null) {
    warnings.push(`cpu utilization leaves out ${utilization.unknownCores} task(s) whose cores are unknown: it is a lower bound`);
  }
  if (utilization.unknownGpus > 0 && utilization.gpu !== null) {
    warnings.push(`gpu utilization leaves out ${utilization.unknownGpus} task(s) whose GPUs are unknown: it is a lower bound`);
  }
  json.note = notes.length > 0 ? notes.join('; ') : null;
  return { json, gaps: union.gaps, neverStarted: selection.neverStarted, scheduled: true, warnings };
}

/**
 * The chart series of a prepared run over its makespan, in `bins` bins; null when nothing
 * executed for a positive time.
 */
export function seriesOfRun(prepared: PreparedRun, bins: number): RunSeries | null {
  const { span } = prepared;
  if (span === null || !(span.end > span.start)) return null;
  return runSeriesOf(prepared.intervals, prepared.timeline, bins, span.start, span.end);
}

function nothingExecuted(selection: Selection): string {
  if (selection.tasks === 0) return 'the run has no tasks';
  const parts = [`no task has both a start and an end time (${selection.tasks} task(s)`];
  if (selection.neverStarted > 0) parts.push(`${selection.neverStarted} never started`);
  if (selection.incomplete > 0) parts.push(`${selection.incomplete} incomplete: --include-incomplete clips them at the run's last event`);
  if (selection.invalid > 0) parts.push(`${selection.invalid} with unusable times`);
  return `${parts.join(', ')})`;
}

function utilizationNotes(capacity: Pick<Capacity, 'cores' | 'gpus'>, unknownCores: number, unknownGpus: number, count: number): string[] {
  const notes: string[] = [];
  const missing: string[] = [];
  if (capacity.cores === null) missing.push('cores');
  if (capacity.gpus === null) missing.push('GPUs');
  if (missing.length > 0) {
    notes.push(`the machine's ${missing.join(' and ')} are unknown: no ${missing.length === 2 ? 'utilization' : missing[0] === 'cores' ? 'cpu utilization' : 'gpu utilization'} (state them with asyncscope runs edit RUN --cores N --gpus N)`);
  }
  if (capacity.cores === 0) notes.push('the machine has no cores: no cpu utilization');
  if (capacity.gpus === 0) notes.push('the machine has no GPUs: no gpu utilization');
  if (capacity.cores !== null && capacity.cores > 0 && unknownCores === count) notes.push('no task says how many cores it held: no cpu utilization');
  if (capacity.gpus !== null && capacity.gpus > 0 && unknownGpus === count) notes.push('no task says how many GPUs it held: no gpu utilization');
  return notes;
}

function selectionWarnings(selection: Selection, by: GroupBy): string[] {
  const warnings: string[] = [];
  if (selection.incomplete > 0) {
    warnings.push(
      selection.clipped > 0
        ? `${selection.clipped} incomplete task(s) (started, never ended) included, clipped at the run's last event time`
        : `${selection.incomplete} incomplete task(s) (started, never ended) excluded; --include-incomplete clips them at the run's last event time`,
    );
  }
  if (selection.invalid > 0) warnings.push(`${selection.invalid} task(s) with unusable times (infinite, or ending before they start) excluded`);
  if (selection.ungrouped > 0) warnings.push(`${selection.ungrouped} task(s) have no ${by}: grouped as "(no ${by})"`);
  return warnings;
}
