/**
 * Worker thread entry: reads an HPC trace with its importer's own ReadRuns and sends the runs to
 * the thread that writes them (protocol in worker-runs.ts). Pauses while MAX_IN_FLIGHT batches
 * wait to be written: Atomics.wait blocks this thread only, and the readers (SQLite rows, lines of
 * text) simply resume where they were.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadRuns, StoreRun } from './importer.js';
import { readParslRuns } from './parsl/index.js';
import { readPegasusRuns } from './pegasus/index.js';
import { RecordBatchBuilder, transferables } from './common/record-batch.js';
import { readSacctRuns } from './sacct/index.js';
import { serializeError, type ReadJob, type ReadMessage } from './common/worker-runs.js';

const BATCH_SIZE = 8192;
const MAX_IN_FLIGHT = 4;

const READERS: Record<string, ReadRuns> = { sacct: readSacctRuns, parsl: readParslRuns, pegasus: readPegasusRuns };

if (parentPort) {
  const port = parentPort;
  const job = workerData as ReadJob;
  const counter = new Int32Array(job.inFlight);
  let bytes = 0;
  const post = (message: ReadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

  const store: StoreRun = async (header, write) => {
    post({ kind: 'open', header });
    const builder = new RecordBatchBuilder(BATCH_SIZE, (batch) => {
      const waiting = Atomics.add(counter, 0, 1) + 1;
      post({ kind: 'batch', batch, bytes }, transferables(batch));
      if (waiting >= MAX_IN_FLIGHT) {
        for (let now = Atomics.load(counter, 0); now >= MAX_IN_FLIGHT; now = Atomics.load(counter, 0)) Atomics.wait(counter, 0, now, 1000);
      }
    });
    try {
      const content = await write(builder);
      builder.flush();
      post({ kind: 'close', content });
    } catch (error) {
      post({ kind: 'run-error', error: serializeError(error) });
    }
  };

  const read = READERS[job.format];
  if (!read) {
    post({ kind: 'error', error: serializeError(new Error(`no reader for format ${job.format}`)) });
  } else {
    read(job.input, { ...job.options, onBytes: (n) => (bytes = n) }, store).then(
      () => post({ kind: 'done' }),
      (error: unknown) => post({ kind: 'error', error: serializeError(error) }),
    );
  }
}
