/**
 * Resources in use over time for the exported counters: CPU cores, GPUs and tasks running, as one
 * step function with a point wherever any of the three changes. The step functions themselves are
 * the analyzers' (src/analysis/series.ts): a task holds its resources over [start, end), so at an
 * instant where one task ends and another starts, the ending one is already gone.
 *
 * Example: tasks [0,10) with 4 cores and [5,15) with 2 cores and 1 GPU give the steps
 * t=0: 4 cores, 0 GPUs, 1 task; t=5: 6, 1, 2; t=10: 2, 1, 1; t=15: 0, 0, 0.
 */
import { stepSeries, type StepSeries } from '../analysis/series.js';
import { timelineOf } from '../analysis/timeline.js';

export interface ResourceSteps {
  /** Instants (same unit as the input), increasing. */
  time: number[];
  cores: number[];
  gpus: number[];
  tasks: number[];
}

/**
 * `start`/`end` are the tasks' times (the tasks in `order` must have both); `cores`/`gpus` are per
 * task, NaN counting as 0 (unknown).
 */
export function resourceSteps(
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  cores: ArrayLike<number>,
  gpus: ArrayLike<number>,
  order: ArrayLike<number>,
): ResourceSteps {
  const n = order.length;
  const spans = { length: n, start: new Float64Array(n), end: new Float64Array(n) };
  const taskCores = new Float64Array(n);
  const taskGpus = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    spans.start[k] = start[i];
    spans.end[k] = end[i];
    taskCores[k] = cores[i];
    taskGpus[k] = gpus[i];
  }
  const timeline = timelineOf(spans);
  return merge(stepSeries(timeline, taskCores), stepSeries(timeline, taskGpus), stepSeries(timeline));
}

/** The three step functions on the union of their instants. */
function merge(cores: StepSeries, gpus: StepSeries, tasks: StepSeries): ResourceSteps {
  const steps: ResourceSteps = { time: [], cores: [], gpus: [], tasks: [] };
  const series = [cores, gpus, tasks];
  const at = [0, 0, 0];
  const value = [0, 0, 0];
  for (;;) {
    let next = Infinity;
    for (let s = 0; s < 3; s++) if (at[s] < series[s].t.length && series[s].t[at[s]] < next) next = series[s].t[at[s]];
    if (next === Infinity) return steps;
    for (let s = 0; s < 3; s++) {
      if (at[s] < series[s].t.length && series[s].t[at[s]] === next) value[s] = series[s].value[at[s]++];
    }
    steps.time.push(next);
    steps.cores.push(clean(value[0]));
    steps.gpus.push(clean(value[1]));
    steps.tasks.push(value[2]);
  }
}

/** Sums of fractional resources drift (0.1 + 0.2 - 0.1 ...): round to a millionth. */
function clean(value: number): number {
  const rounded = Math.round(value * 1e6) / 1e6;
  return rounded === 0 ? 0 : rounded;
}
