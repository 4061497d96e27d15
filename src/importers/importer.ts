/**
 * What every importer implements, and the inputs it is given.
 */
import type { Capacity } from '../run/capacity.js';
import type { ParsedRun, RunHeader } from '../run/parsed-run.js';
import type { RunWrite } from '../store/store.js';
import type { RunRecorder } from './common/recorder.js';
import type { TimeFinding } from './common/time-check.js';

/** One thing to import: a file (plain or compressed) or a folder (a RADICAL-Pilot session). */
export interface TraceInput {
  /** Absolute path. */
  path: string;
  /** The path as the user wrote it (or as a glob or folder walk found it), for messages. */
  display: string;
  kind: 'file' | 'dir';
  /** Named by the user (true) or found by expanding a folder or glob (false): unrecognised found files are skipped, not errors. */
  explicit: boolean;
}

/** The first bytes of an input, decompressed, for format detection by content. */
export type Sample =
  | { kind: 'dir'; display: string; entries: string[] }
  | {
      kind: 'file';
      display: string;
      compression: 'gzip' | 'bzip2' | null;
      /** A tar archive (ustar magic in the first header). */
      tar: boolean;
      /** The content holds bytes text never does (NUL): not a text format. */
      binary: boolean;
      /** The first bytes as text (after decompression), BOM removed; '' for binary content. */
      text: string;
      /** Why the compressed data cannot be decoded, when it cannot (what a refusal says first). */
      corrupt?: string;
      /** The tables of an SQLite database (Parsl's and Pegasus' are); null for any other file. */
      sqliteTables?: string[] | null;
      /** Why a file that begins as an SQLite database gave no tables (compressed, truncated, damaged); else null. */
      sqliteProblem?: string | null;
    };

export interface ImportOptions {
  /** Capacity given on the command line; overrides what the trace says. */
  capacity?: Partial<Capacity>;
  /** Called with the number of input bytes read so far (for progress bars). */
  onBytes?: (bytes: number) => void;
  /** How Chrome traces become tasks (`ingest --chrome-type`, `--chrome-nested`). */
  chrome?: ChromeOptions;
  /** SHA-256 of the input when the pipeline has it already (a streaming importer need not compute it again). */
  contentHash?: string;
  /**
   * `ingest --tz`: the zone of wall-clock times written without one (Nextflow's dates, Snakemake's
   * log); a zone name, `UTC` or an offset (importers/common/time-zone.ts).
   */
  timeZone?: string;
  /** How sacct output becomes tasks (`ingest --sacct-steps`). */
  sacct?: SacctOptions;
  /** Which runs of a Parsl monitoring database (`ingest --parsl-run`). */
  parsl?: ParslOptions;
}

export interface SacctOptions {
  /** Each job step a task of its own (default: steps are phases of their job). */
  steps?: boolean;
}

export interface ParslOptions {
  /** The run_id of the one run to import (default: every run). */
  run?: string;
}

export interface ChromeOptions {
  /** Task type from each slice's `name`, its category (`cat`), or `auto` (see importers/chrome/tasks.ts). */
  type?: 'auto' | 'name' | 'cat';
  /** Take slices nested inside other slices of the same thread as tasks too (default: top-level only). */
  nested?: boolean;
}

export interface Importer {
  /** Name stored as the run's format and accepted by `ingest --format`. */
  format: string;
  /** Folder or file kinds it reads, for help and errors. */
  describe: string;
  /** true when the sample is this importer's format; otherwise why not (or '' when it does not apply at all). */
  detect(sample: Sample): true | string;
  /**
   * The importer hashes what it reads itself, while streaming (a folder whose other files, such as
   * a workflow's outputs, are not the trace): ingest does not hash the whole input first.
   */
  hashesWhileReading?: boolean;
  /**
   * The importer checks its tasks' times itself, naming lines (StreamResult.timeFindings); the
   * others' are checked on their way into the store (common/watched-write.ts).
   */
  checksTimes?: boolean;
  /** Reads the whole trace into memory (traces whose time zero or structure needs all of it first). */
  read?(input: TraceInput, options: ImportOptions): Promise<ParsedRun>;
  /** Or writes it into the run `open` starts while reading it (tables of millions of rows). */
  stream?(input: TraceInput, options: ImportOptions, open: OpenRun): Promise<StreamResult>;
  /** Or writes each of the runs the input holds (a Parsl or Pegasus database), one after another. */
  streamRuns?(input: TraceInput, options: ImportOptions, store: StoreRun): Promise<void>;
}

/** An importer of inputs that hold several runs (or of one run read the same way). */
export type MultiRunImporter = Importer & Required<Pick<Importer, 'streamRuns'>>;

/**
 * Starts the run a streaming importer writes into (one transaction: see RunWrite in store/store.ts).
 * An importer that has read the whole trace before writing (RADICAL-Pilot) may say what it knows:
 * time zero (then it hands over times relative to it, as a ParsedRun holds them; otherwise times are
 * absolute and the writer finds time zero itself), and the trace's hash (a trace already stored is
 * then recognised before anything is written).
 */
export type OpenRun = (header: RunHeader, known?: { epoch?: number | null; contentHash?: string }) => Promise<RunWrite>;

export interface StreamResult {
  /** SHA-256 of the input, computed while reading it. */
  contentHash: string;
  warnings: string[];
  /** Times no real run has, found while reading (common/time-check.ts); ingest warns or, with --strict, refuses. */
  timeFindings?: TimeFinding[];
}

/**
 * Inputs that hold several runs: a Parsl monitoring.db keeps every workflow run of its folder, a
 * Pegasus stampede.db may keep several root workflows. Each becomes a run of its own, stored in
 * its own transaction as it is read; a run that cannot be read is reported with its name and the
 * others are still stored, as with several input files.
 */
export interface RunContent {
  /** Identifies the run's content (common/recorder.ts, HashingRecorder): a re-ingest finds it stored. */
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

/** How an importer reads its runs, the same in this thread and in a reader thread (common/worker-runs.ts). */
export type ReadRuns = (input: TraceInput, options: ImportOptions, store: StoreRun) => Promise<void>;
