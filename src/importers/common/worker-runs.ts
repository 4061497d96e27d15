/**
 * Reading a large HPC trace (sacct output, a Parsl or Pegasus database) in a worker thread while
 * this thread writes what it read into the store: reading the other system's file and writing
 * ours, the two halves of the ingest, then use both cores, as tabular traces do
 * (tabular/stream-table.ts). Small traces are read here: starting a thread would cost more.
 *
 * The worker (read-worker.ts) runs the importer's own `ReadRuns` with a StoreRun that sends each
 * run's header, its tasks in batches (record-batch.ts) and its end over the message port; this
 * side replays them into the StoreRun that ingest gave. The worker pauses while more than a few
 * batches wait (a counter in shared memory), so memory stays bounded when writing is slower.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { TraceError } from '../../errors.js';
import type { RunHeader } from '../../run/parsed-run.js';
import type { ReadRuns, RunContent, StoreRun } from '../importer.js';
import { RecordBatchReader, type RecordBatch } from './record-batch.js';
import type { RunRecorder } from './recorder.js';
import type { ImportOptions, TraceInput } from '../importer.js';
import { compiledWorkerFile, workerScript } from './worker-file.js';

/** The reader thread's young generation (see readRunsInWorker). */
const YOUNG_GENERATION_MB = 192;

/** Inputs at least this big are read in a worker thread. */
const WORKER_MIN_BYTES = 4 * 1024 * 1024;

const WORKER_FILE = compiledWorkerFile(import.meta.url, 'importers/read-worker.js');

/** What the worker is given. */
export interface ReadJob {
  format: string;
  input: TraceInput;
  options: Omit<ImportOptions, 'onBytes'>;
  /** [batches sent and not yet written] */
  inFlight: SharedArrayBuffer;
}

export type SerializedError = { file?: string; reason: string; line?: number; field?: string; trace: boolean };

export type ReadMessage =
  | { kind: 'open'; header: RunHeader }
  | { kind: 'batch'; batch: RecordBatch; bytes: number }
  | { kind: 'close'; content: RunContent }
  | { kind: 'run-error'; error: SerializedError }
  | { kind: 'done' }
  | { kind: 'error'; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof TraceError) return { file: error.file, reason: error.reason, line: error.line, field: error.field, trace: true };
  return { reason: (error as Error)?.message ?? String(error), trace: false };
}

export function deserializeError(error: SerializedError): Error {
  return error.trace ? new TraceError(error.file ?? '', error.reason, error.line, error.field) : new Error(error.reason);
}

/** The input's size, or 0 for a folder or a file that cannot be read (the importer reports it). */
function fileSize(input: TraceInput): number {
  try {
    return input.kind === 'file' ? fs.statSync(input.path).size : 0;
  } catch {
    return 0;
  }
}

/** Runs `read` (the importer named `format`) in a worker thread for a large input, else here. */
export function readRunsInWorker(format: string, read: ReadRuns, input: TraceInput, options: ImportOptions, store: StoreRun): Promise<void> {
  const script = workerScript(WORKER_FILE, () => fileSize(input), WORKER_MIN_BYTES);
  if (script === null) return read(input, options, store);
  const inFlight = new SharedArrayBuffer(4);
  const counter = new Int32Array(inFlight);
  const { onBytes, ...cloneable } = options;
  const job: ReadJob = { format, input, options: cloneable, inFlight };
  return new Promise<void>((resolve, reject) => {
    // A young generation of 192 MB (V8's default is a tenth of that): a reader makes hundreds of
    // MB of short-lived text and arrays (Pegasus' jobstate in ranges: 300 MB at 10^6 jobs), and
    // with fewer scavenges less of what is still alive gets copied and promoted. Pegasus at 10^6
    // jobs (thread profiles, load 3 to 4): the reader's GC 2.3 to 2.8 s at 16 MB or 96, 0.95 at 192.
    const worker = new Worker(script, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    let current: { reader: RecordBatchReader; resolve: (content: RunContent) => void; reject: (error: Error) => void } | null = null;
    let queued: ReadMessage[] = [];
    let stored: Promise<void> = Promise.resolve();
    let settled = false;

    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      current?.reject(error);
      current = null;
      void worker.terminate();
      stored.then(() => reject(error), () => reject(error));
    };
    const written = (): void => {
      Atomics.sub(counter, 0, 1);
      Atomics.notify(counter, 0);
    };
    /** Messages of the run being written; queued until its writer is open. */
    const handle = (message: ReadMessage): void => {
      if (!current) {
        queued.push(message);
        return;
      }
      if (message.kind === 'batch') {
        current.reader.read(message.batch);
        onBytes?.(message.bytes);
        written();
      } else if (message.kind === 'close') {
        current.resolve(message.content);
        current = null;
      } else if (message.kind === 'run-error') {
        current.reject(deserializeError(message.error));
        current = null;
      }
    };
    const open = (header: RunHeader): void => {
      stored = stored.then(() =>
        store(
          header,
          (recorder: RunRecorder) =>
            new Promise<RunContent>((resolveRun, rejectRun) => {
              current = { reader: new RecordBatchReader(recorder), resolve: resolveRun, reject: rejectRun };
              const waiting = queued;
              queued = [];
              try {
                for (const message of waiting) handle(message);
              } catch (error) {
                fail(error as Error); // the writer failed (disk full, ...): stop reading
              }
            }),
        ),
      );
      stored.catch((error: Error) => fail(error));
    };

    worker.on('message', (message: ReadMessage) => {
      if (settled) return;
      try {
        if (message.kind === 'open') open(message.header);
        else if (message.kind === 'done') {
          settled = true;
          stored.then(
            () => {
              void worker.terminate();
              resolve();
            },
            (error: Error) => reject(error),
          );
        } else if (message.kind === 'error') fail(deserializeError(message.error));
        else handle(message);
      } catch (error) {
        fail(error as Error);
      }
    });
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => fail(new Error(`the reader thread stopped (exit code ${code}) before the end of ${input.display}`)));
  });
}
