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

  /**
   * Places `ranks` ranks of `cores` and `gpus` each, every rank on one node, several ranks on a
   * node when they fit (a multi-node MPI task): nodes are filled in order, first fit, and `nodes`
   * receives the node of each rank. Nothing is taken when the ranks do not all fit.
   */
  placeRanks(ranks: number, cores: number, gpus: number, nodes: Int32Array): boolean {
    if (ranks === 1) {
      const n = this.place(cores, gpus);
      nodes[0] = n;
      return n >= 0;
    }
    let left = ranks;
    for (let n = 0; n < this.nodeCount && left > 0; n++) left -= Math.min(left, this.slotsOn(n, cores, gpus));
    if (left > 0) return false;
    let k = 0;
    for (let n = 0; n < this.nodeCount && k < ranks; n++) {
      const take = Math.min(ranks - k, this.slotsOn(n, cores, gpus));
      if (take > 0) this.change(n, -take * cores, -take * gpus);
      for (let r = 0; r < take; r++) nodes[k++] = n;
    }
    return true;
  }

  /** Whether `ranks` ranks of `cores` and `gpus` each would fit now (nothing is taken). */
  fits(ranks: number, cores: number, gpus: number): boolean {
    if (ranks === 1) return this.firstFit(1, cores - EPSILON, gpus - EPSILON) >= 0;
    let left = ranks;
    for (let n = 0; n < this.nodeCount && left > 0; n++) left -= Math.min(left, this.slotsOn(n, cores, gpus));
    return left <= 0;
  }

  /** Changes node n's free cores and GPUs by these amounts (negative: taken), without any check. */
  adjust(n: number, cores: number, gpus: number): void {
    this.change(n, cores, gpus);
  }

  /** How many ranks of this size node n has room for now. */
  private slotsOn(n: number, cores: number, gpus: number): number {
    const fit = (free: number, need: number) => (need <= 0 ? Infinity : Math.floor(free / need + EPSILON));
    const slots = Math.min(fit(this.freeCores(n), cores), fit(this.freeGpus(n), gpus));
    return slots === Infinity ? Number.MAX_SAFE_INTEGER : Math.max(0, slots);
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
