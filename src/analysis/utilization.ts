/**
 * Resource utilization: the share of the machine's core-seconds (GPU-seconds) that tasks used
 * during the makespan.
 *
 *   cpu = sum over tasks of cores x duration / (capacity cores x makespan)
 *   gpu = sum over tasks of gpus  x duration / (capacity gpus  x makespan)
 *
 *   machine: 8 cores, 2 GPUs
 *   task a  |==========|        a [0, 10)  4 cores, 1 GPU    40 core-s, 10 GPU-s
 *   task b       |=====|        b [5, 10)  8 cores, 0 GPUs   40 core-s
 *           0    5    10        cpu = 80 / (8 x 10) = 1.0    gpu = 10 / (2 x 10) = 0.5
 *
 * Tasks whose cores (GPUs) the trace does not give are left out of the sum and counted, so the
 * figure is then a lower bound; with no task's cores known it is null, as it is when the
 * machine's capacity is unknown (or zero) or the makespan is zero.
 */
import type { TaskIntervals } from './intervals.js';

export interface Utilization {
  cpu: number | null;
  gpu: number | null;
  coreSeconds: number;
  gpuSeconds: number;
  /** Intervals whose cores (GPUs) are unknown, left out of the sums. */
  unknownCores: number;
  unknownGpus: number;
}

/**
 * @example utilizationOf(intervals, { cores: 8, gpus: 2 }, 10) // => { cpu: 1, gpu: 0.5, ... } for the drawing above
 */
export function utilizationOf(
  intervals: Pick<TaskIntervals, 'length' | 'start' | 'end' | 'cores' | 'gpus'>,
  capacity: { cores: number | null; gpus: number | null },
  makespan: number,
): Utilization {
  const cores = resourceSeconds(intervals, intervals.cores);
  const gpus = resourceSeconds(intervals, intervals.gpus);
  return {
    cpu: share(cores, capacity.cores, makespan, intervals.length),
    gpu: share(gpus, capacity.gpus, makespan, intervals.length),
    coreSeconds: cores.sum,
    gpuSeconds: gpus.sum,
    unknownCores: cores.unknown,
    unknownGpus: gpus.unknown,
  };
}

function resourceSeconds(intervals: Pick<TaskIntervals, 'length' | 'start' | 'end'>, amount: Float64Array): { sum: number; unknown: number } {
  let sum = 0;
  let unknown = 0;
  for (let i = 0; i < intervals.length; i++) {
    const a = amount[i];
    if (Number.isNaN(a)) unknown++;
    else sum += a * (intervals.end[i] - intervals.start[i]);
  }
  return { sum, unknown };
}

function share(used: { sum: number; unknown: number }, capacity: number | null, makespan: number, count: number): number | null {
  if (capacity === null || !(capacity > 0) || !(makespan > 0) || count === 0 || used.unknown === count) return null;
  return used.sum / (capacity * makespan);
}
