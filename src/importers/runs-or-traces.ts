/**
 * The runs a command's arguments name, where an argument may also be a trace: `analyze TRACE`
 * measures a trace in one process, without a separate `ingest` first.
 *
 * An argument that names a stored run or label is that run (or those runs), as everywhere. One that
 * names none but is a file or folder on disk is a trace: it is ingested into the store as `ingest`
 * would (so it is stored, and a trace already stored is recognised by its content and not read
 * again), and its run is used.
 */
import fs from 'node:fs';
import { InputError } from '../errors.js';
import type { StoredRun } from '../run/stored-run.js';
import { resolveRuns } from '../store/resolve-runs.js';
import type { Store } from '../store/store.js';
import { ingest, type IngestHooks, type IngestOutcome } from './ingest.js';

/** Whether any argument is a file or folder on disk (a command then opens its store for writing). */
export function anyTraceArgument(args: readonly string[]): boolean {
  return args.some((arg) => fs.existsSync(arg));
}

export async function runsOrTraces(store: Store, args: readonly string[], hooks: IngestHooks = {}): Promise<{ runs: StoredRun[]; ingested: IngestOutcome[] }> {
  const runs: StoredRun[] = [];
  const ingested: IngestOutcome[] = [];
  const seen = new Set<number>();
  const add = (run: StoredRun) => {
    if (!seen.has(run.pk)) {
      seen.add(run.pk);
      runs.push(run);
    }
  };
  for (const arg of args) {
    let named: StoredRun[];
    try {
      named = await resolveRuns(store, arg);
    } catch (error) {
      if (!(error instanceof InputError) || !fs.existsSync(arg)) throw error;
      const outcomes = await ingest(store, { paths: [arg], format: 'auto', replace: false }, hooks);
      ingested.push(...outcomes);
      const failed = outcomes.find((o) => o.kind === 'failed');
      if (failed) throw failed.error instanceof InputError ? failed.error : new InputError(failed.error.message);
      named = outcomes.flatMap((o) => (o.kind === 'saved' ? [o.result.run] : []));
      if (named.length === 0) throw new InputError(`${arg}: no stored run or label by that name, and no trace found there`);
    }
    named.forEach(add);
  }
  return { runs, ingested };
}
