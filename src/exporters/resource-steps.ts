/**
 * Resources in use over time, as a step function: after each instant at which a task starts or
 * ends, how many CPU cores and GPUs the running tasks hold and how many tasks run. A task holds
 * its resources over [start, end): at an instant where one task ends and another starts, the
 * ending one is already gone.
 *
 * Example: tasks [0,10) with 4 cores and [5,15) with 2 cores and 1 GPU give the steps
 * t=0: 4 cores, 0 GPUs, 1 task; t=5: 6, 1, 2; t=10: 2, 1, 1; t=15: 0, 0, 0.
 */

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
  // One change per task start and end, as (time, +/- task index); ends first at equal times.
  const n = order.length;
  const changeTime = new Float64Array(2 * n);
  const changeTask = new Int32Array(2 * n); // ~i for an end, i for a start
  for (let k = 0; k < n; k++) {
    const i = order[k];
    changeTime[2 * k] = start[i];
    changeTask[2 * k] = i;
    changeTime[2 * k + 1] = end[i];
    changeTask[2 * k + 1] = ~i;
  }
  const byTime = Array.from({ length: 2 * n }, (_, c) => c);
  byTime.sort((a, b) => changeTime[a] - changeTime[b] || Number(changeTask[a] >= 0) - Number(changeTask[b] >= 0) || a - b);

  const steps: ResourceSteps = { time: [], cores: [], gpus: [], tasks: [] };
  let usedCores = 0;
  let usedGpus = 0;
  let running = 0;
  for (let k = 0; k < byTime.length; k++) {
    const c = byTime[k];
    const task = changeTask[c];
    const i = task >= 0 ? task : ~task;
    const sign = task >= 0 ? 1 : -1;
    usedCores += sign * (Number.isNaN(cores[i]) ? 0 : cores[i]);
    usedGpus += sign * (Number.isNaN(gpus[i]) ? 0 : gpus[i]);
    running += sign;
    const last = k === byTime.length - 1 || changeTime[byTime[k + 1]] !== changeTime[c];
    if (last) {
      steps.time.push(changeTime[c]);
      steps.cores.push(clean(usedCores));
      steps.gpus.push(clean(usedGpus));
      steps.tasks.push(running);
    }
  }
  return steps;
}

/** Sums of fractional resources drift (0.1 + 0.2 - 0.1 ...): round to a millionth. */
function clean(value: number): number {
  const rounded = Math.round(value * 1e6) / 1e6;
  return rounded === 0 ? 0 : rounded;
}
