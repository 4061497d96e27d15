/**
 * Running a workflow spec on this machine as a workflow of its own, beside the commands: the spec
 * placed on its platform, the plan executed, the trace written (to the user's file or a temporary
 * one) and ingested into the store like any trace, and the model's prediction for the same spec.
 * `asyncscope run` prints what it returns; the demo runs a spec both ways through it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../errors.js';
import { writeExport } from '../exporters/output.js';
import { ingest } from '../importers/ingest.js';
import { overridePlatform, type PlatformOverride } from '../model/platform.js';
import { predict } from '../model/predict.js';
import { assertFits, describePlatform, type Platform, type WorkflowSpec } from '../model/spec.js';
import type { Capacity } from '../run/capacity.js';
import type { Provenance } from '../run/provenance.js';
import type { StoredRun } from '../run/stored-run.js';
import type { SaveStatus, Store } from '../store/store.js';
import { execute, type ExecutionMode, type ExecutionResult, type FailurePolicy } from './execute.js';
import { planRun, scaledSpec, type RunnablePlatform, type RunPlan } from './plan.js';
import { summarize, type RunSummary } from './summary.js';
import { traceLines } from './trace.js';

export interface RunSpecRequest {
  /** The spec file, for messages, run names and the stored run's source. */
  specFile: string;
  spec: WorkflowSpec;
  mode: ExecutionMode;
  scale: number;
  onFailure: FailurePolicy;
  /** Replaces the spec's platform (`--cores`, `--gpus`, `--nodes`). */
  platform?: PlatformOverride;
  label?: string;
  workflow?: string;
  /** Also write the trace to this file (JSON Lines; `.gz` compresses); the stored run is named after it. */
  out?: string;
  /** Store the run (else only write it to `out`). */
  store: boolean;
  /** The stored run's source when no --out names it [default: the spec file's absolute path]. */
  source?: string;
  /** Where the stored run came from (commit, CI job, host: src/provenance/), as `ingest` records it. */
  provenance?: Provenance;
}

/** A request checked and planned: nothing has run and nothing was opened yet. */
export interface PreparedRun {
  request: RunSpecRequest;
  /** The spec on the platform it runs on. */
  spec: WorkflowSpec;
  plan: RunPlan;
}

export interface RunSpecHooks {
  /** Said to the user: a spec without a platform, a note of the store. */
  onWarning?: (message: string) => void;
  /** Whenever a task starts or ends. */
  onProgress?: (progress: { settled: number; running: number; total: number }) => void;
  /** While tasks run, `abort` stops them (Ctrl-C); null once they have all ended. */
  onAbortable?: (abort: ((signal: string) => void) | null) => void;
}

export interface StoredRunResult {
  run: StoredRun;
  status: SaveStatus;
  warnings: string[];
}

export type RunSpecResult =
  | { kind: 'aborted'; signal: string; stopped: number }
  | {
      kind: 'ran';
      plan: RunPlan;
      execution: ExecutionResult;
      summary: RunSummary;
      /** Null with no store. */
      stored: StoredRunResult | null;
      /** The model's makespan for this spec, mode and scale; null when it cannot say. */
      predictedS: number | null;
    };

/**
 * Checks a request and plans the run, before anything runs or a store is opened: bad input
 * (a spec that does not fit its platform, an --out that cannot be written) leaves nothing behind.
 */
export function prepareRun(request: RunSpecRequest, warn?: (message: string) => void): PreparedRun {
  if (!request.store && request.out === undefined) throw new InputError('--no-store without --out would keep nothing of the run: give --out FILE');
  if (request.out !== undefined) checkOutFolder(request.out);
  const spec = placeSpec(request, warn);
  return { request, spec, plan: planRun(spec, request.scale) };
}

/** Runs a prepared run and stores its trace in `store` (null when the request does not store it). */
export async function runSpec(prepared: PreparedRun, store: Store | null, hooks: RunSpecHooks = {}): Promise<RunSpecResult> {
  const { request, spec, plan } = prepared;
  if (request.store && store === null) throw new Error('runSpec: the run is to be stored, but no store was given');
  const execution = execute(plan, { mode: request.mode, onFailure: request.onFailure, onProgress: hooks.onProgress });
  hooks.onAbortable?.((signal) => execution.abort(signal));
  let result: ExecutionResult;
  try {
    result = await execution.result;
  } finally {
    hooks.onAbortable?.(null);
  }
  if (result.aborted !== null) return { kind: 'aborted', signal: result.aborted, stopped: result.stopped };

  const stored = await keepTrace(request, plan, result, spec, request.store ? store : null, hooks.onWarning);
  return { kind: 'ran', plan, execution: result, summary: summarize(plan, result.records), stored, predictedS: predicted(spec, request.scale, request.mode) };
}

/** The spec on the platform it runs on: the override, else the spec's, else this machine's (with a warning). */
function placeSpec(request: RunSpecRequest, warn?: (message: string) => void): WorkflowSpec {
  let platform: Platform | null = overridePlatform(request.spec.platform, request.platform ?? {});
  if (platform === null) throw new InputError('--gpus or --nodes without --cores: the spec has no platform to take the cores from');
  if (platform.kind === 'unbounded') {
    platform = localPlatform();
    warn?.(`${request.specFile} has no platform: running on this machine's ${platform.cores} cores and no GPUs (give --cores/--gpus/--nodes, or a platform in the spec)`);
  }
  const placed = { ...request.spec, platform };
  assertFits(placed, (problem) => new InputError(`${request.specFile}: ${problem} (platform ${describePlatform(platform!)})`));
  return placed;
}

/** The machine this runs on, as a pooled platform: its cores, no GPUs. */
function localPlatform(): Extract<Platform, { kind: 'pool' }> {
  return { kind: 'pool', cores: os.availableParallelism(), gpus: 0 };
}

/** Writes the trace (to `out`, else a temporary file) and stores it, as `ingest` would. */
async function keepTrace(
  request: RunSpecRequest,
  plan: RunPlan,
  execution: ExecutionResult,
  spec: WorkflowSpec,
  store: Store | null,
  warn?: (message: string) => void,
): Promise<StoredRunResult | null> {
  const { out } = request;
  let traceFile: string;
  let temporary: string | null = null;
  if (out !== undefined) {
    await writeExport(traceLines(plan, execution.records), out);
    traceFile = out;
  } else {
    temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-run-'));
    traceFile = path.join(temporary, `${runName(spec, request.specFile)}-${request.mode}.jsonl`);
    await writeExport(traceLines(plan, execution.records), traceFile);
  }
  try {
    if (store === null) return null;
    const [outcome] = await ingest(store, {
      paths: [traceFile],
      format: 'jsonl',
      label: request.label,
      mode: request.mode,
      workflow: request.workflow ?? spec.name ?? undefined,
      replace: false,
      capacity: capacityOf(plan.platform),
      source: out === undefined ? (request.source ?? path.resolve(request.specFile)) : undefined,
      provenance: request.provenance === undefined ? undefined : () => request.provenance!,
    });
    if (outcome.kind === 'failed') throw outcome.error;
    if (outcome.kind !== 'saved') throw new Error(`the runner's trace was not stored (${outcome.kind})`);
    for (const note of outcome.result.notes) warn?.(note);
    return { run: outcome.result.run, status: outcome.result.status, warnings: outcome.warnings };
  } finally {
    if (temporary !== null) fs.rmSync(temporary, { recursive: true, force: true });
  }
}

/** The model's makespan for this spec, mode and scale (null when it cannot say). */
function predicted(spec: WorkflowSpec, scale: number, mode: ExecutionMode): number | null {
  try {
    const prediction = predict(scaledSpec(spec, scale));
    return mode === 'sync' ? prediction.syncS : prediction.asyncS;
  } catch {
    return null;
  }
}

export function capacityOf(platform: RunnablePlatform): Partial<Capacity> {
  if (platform.kind === 'pool') return { cores: platform.cores, gpus: platform.gpus };
  return {
    nodes: platform.nodes,
    coresPerNode: platform.coresPerNode,
    gpusPerNode: platform.gpusPerNode,
    cores: platform.nodes * platform.coresPerNode,
    gpus: platform.nodes * platform.gpusPerNode,
  };
}

/** `paper` from the spec's name, else from its file name: the stored run is `paper-async`. */
function runName(spec: WorkflowSpec, file: string): string {
  const name = spec.name ?? path.basename(file).replace(/\.(ya?ml|json)$/i, '');
  return name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+/, '') || 'run';
}

/** Fails before running anything when `out` cannot be written. */
function checkOutFolder(out: string): void {
  if (out === '-') throw new InputError('--out -: the trace goes to a file (stdout holds the results)');
  const target = path.resolve(out);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw new InputError(`--out ${out}: is a folder, not a file`);
  if (!fs.existsSync(path.dirname(target))) throw new InputError(`--out ${out}: no such folder ${path.dirname(target)}`);
}
