/**
 * What `predict` is asked: the spec of a file, or one inferred from a stored run (its overhead
 * calibrated from the run unless given), on the spec's or the run's platform unless the request
 * names another; and the prediction of it. The spec used can be written out for editing.
 */
import { InputError } from '../errors.js';
import type { Store } from '../store/store.js';
import { overridePlatform } from './platform.js';
import { predict, type Prediction } from './predict.js';
import { readSpecFile, writeSpecFile } from './spec-file.js';
import { specFromRun } from './spec-from-run.js';
import { assertFits, type WorkflowSpec } from './spec.js';

export interface PredictRequest {
  /** A spec file, or */
  specFile?: string;
  /** a stored run to infer the spec from. */
  fromRun?: string;
  /** With `fromRun`: how close dependent stages follow each other, s [default: DEFAULT_BARRIER_GAP_S]. */
  barrierGapS?: number;
  /** Seconds, or `auto`: calibrated from the run [default: auto with `fromRun`, else the spec's]. */
  overhead?: 'auto' | number;
  /** Totals that replace the platform (pooled unless `nodes`). */
  platform: { cores?: number; gpus?: number; nodes?: number };
  /** Write the spec used to this file (YAML, or JSON for .json). */
  emitSpec?: string;
}

export interface PlannedPrediction {
  spec: WorkflowSpec;
  /** Where the spec came from: the file, or `run ID`. */
  source: string;
  /** Where the overhead came from, in words. */
  overheadNote: string;
  prediction: Prediction;
  warnings: string[];
}

/** The spec the request names, and its prediction; `store` opens the store when a run is named. */
export async function predictRequest(request: PredictRequest, store: () => Promise<Store>): Promise<PlannedPrediction> {
  const { specFile, fromRun, overhead, platform: override } = request;
  if (specFile !== undefined && fromRun !== undefined) throw new InputError('give a spec file or --from-run RUN, not both');
  if (specFile === undefined && fromRun === undefined) throw new InputError('give a spec file, or --from-run RUN to infer one from a stored run');
  const warnings: string[] = [];
  let spec: WorkflowSpec;
  let source: string;
  let overheadNote: string;
  if (fromRun === undefined) {
    if (request.barrierGapS !== undefined) throw new InputError('--barrier-gap applies to --from-run only');
    if (overhead === 'auto') throw new InputError('--overhead auto calibrates from a run: use it with --from-run, or give seconds');
    spec = readSpecFile(specFile!);
    source = specFile!;
    // A spec without a platform means unlimited resources, unless the request puts it on a machine.
    const platform = overridePlatform(spec.platform, override);
    if (!platform) throw new InputError('--gpus or --nodes without --cores: the spec has no platform to take the cores from');
    spec = { ...spec, platform };
    assertFits(spec, (problem) => new InputError(`${problem} (platform from ${describeOverride(override)})`));
    if (overhead !== undefined) spec = { ...spec, overheadS: overhead };
    overheadNote = overhead !== undefined ? 'given with --overhead' : 'overhead_s of the spec';
  } else {
    const opened = await store();
    const inferred = await specFromRun(opened, await opened.resolveRun(fromRun), { override, barrierGapS: request.barrierGapS, overhead });
    warnings.push(...inferred.warnings);
    spec = inferred.spec;
    source = `run ${inferred.run.id}`;
    overheadNote = inferred.overheadNote;
  }
  if (request.emitSpec !== undefined) {
    writeSpecFile(request.emitSpec, spec, `asyncscope workflow spec, from ${source}\nEdit it and run: asyncscope predict ${request.emitSpec}`);
  }
  return { spec, source, overheadNote, prediction: predict(spec), warnings };
}

function describeOverride(override: { cores?: number; gpus?: number; nodes?: number }): string {
  const given = Object.entries(override)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `--${key} ${value}`);
  return given.length > 0 ? given.join(' ') : 'the spec';
}
