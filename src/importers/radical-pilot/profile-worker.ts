/**
 * Worker thread entry: reads the profiles of a large session while the main thread reads its
 * description (two readers of one archive, each decompressing it: on two cores that costs less
 * than handing the profiles' bytes from one thread to the other, which copies them), then groups
 * their events by task while the main thread writes the tasks.
 *
 * Protocol: `workerData` is a ProfileWorkerData (the input; for a folder, its profiles with the
 * bytes the main thread read, which arrive as plain Uint8Arrays); one message back, `{ kind: 'done', ... }` with the
 * events (buffers transferred), or `{ kind: 'error', error }` (a TraceError stays one). Then, asked with a GroupJob (the
 * event columns handed back), one message `{ kind: 'grouped', ... }` (buffers transferred) or an
 * error. The main thread ends the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FolderFile } from '../common/hash.js';
import { groupedBuffers, groupEvents } from './event-groups.js';
import { serializeError } from '../common/worker-runs.js';
import { readProfiles, type GroupJob, type ProfileWorkerData, type ProfileWorkerMessage } from './profiles.js';
import { stateBuffers } from './profile-events.js';

if (parentPort) {
  const port = parentPort;
  const { input, files } = workerData as ProfileWorkerData;
  const asBuffers = files?.map((file): FolderFile => {
    const bytes = file.content;
    return bytes ? { ...file, content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) } : file;
  });
  port.on('message', (job: GroupJob) => {
    try {
      const grouped = groupEvents(job.columns, job.taskOfUid, job.taskCount, job.zero);
      port.postMessage({ kind: 'grouped', ...grouped } satisfies ProfileWorkerMessage, groupedBuffers(grouped));
    } catch (error) {
      port.postMessage({ kind: 'error', error: serializeError(error) } satisfies ProfileWorkerMessage);
    }
  });
  readProfiles(input, undefined, asBuffers).then(
    (read) => port.postMessage({ kind: 'done', ...read } satisfies ProfileWorkerMessage, stateBuffers(read.state)),
    (error: unknown) => port.postMessage({ kind: 'error', error: serializeError(error) } satisfies ProfileWorkerMessage),
  );
}
