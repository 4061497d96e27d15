/**
 * The CPU and GPU slots of the platform a workflow runs on, and which task holds which.
 *
 * Where a task goes is the model's decision, made by the model's own node pool (first fit: the
 * lowest-numbered node with enough free cores and GPUs; a pooled platform is one node), so that a
 * run is placed as `predict` simulates it. On that node the task takes the lowest-numbered free
 * CPU slots and GPU slots, whose indexes the trace records: from them a reader can check that no
 * slot was held by two tasks at once. GPUs are slots like cores; no GPU is needed to run.
 */
import { NodePool } from '../model/node-pool.js';
import type { Platform } from '../model/spec.js';

export interface Placement {
  /** Node index (0 on a pooled platform). */
  node: number;
  cpuSlots: number[];
  gpuSlots: number[];
}

export class SlotPool {
  private readonly pool: NodePool;
  /** Per node, 1 where a CPU (GPU) slot is held. */
  private readonly cpuHeld: Uint8Array[];
  private readonly gpuHeld: Uint8Array[];

  /** `platform` must have whole numbers of cores and GPUs per node (checked by the plan). */
  constructor(platform: Extract<Platform, { kind: 'nodes' | 'pool' }>) {
    this.pool = new NodePool(platform);
    const cores = platform.kind === 'nodes' ? platform.coresPerNode : platform.cores;
    const gpus = platform.kind === 'nodes' ? platform.gpusPerNode : platform.gpus;
    this.cpuHeld = Array.from({ length: this.pool.nodeCount }, () => new Uint8Array(cores));
    this.gpuHeld = Array.from({ length: this.pool.nodeCount }, () => new Uint8Array(gpus));
  }

  /** Takes whole slots for a task, or returns null when no node has them free now. */
  place(cores: number, gpus: number): Placement | null {
    const node = this.pool.place(cores, gpus);
    if (node < 0) return null;
    return { node, cpuSlots: take(this.cpuHeld[node], cores), gpuSlots: take(this.gpuHeld[node], gpus) };
  }

  release(placement: Placement): void {
    const { node, cpuSlots, gpuSlots } = placement;
    for (const slot of cpuSlots) this.cpuHeld[node][slot] = 0;
    for (const slot of gpuSlots) this.gpuHeld[node][slot] = 0;
    this.pool.release(node, cpuSlots.length, gpuSlots.length);
  }
}

/** The lowest `count` free slots of a node, marked held. The node pool said they are free. */
function take(held: Uint8Array, count: number): number[] {
  const slots: number[] = [];
  for (let slot = 0; slot < held.length && slots.length < count; slot++) {
    if (held[slot] === 0) {
      held[slot] = 1;
      slots.push(slot);
    }
  }
  if (slots.length < count) throw new Error(`slot pool: ${count} slots asked, ${slots.length} free (node pool out of step)`);
  return slots;
}
