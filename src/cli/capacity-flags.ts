/**
 * `--cores N --gpus N --nodes N`: the capacity a user states for a trace that does not carry it
 * (`capacityFlags`), or the machine a workflow is predicted on (`platformFlags`: predict, sweep).
 */
import * as Flags from '@oclif/core/flags';
import type { Capacity } from '../run/capacity.js';

export const capacityFlags = {
  cores: Flags.integer({ description: 'Total CPU cores of the machine the run used', min: 1, helpValue: 'N' }),
  gpus: Flags.integer({ description: 'Total GPUs of the machine the run used', min: 0, helpValue: 'N' }),
  nodes: Flags.integer({ description: 'Number of nodes (cores and GPUs per node = totals / nodes)', min: 1, helpValue: 'N' }),
};

/** The machine to predict on: totals that replace the spec's platform or the run's capacity. */
export const platformFlags = {
  cores: Flags.integer({ description: "Total cores of the machine to predict on (replaces the spec's platform or the run's capacity)", min: 1, helpValue: 'N' }),
  gpus: Flags.integer({ description: 'Total GPUs of the machine to predict on', min: 0, helpValue: 'N' }),
  nodes: Flags.integer({ description: 'Split the totals over this many equal nodes (without it, cores and GPUs are pooled)', min: 1, helpValue: 'N' }),
};

/** The fields the flags set; per-node figures follow when totals and nodes are both given. */
export function capacityFromFlags(flags: { cores?: number; gpus?: number; nodes?: number }): Partial<Capacity> | undefined {
  const capacity: Partial<Capacity> = {};
  if (flags.cores !== undefined) capacity.cores = flags.cores;
  if (flags.gpus !== undefined) capacity.gpus = flags.gpus;
  if (flags.nodes !== undefined) {
    capacity.nodes = flags.nodes;
    if (flags.cores !== undefined) capacity.coresPerNode = flags.cores / flags.nodes;
    if (flags.gpus !== undefined) capacity.gpusPerNode = flags.gpus / flags.nodes;
  }
  return Object.keys(capacity).length > 0 ? capacity : undefined;
}
