/**
 * The workflow spec of a stored run, as `predict --from-run` infers it (and `whatif` and `sweep`
 * given a run): its structure and measured durations, on its machine or the one the request
 * gives, with the launch overhead calibrated on it unless given. And the workflow a command names:
 * a spec file when the name is one, else a stored run.
 */
import fs from 'node:fs';
import { InputError } from '../errors.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';
import { calibrate } from './calibrate.js';
import { loadRunData } from './from-store.js';
import { DEFAULT_BARRIER_GAP_S, inferSpec } from './infer-spec.js';
import { overridePlatform, platformFromCapacity, type PlatformOverride } from './platform.js';
import { readSpecFile } from './spec-file.js';
import type { WorkflowSpec } from './spec.js';

export interface RunSpecOptions {
  /** Totals that replace the run's capacity (pooled unless `nodes`). */
  override?: PlatformOverride;
  /** How close dependent stages follow each other, s [default: DEFAULT_BARRIER_GAP_S]. */
  barrierGapS?: number;
  /** Seconds, or `auto` (the default): calibrated from the run. */
  overhead?: number | 'auto';
}

export interface RunSpec {
  run: StoredRun;
  spec: WorkflowSpec;
  /** How the overhead was set, for output. */
  overheadNote: string;
  /** The inference's warnings, each naming the run. */
  warnings: string[];
}

export async function specFromRun(store: Store, run: StoredRun, options: RunSpecOptions = {}): Promise<RunSpec> {
  const data = await loadRunData(store, run);
  const platform = overridePlatform(platformFromCapacity(run.capacity), options.override ?? {});
  if (!platform) {
    throw new InputError(`run ${run.id} does not state its machine: give --cores N (and --gpus N, --nodes N) to predict on a platform`);
  }
  const inferred = inferSpec(data, { platform, barrierGapS: options.barrierGapS ?? DEFAULT_BARRIER_GAP_S });
  const warnings = inferred.warnings.map((w) => `run ${run.id}: ${w}`);
  if (options.overhead !== undefined && options.overhead !== 'auto') {
    return { run, spec: { ...inferred.spec, overheadS: options.overhead }, overheadNote: 'given with --overhead', warnings };
  }
  const calibration = calibrate(data, inferred);
  const overheadNote =
    calibration.gaps.length > 0 ? `auto: median of ${calibration.gaps.length} gap(s) between dependent stages` : 'auto: the run shows no gap between dependent stages';
  return { run, spec: { ...inferred.spec, overheadS: calibration.overheadS }, overheadNote, warnings };
}

/** A workflow a command names (`whatif`, `sweep`): its spec, where it came from, and the run when it is one. */
export interface NamedWorkflow {
  spec: WorkflowSpec;
  /** The file, or `run ID`. */
  source: string;
  /** The stored run it was inferred from, or null for a spec file. */
  run: StoredRun | null;
  warnings: string[];
}

/**
 * `ref` as a spec file when a file has that name, else as a stored run (id or label) whose spec
 * is inferred and calibrated as predict --from-run does; `store` opens the store when needed.
 * A spec file keeps its own overhead unless one is given in seconds.
 */
export async function namedWorkflow(
  ref: string,
  store: () => Promise<Store>,
  options: { barrierGapS?: number; overhead?: number | 'auto' } = {},
): Promise<NamedWorkflow> {
  if (fs.existsSync(ref) && fs.statSync(ref).isFile()) {
    if (options.overhead === 'auto') throw new InputError('--overhead auto calibrates from a run: give seconds with a spec file');
    if (options.barrierGapS !== undefined) throw new InputError('--barrier-gap applies to a stored run only');
    const spec = readSpecFile(ref);
    return { spec: options.overhead === undefined ? spec : { ...spec, overheadS: options.overhead }, source: ref, run: null, warnings: [] };
  }
  const opened = await store();
  const run = await opened.resolveRun(ref);
  const inferred = await specFromRun(opened, run, options);
  return { spec: inferred.spec, source: `run ${run.id}`, run, warnings: inferred.warnings };
}
