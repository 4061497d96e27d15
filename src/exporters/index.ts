/**
 * Exporting a stored run: store -> task columns -> a format's text, written as a stream.
 *   chrome  Chrome Trace Event Format JSON for Perfetto UI (chrome.ts)
 *   csv     the tabular importer's CSV (tabular.ts)
 *   jsonl   the tabular importer's JSON Lines (tabular.ts)
 */
import { InputError } from '../errors.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';
import { chromeTrace, planChrome } from './chrome.js';
import { writeExport } from './output.js';
import { csvTable, jsonlTable } from './tabular.js';

export const EXPORT_FORMATS = ['chrome', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The format a file name suggests: `.json` chrome, `.csv` csv, `.jsonl`/`.ndjson` jsonl (also with `.gz`). */
export function formatFromFileName(file: string): ExportFormat | null {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.json')) return 'chrome';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  return null;
}

/** What an export wrote (the JSON of `export --json`). */
export interface ExportSummary {
  run: string;
  format: ExportFormat;
  out: string;
  /** Tasks of the run. */
  tasks: number;
  /** Tasks written (chrome: those with a start and an end). */
  exported: number;
  /** Tasks left out (chrome only: never started, incomplete, or without start times). */
  skipped: number;
  /** chrome: processes (task types) and lanes (threads) of the trace; null for tables. */
  types: number | null;
  lanes: number | null;
  /** Bytes written: the file's size (compressed, for `.gz`). */
  bytes: number;
  /** Bytes of text before compression (the same as `bytes` when not compressed). */
  uncompressed_bytes: number;
}

export async function exportRun(store: Store, run: StoredRun, format: ExportFormat, out: string): Promise<ExportSummary> {
  if (format === 'chrome' && !run.scheduled) {
    throw new InputError(
      `run ${run.id} is unscheduled: its trace gives runtimes but no start times, so there is no timeline to draw (export it as csv or jsonl)`,
    );
  }
  const tasks = await store.loadTasks(run);
  const summary = { run: run.id, format, out, tasks: tasks.length };
  if (format === 'chrome') {
    const plan = planChrome(tasks);
    const { bytes, uncompressedBytes } = await writeExport(chromeTrace(run, tasks, plan), out);
    return {
      ...summary,
      exported: plan.order.length,
      skipped: plan.skipped,
      types: plan.types.length,
      lanes: plan.lanesPerType.reduce((sum, lanes) => sum + lanes, 0),
      bytes,
      uncompressed_bytes: uncompressedBytes,
    };
  }
  const { bytes, uncompressedBytes } = await writeExport(format === 'csv' ? csvTable(run, tasks) : jsonlTable(run, tasks), out);
  return { ...summary, exported: tasks.length, skipped: 0, types: null, lanes: null, bytes, uncompressed_bytes: uncompressedBytes };
}
