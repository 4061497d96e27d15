/**
 * The machine a sacct output ran on, when the user does not state it: sacct says which nodes each
 * job held (NodeList) and how many CPUs and GPUs, not what the nodes have. The inference takes, on
 * each node, the most CPUs and GPUs that jobs held at one instant: a lower bound of the node's
 * size (a node that was never full looks smaller than it is), which is why it comes with a warning.
 * A job on several nodes counts an equal share on each.
 */
import type { Capacity } from '../../run/capacity.js';
import { expandHostlist } from './hostlist.js';

/** More (task, node) pairs than this and the inference gives up (a hostile or gigantic output). */
const MAX_PLACEMENTS = 20_000_000;

export interface InferredCapacity {
  capacity: Capacity;
  warning: string;
}

export class NodeUse {
  private readonly listIds = new Map<string, number>();
  private readonly lists: string[] = [];
  private readonly list: number[] = [];
  private readonly cores: number[] = [];
  private readonly gpus: number[] = [];
  private readonly start: number[] = [];
  private readonly end: number[] = [];

  /** A task that started: where, with what, from when to when (end NaN: still running). */
  add(nodeList: string, cores: number, gpus: number, start: number, end: number): void {
    let id = this.listIds.get(nodeList);
    if (id === undefined) {
      id = this.lists.length;
      this.lists.push(nodeList);
      this.listIds.set(nodeList, id);
    }
    this.list.push(id);
    this.cores.push(cores);
    this.gpus.push(gpus);
    this.start.push(start);
    this.end.push(end === end ? end : Infinity);
  }

  /** The inferred machine, or null when no task said where it ran (or the lists are unreadable). */
  infer(): InferredCapacity | null {
    if (this.list.length === 0) return null;
    const hostIds = new Map<string, number>();
    const hosts: string[] = [];
    const expanded: number[][] = [];
    let unreadable = 0;
    for (const text of this.lists) {
      let names: string[];
      try {
        names = expandHostlist(text);
      } catch {
        unreadable++;
        names = [];
      }
      expanded.push(
        names.map((name) => {
          let id = hostIds.get(name);
          if (id === undefined) {
            id = hosts.length;
            hosts.push(name);
            hostIds.set(name, id);
          }
          return id;
        }),
      );
    }
    if (hosts.length === 0) return null;

    // Every (task, node) placement as two changes, swept in time order per node.
    let placements = 0;
    for (const id of this.list) placements += expanded[id].length;
    if (placements > MAX_PLACEMENTS) return null;
    const host = new Int32Array(2 * placements);
    const time = new Float64Array(2 * placements);
    const cores = new Float64Array(2 * placements);
    const gpus = new Float64Array(2 * placements);
    let knownCores = false;
    let knownGpus = false;
    let k = 0;
    for (let t = 0; t < this.list.length; t++) {
      const on = expanded[this.list[t]];
      if (on.length === 0) continue;
      const c = this.cores[t] / on.length;
      const g = this.gpus[t] / on.length;
      if (c === c) knownCores = true;
      if (g === g) knownGpus = true;
      for (const h of on) {
        host[k] = h;
        time[k] = this.start[t];
        cores[k] = c === c ? c : 0;
        gpus[k] = g === g ? g : 0;
        k++;
        host[k] = h;
        time[k] = this.end[t];
        cores[k] = c === c ? -c : 0;
        gpus[k] = g === g ? -g : 0;
        k++;
      }
    }
    const order = Uint32Array.from({ length: k }, (_, i) => i);
    // Per node, by time; at one instant releases before acquisitions (a job starting when another ends).
    order.sort((a, b) => host[a] - host[b] || time[a] - time[b] || cores[a] - cores[b] || gpus[a] - gpus[b]);
    const peakCores = new Float64Array(hosts.length);
    const peakGpus = new Float64Array(hosts.length);
    let current = -1;
    let usedCores = 0;
    let usedGpus = 0;
    for (const i of order) {
      if (host[i] !== current) {
        current = host[i];
        usedCores = 0;
        usedGpus = 0;
      }
      usedCores += cores[i];
      usedGpus += gpus[i];
      if (usedCores > peakCores[current]) peakCores[current] = usedCores;
      if (usedGpus > peakGpus[current]) peakGpus[current] = usedGpus;
    }

    const totalCores = knownCores ? round(peakCores.reduce((a, b) => a + b, 0)) : null;
    const totalGpus = knownGpus ? round(peakGpus.reduce((a, b) => a + b, 0)) : null;
    const capacity: Capacity = {
      nodes: hosts.length,
      coresPerNode: knownCores && peakCores.every((c) => c === peakCores[0]) ? round(peakCores[0]) : null,
      gpusPerNode: knownGpus && peakGpus.every((g) => g === peakGpus[0]) ? round(peakGpus[0]) : null,
      cores: totalCores,
      gpus: totalGpus,
    };
    const shown = hosts.slice(0, 5).join(', ') + (hosts.length > 5 ? `, ... (${hosts.length - 5} more)` : '');
    const held = [totalCores === null ? null : `${totalCores} cores`, totalGpus === null ? null : `${totalGpus} GPUs`].filter((part) => part !== null).join(' and ');
    const warning =
      `capacity inferred from NodeList (sacct does not say what the nodes have): ${hosts.length} node(s) (${shown})` +
      (held ? `, ${held}: the most the jobs held on each node at once, a lower bound` : '') +
      `; pass --cores/--gpus/--nodes for the real machine` +
      (unreadable > 0 ? ` (${unreadable} node list(s) could not be read)` : '');
    return { capacity, warning };
  }
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
