/**
 * Worker thread entry: reads the profiles of a large session while the main thread reads its
 * description (two readers of one archive, each decompressing it: on two cores that costs less
 * than handing the profiles' bytes from one thread to the other, which copies them).
 *
 * Protocol: `workerData` is the TraceInput; one message back, `{ kind: 'done', ... }` with the
 * events (buffers transferred), or `{ kind: 'error', message }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TraceInput } from '../importer.js';
import { readProfiles, type ProfileWorkerMessage } from './profiles.js';
import { stateBuffers } from './profile-events.js';

if (parentPort) {
  const port = parentPort;
  readProfiles(workerData as TraceInput).then(
    (read) => port.postMessage({ kind: 'done', ...read } satisfies ProfileWorkerMessage, stateBuffers(read.state)),
    (error: Error) => port.postMessage({ kind: 'error', message: error.message } satisfies ProfileWorkerMessage),
  );
}
