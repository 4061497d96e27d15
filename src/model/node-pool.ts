/**
 * Free cores and GPUs of the platform's nodes, with first-fit placement: a task goes to the
 * lowest-numbered node that has both enough free cores and enough free GPUs. A pooled platform is
 * one node holding all cores and GPUs; an unbounded one is one node of infinite size.
 *
 * A segment tree keeps, for each range of nodes, the most free cores and the most free GPUs of a
 * node in it, so the first fit is found without scanning thousands of nodes: subtrees whose
 * maxima are too small are skipped.
 */
import type { Platform } from './spec.js';

/** Tolerance for fractional resources (GPUs given as 0.5 per rank add up with rounding errors). */
const EPSILON = 1e-9;

export class NodePool {
  readonly nodeCount: number;
  private readonly leaves: number;
  private readonly maxCores: Float64Array;
  private readonly maxGpus: Float64Array;

  constructor(platform: Platform) {
    let cores: number;
    let gpus: number;
    if (platform.kind === 'nodes') {
      this.nodeCount = platform.nodes;
      cores = platform.coresPerNode;
      gpus = platform.gpusPerNode;
    } else {
      this.nodeCount = 1;
      cores = platform.kind === 'pool' ? platform.cores : Infinity;
      gpus = platform.kind === 'pool' ? platform.gpus : Infinity;
    }
    let leaves = 1;
    while (leaves < this.nodeCount) leaves *= 2;
    this.leaves = leaves;
    this.maxCores = new Float64Array(2 * leaves).fill(-Infinity);
    this.maxGpus = new Float64Array(2 * leaves).fill(-Infinity);
    for (let n = 0; n < this.nodeCount; n++) {
      this.maxCores[leaves + n] = cores;
      this.maxGpus[leaves + n] = gpus;
    }
    for (let i = leaves - 1; i >= 1; i--) this.pull(i);
  }

  /** Free cores of node n. */
  freeCores(n: number): number {
    return this.maxCores[this.leaves + n];
  }

  freeGpus(n: number): number {
    return this.maxGpus[this.leaves + n];
  }

  /** Takes the resources on the first node they fit; returns the node, or -1 when none has room. */
  place(cores: number, gpus: number): number {
    const n = this.firstFit(1, cores - EPSILON, gpus - EPSILON);
    if (n < 0) return -1;
    this.change(n, -cores, -gpus);
    return n;
  }

  release(n: number, cores: number, gpus: number): void {
    this.change(n, cores, gpus);
  }

  private firstFit(i: number, cores: number, gpus: number): number {
    if (this.maxCores[i] < cores || this.maxGpus[i] < gpus) return -1;
    if (i >= this.leaves) return i - this.leaves;
    const left = this.firstFit(2 * i, cores, gpus);
    return left >= 0 ? left : this.firstFit(2 * i + 1, cores, gpus);
  }

  private change(n: number, cores: number, gpus: number): void {
    let i = this.leaves + n;
    this.maxCores[i] += cores;
    this.maxGpus[i] += gpus;
    for (i >>= 1; i >= 1; i >>= 1) this.pull(i);
  }

  private pull(i: number): void {
    this.maxCores[i] = Math.max(this.maxCores[2 * i], this.maxCores[2 * i + 1]);
    this.maxGpus[i] = Math.max(this.maxGpus[2 * i], this.maxGpus[2 * i + 1]);
  }
}
