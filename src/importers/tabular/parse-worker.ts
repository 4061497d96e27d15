/**
 * Worker thread entry: parses a large tabular trace while the main thread writes the previous
 * batches to SQLite, so that parsing and writing, the two halves of an ingest, use both cores.
 *
 * Protocol (messages to the parent): `{ kind: 'batch', batch, bytes }` (buffers transferred),
 * then `{ kind: 'done', summary }` or `{ kind: 'error', ... }`. The parent answers each batch with
 * `'ack'`; the worker pauses while more than MAX_IN_FLIGHT batches wait, so memory stays bounded
 * when the disk is slower than the parser.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TraceError } from '../../errors.js';
import { produceTable, type TableJob } from './produce.js';
import { BatchBuilder, transferables } from './task-batch.js';

export const BATCH_SIZE = 8192;
/** ASYNCSCOPE_PARSE_IN_FLIGHT=1 makes the parser wait on every batch (tests of the paused path). */
const MAX_IN_FLIGHT = Number(process.env.ASYNCSCOPE_PARSE_IN_FLIGHT) || 4;

export type WorkerMessage =
  | { kind: 'batch'; batch: import('./task-batch.js').TaskBatch; bytes: number }
  | { kind: 'done'; summary: import('./produce.js').TableSummary }
  | { kind: 'error'; file?: string; reason: string; line?: number; field?: string };

if (parentPort) {
  const port = parentPort;
  const job = workerData as TableJob;
  let bytes = 0;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    inFlight--;
    if (wake && inFlight < MAX_IN_FLIGHT) {
      const resume = wake;
      wake = null;
      resume();
    }
  });
  const builder = new BatchBuilder(BATCH_SIZE, (batch) => {
    inFlight++;
    port.postMessage({ kind: 'batch', batch, bytes } satisfies WorkerMessage, transferables(batch));
  });
  produceTable(job, builder, {
    onBytes: (n) => (bytes = n),
    backpressure: () => (inFlight >= MAX_IN_FLIGHT ? new Promise<void>((resolve) => (wake = resolve)) : null),
  }).then(
    (summary) => port.postMessage({ kind: 'done', summary } satisfies WorkerMessage),
    (error: Error) => {
      const message: WorkerMessage =
        error instanceof TraceError
          ? { kind: 'error', file: error.file, reason: error.reason, line: error.line, field: error.field }
          : { kind: 'error', reason: error.message };
      port.postMessage(message);
    },
  );
}
