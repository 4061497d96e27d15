/**
 * Worker thread entry: reads a large stampede database's invocations and its earliest EXECUTE
 * (invocations.ts) while the Pegasus reader reads job and job_instance. `workerData` is the
 * TraceInput; one message back, EarlyReads, the columns' buffers transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ForeignDatabase } from '../../store/foreign-sqlite.js';
import type { TraceInput } from '../importer.js';
import { earliestExecute, outcome, readInvocations, type EarlyReads } from './invocations.js';

if (parentPort) {
  const input = workerData as TraceInput;
  const db = outcome(() => ForeignDatabase.open(input.path, input.display));
  let reads: EarlyReads;
  if ('value' in db) {
    reads = { invocations: outcome(() => readInvocations(db.value, true)), firstExecute: outcome(() => earliestExecute(db.value)) };
    db.value.close();
  } else {
    reads = { invocations: db, firstExecute: db };
  }
  const columns = 'value' in reads.invocations ? reads.invocations.value : null;
  parentPort.postMessage(reads, columns ? [columns.instance.buffer, columns.start.buffer, columns.duration.buffer, columns.name.buffer] as ArrayBuffer[] : []);
}
