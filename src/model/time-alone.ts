/**
 * How long a stage takes alone on the machine: its tasks (all asking for the same cores and GPUs)
 * fill every slot the platform offers and run in waves, each task starting as soon as a slot frees.
 *
 * slots = sum over nodes of min(floor(cores per node / cores), floor(GPUs per node / GPUs))
 * (pooled: the same with the totals). Example: 192 one-GPU tasks of 340 s on 16 nodes of 6 GPUs:
 * 96 slots, two waves, 680 s.
 *
 * More resources never make this longer: with more slots every task starts no later.
 */
import { MinHeap } from '../util/min-heap.js';
import type { Platform } from './spec.js';

const EPSILON = 1e-9;

/** How many tasks of this size can run at once (Infinity when unbounded). */
export function slotsFor(platform: Platform, cores: number, gpus: number): number {
  const fit = (have: number, need: number) => (need <= 0 ? Infinity : Math.floor(have / need + EPSILON));
  switch (platform.kind) {
    case 'nodes':
      return platform.nodes * Math.min(fit(platform.coresPerNode, cores), fit(platform.gpusPerNode, gpus));
    case 'pool':
      return Math.min(fit(platform.cores, cores), fit(platform.gpus, gpus));
    case 'unbounded':
      return Infinity;
  }
}

/** Time to run tasks of these durations, in order, on `slots` identical slots (list scheduling). */
export function aloneTime(durations: ArrayLike<number>, slots: number): number {
  const n = durations.length;
  if (n === 0) return 0;
  if (slots <= 0) return Infinity;
  let longest = 0;
  if (slots >= n) {
    for (let i = 0; i < n; i++) if (durations[i] > longest) longest = durations[i];
    return longest;
  }
  const freeAt = new Float64Array(slots);
  const heap = new MinHeap((a, b) => freeAt[a] < freeAt[b] || (freeAt[a] === freeAt[b] && a < b), slots);
  for (let s = 0; s < slots; s++) heap.push(s);
  for (let i = 0; i < n; i++) {
    const s = heap.pop();
    freeAt[s] += durations[i];
    if (freeAt[s] > longest) longest = freeAt[s];
    heap.push(s);
  }
  return longest;
}
