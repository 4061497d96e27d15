/**
 * Pegasus importer (`--format pegasus`): a workflow's stampede database (`*.stampede.db`, SQLite,
 * what pegasus-monitord writes and pegasus-statistics reads), read-only. Each root workflow in it
 * becomes one run, with the jobs of its sub-workflows (run.ts); docs/formats.md has the mapping.
 */
import fs from 'node:fs';
import { TraceError } from '../../errors.js';
import { ForeignDatabase } from '../../store/foreign-sqlite.js';
import type { Importer, ImportOptions, MultiRunImporter, Sample, StoreRun, TraceInput } from '../importer.js';
import { readRunsInWorker } from '../common/worker-runs.js';
import { HashingRecorder } from '../common/recorder.js';
import { capacityWarning, mergeCapacity } from '../common/normalize.js';
import { readPegasusRun, rootWorkflows } from './run.js';
import { looksLikeStampede, stampedeVersion } from './schema.js';
import { Stampede } from './stampede.js';
import { earliestExecute, readEarlyInWorker, readInvocations, valueOf } from './invocations.js';

export const pegasusImporter: Importer & MultiRunImporter = {
  format: 'pegasus',
  describe: 'a Pegasus stampede database (*.stampede.db, SQLite; each root workflow one run, sub-workflows included)',
  detect: detectPegasus,
  streamRuns: (input, options, store) => readRunsInWorker('pegasus', readPegasusRuns, input, options, store),
};

export function detectPegasus(sample: Sample): true | string {
  if (sample.kind !== 'file' || !sample.sqliteTables) return '';
  const tables = sample.sqliteTables;
  return looksLikeStampede(tables) ? true : '';
}

export async function readPegasusRuns(input: TraceInput, options: ImportOptions, store: StoreRun): Promise<void> {
  const db = ForeignDatabase.open(input.path, input.display);
  let early: ReturnType<typeof readEarlyInWorker> = null;
  try {
    const version = stampedeVersion(db);
    // A large database's earliest EXECUTE and invocations are read beside job and job_instance, then its jobstate.
    early = readEarlyInWorker(input, () => fs.statSync(input.path).size);
    const stampede = new Stampede(db);
    if (early) stampede.readStatesFrom(early.states);
    const reads = early ? await early.done : null;
    stampede.loadInvocations(reads ? valueOf(reads.invocations) : readInvocations(db, true));
    const roots = rootWorkflows(stampede);
    if (roots.length === 0) throw new TraceError(input.display, 'a Pegasus stampede database without any workflow (table workflow is empty)');
    const capacity = mergeCapacity(undefined, options.capacity);
    // Time zero before the first job: the earliest EXECUTE (of a last instance, but for retries).
    const firstStart = reads ? valueOf(reads.firstExecute) : earliestExecute(db);
    for (const root of roots) {
      const id = root.dagFile?.replace(/\.dag$/, '') || root.label || root.uuid;
      const header = { id, format: 'pegasus', source: input.path, workflow: root.label, capacity, scheduled: true };
      await store(header, (recorder) => {
        const hashing = new HashingRecorder(recorder, `pegasus\0${root.uuid}\0${version}`);
        const stats = db.explaining(() => readPegasusRun(stampede, root, hashing, firstStart));
        if (stats.cycle) throw new TraceError(input.display, `table job_edge: the jobs depend on each other in a cycle: ${stats.cycle.join(' -> ')}`);
        const warnings: string[] = [];
        if (stats.tasks === 0) warnings.push(`workflow ${root.uuid} has no jobs`);
        if (stats.unfinished > 0) {
          warnings.push(`${stats.unfinished} job(s) did not finish in a workflow that never terminated (no WORKFLOW_TERMINATED: cut short, or still running)`);
        }
        if (stats.terminatedBeforeExecute > 0) {
          warnings.push(
            `${stats.terminatedBeforeExecute} job(s) terminated before they executed (jobstate times out of order: clocks apart, or a damaged row; the first: ${stats.firstTerminatedBeforeExecute}): stored without an end`,
          );
        }
        if (stats.unknownEdges > 0) warnings.push(`${stats.unknownEdges} row(s) of job_edge name jobs the job table lacks: left out`);
        if (stampede.strayRows > 0) warnings.push(`${stampede.strayRows} job instance(s) of tables jobstate and invocation are not in table job_instance: left out`);
        capacityWarning(capacity, warnings);
        return { contentHash: hashing.digest(), warnings };
      });
    }
  } catch (error) {
    // A value no real database holds may be damage SQLite read without complaint: explain() checks.
    throw db.explain(error);
  } finally {
    early?.stop();
    db.close();
  }
}
