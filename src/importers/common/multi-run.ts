/**
 * Inputs that hold several runs: a Parsl monitoring.db keeps every workflow run of its folder, a
 * Pegasus stampede.db may keep several root workflows. Each becomes a run of its own, stored in
 * its own transaction as it is read; a run that cannot be read is reported with its name and the
 * others are still stored, as with several input files.
 */
import type { Capacity } from '../../run/capacity.js';
import type { RunHeader } from '../../run/parsed-run.js';
import type { ImportOptions, TraceInput } from '../importer.js';
import type { RunRecorder } from './recorder.js';

/** What a run's reader returns once it has recorded every task. */
export interface RunContent {
  /** Identifies the run's content (recorder.ts, HashingRecorder): a re-ingest finds it stored. */
  contentHash: string;
  warnings: string[];
  /** The run's capacity when reading it settled it (sacct infers it from where jobs ran); else the header's. */
  capacity?: Capacity;
}

/**
 * Stores one run: opens it with `header`, lets `write` record it, commits it with what `write`
 * returns. A run `write` fails to read is rolled back and reported, and the promise still resolves,
 * so that the other runs of the input are read. Resolves once the run is stored, or reported.
 */
export type StoreRun = (header: RunHeader, write: (recorder: RunRecorder) => RunContent | Promise<RunContent>) => Promise<void>;

export interface MultiRunImporter {
  streamRuns(input: TraceInput, options: ImportOptions, store: StoreRun): Promise<void>;
}

/** How an importer reads its runs, the same in this thread and in a reader thread (worker-runs.ts). */
export type ReadRuns = (input: TraceInput, options: ImportOptions, store: StoreRun) => Promise<void>;
