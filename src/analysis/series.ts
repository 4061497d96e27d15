/**
 * Time series for charts: tasks running, CPU cores in use and GPUs in use over time, for the
 * whole run and per group, as exact step functions and resampled to a fixed number of bins.
 *
 * A step function is `{ t, value }`: `value[i]` holds from `t[i]` until `t[i + 1]`, the last
 * value (always 0) from the last `t` on, and 0 before `t[0]`. It changes only where a task
 * starts or ends, so it is exact and has at most two points per task.
 *
 *   task a  |========|          a [0, 8)   4 cores
 *   task b     |===|            b [2, 5)   8 cores
 *   cores   4  12  4  0         steps: t = [0, 2, 5, 8], value = [4, 12, 4, 0]
 *           0  2   5  8
 *
 * Resampled to bins of equal width over [from, to): `mean` is the time-weighted mean of the step
 * function over each bin, `max` its largest value there, so a short peak stays visible.
 * With two bins of 4 s over [0, 8): mean = [(4x2 + 12x2)/4, (12x1 + 4x3)/4] = [8, 6], max = [12, 12].
 */
import { maxConcurrency, totalDuration } from './concurrency.js';
import { endpointJson, type Endpoint } from './event-spans.js';
import { spanOf, type Spans, type TaskIntervals } from './intervals.js';
import { timelineOf, type Timeline } from './timeline.js';

/** An exact step function: `value[i]` holds on [t[i], t[i+1]); 0 before t[0] and after the last t. */
export interface StepSeries {
  t: Float64Array;
  value: Float64Array;
}

/** A step function resampled to `mean.length` bins of `binWidth` seconds starting at `binStart`. */
export interface BinnedSeries {
  binStart: number;
  binWidth: number;
  /** Time-weighted mean of the step function over each bin. */
  mean: Float64Array;
  /** Largest value the step function takes in each bin (over a positive length of it). */
  max: Float64Array;
}

/** A quantity over time, exact and resampled. */
export interface Series {
  steps: StepSeries;
  bins: BinnedSeries;
}

/** A group's share of a quantity over time (the layers of a stacked chart). */
export interface GroupSeries extends Series {
  group: string;
}

/** What a run's charts draw. */
export interface RunSeries {
  /** The time axis the bins cover: first start to last end (seconds from time zero). */
  from: number;
  to: number;
  /** Tasks running. */
  concurrency: Series;
  /** CPU cores and GPUs in use, in total and per group (tasks with unknown amounts add nothing). */
  cores: Series & { byGroup: GroupSeries[] };
  gpus: Series & { byGroup: GroupSeries[] };
}

/**
 * The step function of the sum of `weight` (per interval; default 1, i.e. the number of tasks
 * running) over the intervals open at each time. NaN weights count as 0.
 *
 * @example stepSeries(timelineOf(intervals), intervals.cores) // => { t: [0, 2, 5, 8], value: [4, 12, 4, 0] } above
 */
export function stepSeries(timeline: Timeline, weight?: ArrayLike<number>): StepSeries {
  const builder = new StepBuilder(timeline.length);
  let weighted = 0; // open intervals with a non-zero weight
  let sum = 0;
  for (let p = 0; p < timeline.length; p++) {
    const w = weight ? finiteOrZero(weight[timeline.interval[p]]) : 1;
    if (w !== 0) {
      if (timeline.isStart[p] === 1) {
        weighted++;
        sum += w;
      } else {
        weighted--;
        sum -= w;
      }
      if (weighted === 0) sum = 0; // no drift from adding and removing fractions
    }
    builder.set(timeline.time[p], sum);
  }
  return builder.done();
}

/**
 * One step function per group (indexed by group) of the sum of `weight` over that group's open
 * intervals, built in a single pass.
 */
export function groupStepSeries(intervals: Pick<TaskIntervals, 'groups'>, timeline: Timeline, weight?: ArrayLike<number>): StepSeries[] {
  const g = intervals.groups.length;
  const points = new Int32Array(g);
  for (let p = 0; p < timeline.length; p++) points[timeline.group[p]]++;
  const builders = Array.from(points, (count) => new StepBuilder(count));
  const weighted = new Int32Array(g);
  const sum = new Float64Array(g);
  for (let p = 0; p < timeline.length; p++) {
    const c = timeline.group[p];
    const w = weight ? finiteOrZero(weight[timeline.interval[p]]) : 1;
    if (w !== 0) {
      if (timeline.isStart[p] === 1) {
        weighted[c]++;
        sum[c] += w;
      } else {
        weighted[c]--;
        sum[c] -= w;
      }
      if (weighted[c] === 0) sum[c] = 0;
    }
    builders[c].set(timeline.time[p], sum[c]);
  }
  return builders.map((builder) => builder.done());
}

/**
 * Collects the points of a step function in time order: a point at the same time as the last
 * one replaces its value (every change at one instant counts once), and a value equal to the
 * previous one adds no point.
 */
class StepBuilder {
  private readonly t: Float64Array;
  private readonly value: Float64Array;
  private n = 0;

  constructor(capacity: number) {
    this.t = new Float64Array(capacity);
    this.value = new Float64Array(capacity);
  }

  set(time: number, v: number): void {
    let n = this.n;
    if (n > 0 && this.t[n - 1] === time) n--; // replace the value at this instant
    if (n > 0 && this.value[n - 1] === v) {
      this.n = n; // no change: no point
      return;
    }
    this.t[n] = time;
    this.value[n] = v;
    this.n = n + 1;
  }

  done(): StepSeries {
    return { t: this.t.slice(0, this.n), value: this.value.slice(0, this.n) };
  }
}

function finiteOrZero(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

/**
 * A step function resampled to `bins` equal bins over [from, to). O(points + bins).
 *
 * @example resample({ t: [0, 2, 5, 8], value: [4, 12, 4, 0] }, 2, 0, 8) // => { mean: [8, 6], max: [12, 12], binWidth: 4 } above
 */
export function resample(series: StepSeries, bins: number, from: number, to: number): BinnedSeries {
  const n = to > from && bins >= 1 ? Math.floor(bins) : 0;
  const width = n > 0 ? (to - from) / n : 0;
  const integral = new Float64Array(n);
  const max = new Float64Array(n);
  const binEnd = (b: number) => (b === n - 1 ? to : from + (b + 1) * width);
  let bin = 0;
  for (let i = 0; i < series.t.length && n > 0; i++) {
    const v = series.value[i];
    let a = Math.max(series.t[i], from);
    const b = Math.min(i + 1 < series.t.length ? series.t[i + 1] : to, to);
    if (v === 0 || !(b > a)) continue;
    while (bin < n - 1 && binEnd(bin) <= a) bin++;
    while (a < b) {
      const e = Math.min(b, binEnd(bin));
      if (e > a) {
        integral[bin] += v * (e - a);
        if (v > max[bin]) max[bin] = v;
      }
      a = e;
      if (a < b) {
        if (bin === n - 1) break;
        bin++;
      }
    }
  }
  const mean = new Float64Array(n);
  for (let b = 0; b < n; b++) mean[b] = integral[b] / (binEnd(b) - (from + b * width));
  return { binStart: from, binWidth: width, mean, max };
}

/**
 * The chart series of a run: concurrency, cores and GPUs in use, each exact and in `bins` bins
 * over [from, to) (normally the makespan).
 */
export function runSeriesOf(intervals: TaskIntervals, timeline: Timeline, bins: number, from: number, to: number): RunSeries {
  const series = (steps: StepSeries): Series => ({ steps, bins: resample(steps, bins, from, to) });
  const byGroup = (weight: Float64Array): GroupSeries[] =>
    groupStepSeries(intervals, timeline, weight).map((steps, c) => ({ group: intervals.groups[c], ...series(steps) }));
  return {
    from,
    to,
    concurrency: series(stepSeries(timeline)),
    cores: { ...series(stepSeries(timeline, intervals.cores)), byGroup: byGroup(intervals.cores) },
    gpus: { ...series(stepSeries(timeline, intervals.gpus)), byGroup: byGroup(intervals.gpus) },
  };
}

/** A step function as plain arrays, for JSON. */
export function stepsJson(steps: StepSeries): { t: number[]; value: number[] } {
  return { t: Array.from(steps.t), value: Array.from(steps.value) };
}

/** Bins as plain data, for JSON. */
export function binsJson(bins: BinnedSeries): { bin_start: number; bin_width: number; mean: number[]; max: number[] } {
  return { bin_start: bins.binStart, bin_width: bins.binWidth, mean: Array.from(bins.mean), max: Array.from(bins.max) };
}

/** How many intervals are open over time (RADICAL-Analytics' `concurrency()`), with its max and mean. */
export interface ConcurrencySeries {
  /** First start and last end of the intervals. */
  from: number;
  to: number;
  max: number;
  /** Time-weighted mean over [from, to); null when that is empty. */
  mean: number | null;
  steps: StepSeries;
  bins: BinnedSeries;
}

/**
 * The concurrency of some intervals over time, exact and in `bins` bins over [first start, last end);
 * null when there are no intervals.
 *
 * @example concurrencySeriesOf(spans, 2) // => { from: 0, to: 8, max: 2, steps: { t: [0, 2, 5, 8], value: [1, 2, 1, 0] }, ... }
 */
export function concurrencySeriesOf(spans: Spans, bins: number): ConcurrencySeries | null {
  const span = spanOf(spans);
  if (span === null) return null;
  const timeline = timelineOf(spans);
  const steps = stepSeries(timeline);
  const length = span.end - span.start;
  return {
    from: span.start,
    to: span.end,
    max: maxConcurrency(timeline),
    mean: length > 0 ? totalDuration(spans) / length : null,
    steps,
    bins: resample(steps, bins, span.start, span.end),
  };
}

/** The stable JSON of `concurrency --json` (documented in the README). */
export interface ConcurrencyJson {
  id: string;
  label: string;
  /** The two ends of each task's span; null for the stored execution intervals. */
  from: { event: string } | { state: string } | null;
  to: { event: string } | { state: string } | null;
  tasks: number;
  start_s: number | null;
  end_s: number | null;
  max: number | null;
  mean: number | null;
  steps: { t: number[]; value: number[] } | null;
  bins: ReturnType<typeof binsJson> | null;
  /** Why figures are null, else null. */
  note: string | null;
}

export function concurrencyJson(
  run: { id: string; label: string },
  ends: { from: Endpoint; to: Endpoint } | null,
  tasks: number,
  series: ConcurrencySeries | null,
  note: string | null,
): ConcurrencyJson {
  return {
    id: run.id,
    label: run.label,
    from: ends ? endpointJson(ends.from) : null,
    to: ends ? endpointJson(ends.to) : null,
    tasks,
    start_s: series?.from ?? null,
    end_s: series?.to ?? null,
    max: series?.max ?? null,
    mean: series?.mean ?? null,
    steps: series ? stepsJson(series.steps) : null,
    bins: series ? binsJson(series.bins) : null,
    note,
  };
}
