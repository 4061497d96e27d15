/**
 * The platform of a stored run: from the capacity its trace states, or from what the user gives
 * with --cores/--gpus/--nodes.
 */
import type { Capacity } from '../run/capacity.js';
import { platformTotals, type Platform } from './spec.js';

export interface PlatformOverride {
  cores?: number;
  gpus?: number;
  nodes?: number;
}

/**
 * Nodes when the capacity gives the node count and the cores per node (or the total), pooled
 * cores and GPUs when it gives totals only, null when it does not give the cores. Unknown GPUs
 * count as none.
 */
export function platformFromCapacity(capacity: Capacity): Platform | null {
  const { nodes, cores, gpus } = capacity;
  const coresPerNode = capacity.coresPerNode ?? (nodes !== null && cores !== null ? cores / nodes : null);
  const gpusPerNode = capacity.gpusPerNode ?? (nodes !== null && gpus !== null ? gpus / nodes : 0);
  if (nodes !== null && nodes > 0 && coresPerNode !== null && coresPerNode > 0) {
    return { kind: 'nodes', nodes, coresPerNode, gpusPerNode };
  }
  if (cores !== null && cores > 0) return { kind: 'pool', cores, gpus: gpus ?? 0 };
  return null;
}

/**
 * A platform changed by --cores/--gpus/--nodes: totals the user gives replace the base's, the
 * others stay; with --nodes the totals are split over that many nodes, without it they are pooled.
 * Returns the base unchanged when no flag is given, and null when the cores stay unknown.
 */
export function overridePlatform(base: Platform | null, override: PlatformOverride): Platform | null {
  if (override.cores === undefined && override.gpus === undefined && override.nodes === undefined) return base;
  const totals = base && base.kind !== 'unbounded' ? platformTotals(base) : { cores: undefined, gpus: undefined };
  const cores = override.cores ?? totals.cores;
  const gpus = override.gpus ?? totals.gpus ?? 0;
  if (cores === undefined) return null;
  if (override.nodes !== undefined) return { kind: 'nodes', nodes: override.nodes, coresPerNode: cores / override.nodes, gpusPerNode: gpus / override.nodes };
  return { kind: 'pool', cores, gpus };
}
