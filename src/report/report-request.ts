/**
 * What the report command asks for, from its arguments: one run, or a synchronous and an
 * asynchronous run (named in either order and told apart by their stored modes, or named with
 * --sync and --async), with the asynchronous structure from a spec file if given; and the report
 * of it, gathered and drawn.
 */
import type { GroupBy } from '../analysis/intervals.js';
import { InputError } from '../errors.js';
import { readSpecFile } from '../model/spec-file.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';
import { buildReport, type BuiltReport } from './build-report.js';
import { gatherReport, type ReportRequest } from './gather.js';
import type { ReportData } from './report-data.js';
import type { ReportMeta } from './sections/all-sections.js';

export interface ReportArgs {
  /** Run references given as arguments: one run, or the two of a pair. */
  refs: readonly string[];
  /** The pair named explicitly (both or neither). */
  sync?: string;
  async?: string;
  /** Spec file of the asynchronous structure (a pair only). */
  specPath?: string;
  by: GroupBy;
}

/** Resolves, gathers and draws the report of `args`; `onChart` follows the drawing. */
export async function makeReport(
  store: Store,
  args: ReportArgs,
  meta: ReportMeta,
  onChart?: (done: number, total: number) => void,
): Promise<{ data: ReportData; built: BuiltReport }> {
  const data = await gatherReport(store, await reportRequest(store, args));
  return { data, built: await buildReport(data, meta, onChart) };
}

/** The runs and the pair of the arguments; InputError for what is not one run or one pair. */
export async function reportRequest(store: Store, args: ReportArgs): Promise<ReportRequest> {
  const { refs, specPath, by } = args;
  if (args.sync !== undefined && args.async !== undefined) {
    if (refs.length > 0) throw new InputError('give the runs either as arguments or with --sync and --async, not both');
    return pair(await store.resolveRun(args.sync), await store.resolveRun(args.async), by, specPath);
  }
  if (refs.length === 0) throw new InputError('give a run, or a synchronous and an asynchronous run (see asyncscope runs for the stored runs)');
  if (refs.length > 2) throw new InputError(`a report takes one run or a pair, got ${refs.length} runs`);
  const runs: StoredRun[] = [];
  for (const ref of refs) runs.push(await store.resolveRun(ref));
  if (runs.length === 1) {
    if (specPath !== undefined) throw new InputError('--spec is for a pair of runs (the asynchronous structure the model predicts)');
    return { runs, pairs: [], by };
  }
  const [a, b] = runs;
  if (a.pk === b.pk) throw new InputError(`both arguments name run ${a.id}`);
  const sync = a.mode === 'sync' && b.mode === 'async' ? a : b.mode === 'sync' && a.mode === 'async' ? b : null;
  if (sync === null) {
    throw new InputError(
      `cannot tell which run is synchronous: ${a.id} is stored as ${a.mode}, ${b.id} as ${b.mode}; name them with --sync RUN --async RUN (or set the modes: asyncscope runs edit RUN --mode sync)`,
    );
  }
  return pair(sync, sync === a ? b : a, by, specPath);
}

/** A pair as given (a run stored as the other mode is warned about by the comparison). */
function pair(sync: StoredRun, async: StoredRun, by: GroupBy, specPath: string | undefined): ReportRequest {
  if (sync.pk === async.pk) throw new InputError(`--sync and --async name the same run ${sync.id}`);
  const spec = specPath === undefined ? undefined : readSpecFile(specPath);
  return { runs: [sync, async], pairs: [{ sync, async, spec, specPath }], by };
}
