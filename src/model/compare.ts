/**
 * Comparing measurement with prediction for a pair of runs of one workflow: a synchronous run and
 * an asynchronous one (docs/model.md, "Compare").
 *
 * The synchronous run calibrates the model (task durations by kind, overhead = median gap between
 * dependent stages). The asynchronous prediction applies that calibration to the asynchronous
 * run's structure (inferred from it, or a spec), on the asynchronous run's platform. The
 * synchronous prediction applies it to the synchronous run's own structure: a synchronous
 * implementation may run a different DAG than the asynchronous one (DeepDriveMD's waits for the
 * previous iteration's inference, its asynchronous version does not), so its level-by-level
 * prediction is made on the DAG it actually executed.
 *
 * Errors are relative, (predicted - measured) / measured; the improvement error is in percentage
 * points, 100 * (predicted - measured improvement).
 */
import { InputError } from '../errors.js';
import { applyCalibration, calibrate, type Calibration } from './calibrate.js';
import { inferSpec, type InferredSpec, type RunData } from './infer-spec.js';
import { platformFromCapacity } from './platform.js';
import { improvement, predict, type Prediction } from './predict.js';
import { assertFits, type Platform, type WorkflowSpec } from './spec.js';

export interface CompareInput {
  sync: RunData;
  async: RunData;
  /** The asynchronous structure to predict instead of the one inferred from the asynchronous run. */
  spec?: WorkflowSpec;
  barrierGapS?: number;
}

export interface Figures {
  syncS: number;
  asyncS: number;
  /** 1 - async / sync. */
  improvement: number;
}

export interface Comparison {
  measured: Figures;
  predicted: Figures;
  error: { sync: number; async: number; improvementPp: number };
  calibration: Calibration;
  /** Where the asynchronous structure came from. */
  structure: 'inferred' | 'spec';
  /** Calibrated specs and their predictions (schedules included, for timelines). */
  syncSpec: WorkflowSpec;
  asyncSpec: WorkflowSpec;
  syncPrediction: Prediction;
  asyncPrediction: Prediction;
  /** Stages of the asynchronous structure that found no measured durations in the synchronous run. */
  uncalibrated: string[];
  warnings: string[];
}

/** The stable JSON of `compare --json` (documented in docs/readme/model.md). */
export interface ComparisonJson {
  measured: { sync_s: number; async_s: number; improvement: number };
  predicted: { sync_s: number; async_s: number; improvement: number };
  error: { sync: number; async: number; improvement_pp: number };
}

export function compareRuns(input: CompareInput): Comparison {
  const { sync, async } = input;
  const warnings = roleWarnings(sync, async);
  const measuredSync = measuredMakespan(sync);
  const measuredAsync = measuredMakespan(async);

  const syncInferred = inferSpec(sync, { platform: runPlatform(sync), barrierGapS: input.barrierGapS });
  warnings.push(...syncInferred.warnings.map((w) => `run ${sync.id}: ${w}`));
  const calibration = calibrate(sync, syncInferred);
  if (calibration.gaps.length === 0) warnings.push(`run ${sync.id} shows no gap between dependent stages: overhead taken as 0 s`);
  const syncCalibrated = applyCalibration(syncInferred.spec, calibration, namesOf(sync, syncInferred));

  let asyncStructure: WorkflowSpec;
  let names: ((index: number) => readonly (string | null)[]) | undefined;
  if (input.spec) {
    asyncStructure = input.spec.platform.kind === 'unbounded' ? { ...input.spec, platform: runPlatform(async) } : input.spec;
    assertFits(asyncStructure, (problem) => new InputError(`spec on the machine of run ${async.id}: ${problem}`));
  } else {
    const asyncInferred = inferSpec(async, { platform: runPlatform(async), barrierGapS: input.barrierGapS });
    warnings.push(...asyncInferred.warnings.map((w) => `run ${async.id}: ${w}`));
    asyncStructure = asyncInferred.spec;
    names = namesOf(async, asyncInferred);
  }
  const asyncCalibrated = applyCalibration(asyncStructure, calibration, names);
  if (asyncCalibrated.uncalibrated.length > 0) {
    const what = input.spec ? "the spec's durations" : 'their durations measured in the asynchronous run';
    warnings.push(
      `no task of the same type and resources (or name) in run ${sync.id} for ${asyncCalibrated.uncalibrated.join(', ')}: using ${what}`,
    );
  }

  const syncPrediction = predict(syncCalibrated.spec);
  const asyncPrediction = predict(asyncCalibrated.spec);
  const measured = figures(measuredSync, measuredAsync);
  const predicted = figures(syncPrediction.syncS, asyncPrediction.asyncS);
  return {
    measured,
    predicted,
    error: {
      sync: relativeError(predicted.syncS, measured.syncS),
      async: relativeError(predicted.asyncS, measured.asyncS),
      improvementPp: 100 * (predicted.improvement - measured.improvement),
    },
    calibration,
    structure: input.spec ? 'spec' : 'inferred',
    syncSpec: syncCalibrated.spec,
    asyncSpec: asyncCalibrated.spec,
    syncPrediction,
    asyncPrediction,
    uncalibrated: asyncCalibrated.uncalibrated,
    warnings,
  };
}

export function comparisonJson(comparison: Comparison): ComparisonJson {
  const { measured, predicted, error } = comparison;
  return {
    measured: { sync_s: measured.syncS, async_s: measured.asyncS, improvement: measured.improvement },
    predicted: { sync_s: predicted.syncS, async_s: predicted.asyncS, improvement: predicted.improvement },
    error: { sync: error.sync, async: error.async, improvement_pp: error.improvementPp },
  };
}

/** A run stored as the other mode than the role it is given: the comparison takes the roles as given, and says so. */
function roleWarnings(sync: RunData, async: RunData): string[] {
  const warnings: string[] = [];
  if (sync.mode === 'async') warnings.push(`run ${sync.id} is stored as an asynchronous run but given as the synchronous one`);
  if (async.mode === 'sync') warnings.push(`run ${async.id} is stored as a synchronous run but given as the asynchronous one`);
  return warnings;
}

/** (predicted - measured) / measured. */
export function relativeError(predicted: number, measured: number): number {
  return (predicted - measured) / measured;
}

function figures(syncS: number, asyncS: number): Figures {
  return { syncS, asyncS, improvement: improvement(asyncS, syncS) ?? 0 };
}

function measuredMakespan(run: RunData): number {
  if (!run.scheduled || run.makespanS === null || !(run.makespanS > 0)) {
    throw new InputError(`run ${run.id} has no measured makespan (no task with a start and an end time): compare needs two executed runs`);
  }
  return run.makespanS;
}

/** The run's machine; compare cannot simulate without one. */
export function runPlatform(run: RunData): Platform {
  const platform = platformFromCapacity(run.capacity);
  if (!platform) {
    throw new InputError(`run ${run.id} does not state its machine's cores: set it with asyncscope runs edit ${run.id} --cores N --gpus N --nodes N`);
  }
  return platform;
}

function namesOf(run: RunData, inferred: InferredSpec): (index: number) => readonly (string | null)[] {
  const t = run.tasks;
  if (inferred.stageTasks) {
    const stageTasks = inferred.stageTasks;
    return (s) => stageTasks[s].map((i) => t.name[i]);
  }
  return (k) => [t.name[k] ?? t.uid[k]];
}
