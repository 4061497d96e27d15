/**
 * Parsl monitoring database importer (`--format parsl`): the SQLite `monitoring.db` that Parsl's
 * MonitoringHub writes, read-only. Each workflow run in it (a row of `workflow`, its `run_id`)
 * becomes one run, in the order they began; `--parsl-run ID` picks one. run.ts says how tasks,
 * tries and states map; docs/formats.md has the table.
 */
import { TraceError } from '../../errors.js';
import { ForeignDatabase } from '../../store/foreign-sqlite.js';
import { parseDateTime } from '../common/date-time.js';
import type { Importer, ImportOptions, MultiRunImporter, Sample, StoreRun, TraceInput } from '../importer.js';
import { readRunsInWorker } from '../common/worker-runs.js';
import { HashingRecorder } from '../common/recorder.js';
import { capacityWarning, mergeCapacity } from '../common/normalize.js';
import { parslMachine } from './capacity.js';
import { readParslRun } from './run.js';
import { looksLikeParsl, parslSchema } from './schema.js';

export const parslImporter: Importer & MultiRunImporter = {
  format: 'parsl',
  describe: 'a Parsl monitoring database (monitoring.db, SQLite; each workflow run one run, --parsl-run to pick one)',
  detect: detectParsl,
  streamRuns: (input, options, store) => readRunsInWorker('parsl', readParslRuns, input, options, store),
};

export function detectParsl(sample: Sample): true | string {
  if (sample.kind !== 'file' || !sample.sqliteTables) return '';
  const tables = sample.sqliteTables;
  return looksLikeParsl(tables) ? true : '';
}

interface WorkflowRun {
  runId: string;
  name: string | null;
  completed: boolean;
  /** Epoch seconds (Infinity when unknown: such runs go last). */
  began: number;
}

export async function readParslRuns(input: TraceInput, options: ImportOptions, store: StoreRun): Promise<void> {
  const pick = options.parsl?.run;
  const db = ForeignDatabase.open(input.path, input.display);
  try {
    const schema = parslSchema(db);
    // A value no real database holds may be damage SQLite read without complaint: explain() checks.
    const runs = db.explaining(() => workflowRuns(db));
    const chosen = pick === undefined ? runs : runs.filter((run) => run.runId === pick);
    if (chosen.length === 0) {
      if (pick !== undefined) {
        const known = runs.map((run) => `${run.runId}${run.name ? ` (${run.name})` : ''}`);
        throw new TraceError(input.display, `no workflow run ${JSON.stringify(pick)}; it holds ${known.length === 0 ? 'none' : known.join(', ')}`);
      }
      throw new TraceError(input.display, 'a Parsl monitoring database without any workflow run (table workflow is empty)');
    }
    for (const run of chosen) {
      const machine = db.explaining(() => parslMachine(db, run.runId));
      const capacity = mergeCapacity(machine?.capacity, options.capacity);
      const header = { id: run.runId, format: 'parsl', source: input.path, workflow: run.name, capacity, scheduled: true };
      await store(header, (recorder) => {
        const hashing = new HashingRecorder(recorder, `parsl\0${run.runId}\0${run.name}`);
        const stats = db.explaining(() => readParslRun(db, schema, run.runId, run.completed, hashing, machine?.coresPerTask ?? new Map()));
        const warnings: string[] = [];
        if (stats.tasks === 0) {
          // A run id garbled by damage finds no tasks: a run without tasks is rare enough to check for damage.
          db.refuseIfDamaged();
          warnings.push(`workflow run ${run.runId} has no tasks`);
        }
        if (stats.neverReturned > 0) {
          warnings.push(
            `${stats.neverReturned} task(s) started and never returned although the workflow run completed ` +
              '(Parsl 1.0 loses the final failure of a task it retried): kept as incomplete',
          );
        }
        if (stats.strayRows > 0) warnings.push(`${stats.strayRows} row(s) of tables try and status name tasks the task table lacks: left out`);
        if (stats.endsBeforeStart > 0) {
          warnings.push(
            `${stats.endsBeforeStart} task(s) returned before they ran (the first: ${stats.firstEndingBeforeStart} before; ` +
              'clocks of the worker and submit hosts apart, or a damaged row): stored as they are; analyses leave them out',
          );
        }
        if (stats.unknownDependencies > 0) warnings.push(`${stats.unknownDependencies} dependencies (task_depends) name tasks that are not in the run: left out`);
        if (!machine) warnings.push('the node table has no rows for this run (Parsl writes none for a thread pool): task cores unknown');
        capacityWarning(capacity, warnings);
        return { contentHash: hashing.digest(), warnings };
      });
    }
  } finally {
    db.close();
  }
}

/** The workflow runs, in the order they began. */
function workflowRuns(db: ForeignDatabase): WorkflowRun[] {
  const runs: WorkflowRun[] = [];
  for (const [runId, name, began, completed] of db.rows('workflow', ['run_id', 'workflow_name', 'time_began', 'time_completed'])) {
    if (typeof runId !== 'string' || runId === '') throw new TraceError(db.display, `table workflow: run_id ${JSON.stringify(runId)} is not a run id`);
    const start = typeof began === 'string' ? parseDateTime(began) : NaN;
    runs.push({ runId, name: typeof name === 'string' && name !== '' ? name : null, completed: completed !== null && completed !== undefined, began: start === start ? start : Infinity });
  }
  return runs.sort((a, b) => a.began - b.began || 0);
}
