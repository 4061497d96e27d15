/**
 * What the tabular importers share: the run they describe, and streaming their rows into it.
 */
import path from 'node:path';
import type { Capacity } from '../../run/capacity.js';
import { mergeCapacity } from '../normalize.js';
import type { ImportOptions, OpenRun, StreamResult, TraceInput } from '../types.js';
import type { TableFormat } from './produce.js';
import { streamTable } from './stream-table.js';

/** `tasks.csv.gz` -> `tasks`: a run id from a file name. */
export function runIdFromFile(file: string): string {
  return path.basename(file).replace(/(\.(gz|bz2))?$/i, '').replace(/\.(csv|tsv|txt|jsonl|ndjson|json)$/i, '') || 'run';
}

export async function streamTabular(format: TableFormat, input: TraceInput, options: ImportOptions, open: OpenRun): Promise<StreamResult> {
  const capacity = mergeCapacity(undefined, options.capacity);
  const warnings: string[] = [];
  capacityWarning(capacity, warnings);
  const writer = open({ id: runIdFromFile(input.path), format, source: input.path, workflow: null, capacity, scheduled: true });
  const summary = await streamTable({ format, path: input.path, display: input.display }, writer, options.onBytes);
  return { contentHash: summary.contentHash, warnings };
}

/** Traces that do not say what machine they ran on: say so, since utilization needs it. */
export function capacityWarning(capacity: Capacity, warnings: string[]): void {
  if (capacity.cores === null && capacity.gpus === null) {
    warnings.push('capacity unknown (pass --cores/--gpus/--nodes, or set it later with runs edit): utilization cannot be computed');
  }
}
