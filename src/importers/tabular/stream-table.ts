/**
 * Reading a tabular trace (CSV or JSON Lines) into the run it is stored as: in a worker thread for
 * large files, so that parsing overlaps writing, and in this thread for small ones, where starting
 * a worker would cost more than it saves. Both ways run the same code (produce.ts).
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { TraceError } from '../../errors.js';
import type { TaskSink } from '../../run/task-table.js';
import type { RunWrite } from '../../store/store.js';
import { capacityWarning, mergeCapacity, runIdFromFile } from '../common/normalize.js';
import type { ImportOptions, OpenRun, StreamResult, TraceInput } from '../importer.js';
import { findCycle } from '../../run/edge-cycle.js';
import type { WorkerMessage } from './parse-worker.js';
import { firstStartOfUnsortedCsv, produceTable, type TableFormat, type TableJob, type TableSummary } from './produce.js';
import { BatchBuilder, BatchReader } from './task-batch.js';
import { compiledWorkerFile, workerScript } from '../common/worker-file.js';

/** Files at least this big are parsed in a worker thread. */
const WORKER_MIN_BYTES = 4 * 1024 * 1024;
const IN_THREAD_BATCH = 8192;

const WORKER_FILE = compiledWorkerFile(import.meta.url, 'importers/tabular/parse-worker.js');

/** Streams a CSV or JSON Lines trace into the run `open` starts (the `stream` of both tabular importers). */
export async function streamTabular(format: TableFormat, input: TraceInput, options: ImportOptions, open: OpenRun): Promise<StreamResult> {
  const capacity = mergeCapacity(undefined, options.capacity);
  const warnings: string[] = [];
  capacityWarning(capacity, warnings);
  const writer = await open({ id: runIdFromFile(input.path), format, source: input.path, workflow: null, capacity, scheduled: true });
  const summary = await streamTable({ format, path: input.path, display: input.display }, writer, options.onBytes);
  await checkDependencies(writer, input.display);
  if (summary.rows === 0) warnings.push('no tasks: the table has a header and no rows (stored as an empty run; report refuses it)');
  return { contentHash: summary.contentHash, warnings, timeFindings: summary.timeFindings };
}

/** The `parents` column's references, once every task is known: each must name a task, without cycles. */
async function checkDependencies(writer: RunWrite, display: string): Promise<void> {
  const resolved = await writer.resolveParents();
  if ('unknown' in resolved) throw new TraceError(display, `unknown parent task ${JSON.stringify(resolved.unknown.uid)}`, resolved.unknown.line, 'parents');
  if (resolved.edges.length === 0) return;
  const cycle = findCycle(resolved.tasks, resolved.edges);
  if (cycle) {
    const uids = await Promise.all(cycle.map((idx) => writer.taskUid(idx)));
    throw new TraceError(display, `the parents form a cycle: ${uids.join(' -> ')}`);
  }
}

export async function streamTable(job: TableJob, sink: TaskSink, onBytes?: (bytes: number) => void): Promise<TableSummary> {
  const reader = new BatchReader(sink);
  const script = workerScript(WORKER_FILE, () => fs.statSync(job.path).size, WORKER_MIN_BYTES);
  if (script === null) {
    return produceTable(job, new BatchBuilder(IN_THREAD_BATCH, (batch) => reader.read(batch)), { onBytes });
  }
  return new Promise<TableSummary>((resolve, reject) => {
    const worker = new Worker(script, { workerData: job });
    // While the worker starts and parses its first batches (messages wait until this returns).
    const first = firstStartOfUnsortedCsv(job);
    if (first !== null) reader.startsFrom(first);
    let settled = false;
    const finish = (error: Error | null, summary?: TableSummary) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (error) reject(error);
      else resolve(summary!);
    };
    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      try {
        if (message.kind === 'batch') {
          reader.read(message.batch);
          onBytes?.(message.bytes);
          worker.postMessage('ack');
        } else if (message.kind === 'done') {
          finish(null, message.summary);
        } else {
          finish(new TraceError(message.file ?? job.display, message.reason, message.line, message.field));
        }
      } catch (error) {
        finish(error as Error); // the writer failed (disk full, ...): stop parsing
      }
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => finish(new Error(`the parser thread stopped (exit code ${code}) before the end of ${job.display}`)));
  });
}
