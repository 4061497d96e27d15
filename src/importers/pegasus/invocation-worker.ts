/**
 * Worker thread entry: reads a large stampede database's earliest EXECUTE and invocations
 * (invocations.ts) while the Pegasus reader reads job and job_instance, then its jobstate
 * (state-stream.ts) while the reader merges what came before. `workerData` is an EarlyJob; one
 * message back on the worker's own port, EarlyReads (the columns' buffers transferred), then the
 * jobstate chunks on the job's `states` port.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ForeignDatabase } from '../../store/foreign-sqlite.js';
import { earliestExecute, outcome, readInvocations, type EarlyJob, type EarlyReads } from './invocations.js';
import { sendStateChunks, sentChunk } from './state-stream.js';

if (parentPort) {
  const { input, states, inFlight } = workerData as EarlyJob;
  const db = outcome(() => ForeignDatabase.open(input.path, input.display));
  let reads: EarlyReads;
  if ('value' in db) {
    const firstExecute = outcome(() => earliestExecute(db.value));
    reads = { firstExecute, invocations: outcome(() => readInvocations(db.value, true)) };
  } else {
    reads = { invocations: db, firstExecute: db };
  }
  const columns = 'value' in reads.invocations ? reads.invocations.value : null;
  parentPort.postMessage(reads, columns ? [columns.instance.buffer, columns.start.buffer, columns.duration.buffer, columns.name.buffer] as ArrayBuffer[] : []);
  if ('value' in db) {
    const counter = new Int32Array(inFlight);
    sendStateChunks(db.value, (message, transfer) => {
      states.postMessage(message, transfer);
      sentChunk(counter);
    });
    db.value.close();
  } else {
    states.postMessage({ kind: 'error', error: db.error });
    sentChunk(new Int32Array(inFlight));
  }
  states.close();
}
