/**
 * Helpers shared by the tabular importers.
 */
import path from 'node:path';
import type { Capacity } from '../../store/records.js';

/** `tasks.csv.gz` -> `tasks`: a run id from a file name. */
export function runIdFromFile(file: string): string {
  return path.basename(file).replace(/(\.(gz|bz2))?$/i, '').replace(/\.(csv|tsv|txt|jsonl|ndjson|json)$/i, '') || 'run';
}

/** Tables do not say what machine they ran on: say so, since utilization needs it. */
export function capacityWarning(capacity: Capacity, warnings: string[]): void {
  if (capacity.cores === null && capacity.gpus === null) {
    warnings.push('capacity unknown (pass --cores/--gpus/--nodes, or set it later with runs edit): utilization cannot be computed');
  }
}
