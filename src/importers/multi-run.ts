/**
 * Inputs that hold several runs: a Parsl monitoring.db keeps every workflow run of its folder, a
 * Pegasus stampede.db may keep several root workflows. Each becomes a run of its own, stored in
 * its own transaction as it is read; a run that cannot be read is reported with its name and the
 * others are still stored, as with several input files.
 */
import type { RunHeader } from '../store/run-writer.js';
import type { ImportOptions, TraceInput } from './types.js';
import type { RunRecorder } from './recorder.js';

/** What a run's reader returns once it has recorded every task. */
export interface RunContent {
  /** Identifies the run's content (recorder.ts, HashingRecorder): a re-ingest finds it stored. */
  contentHash: string;
  warnings: string[];
}

/**
 * Stores one run: opens it with `header`, lets `write` record it, commits. The header's capacity is
 * read again at commit, so `write` may settle it. Resolves once the run is stored, or reported.
 */
export type StoreRun = (header: RunHeader, write: (recorder: RunRecorder) => RunContent | Promise<RunContent>) => Promise<void>;

export interface MultiRunImporter {
  streamRuns(input: TraceInput, options: ImportOptions, store: StoreRun): Promise<void>;
}
