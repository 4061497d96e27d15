/**
 * What `sweep` is asked: a workflow (the paper's example, generated branches, a spec file or a
 * stored run with, for a run, its measured point), on its machine or the one the request gives;
 * and the simulated family (sweep.ts), each member's spec written out when asked.
 */
import path from 'node:path';
import { analyzeStoredRun } from '../analysis/stored-run.js';
import { InputError } from '../errors.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';
import { overridePlatform, type PlatformOverride } from './platform.js';
import { improvement } from './predict.js';
import { writeSpecFile } from './spec-file.js';
import { namedWorkflow } from './spec-from-run.js';
import { assertFits, platformTotals, type Platform, type WorkflowSpec } from './spec.js';
import {
  branchesExample,
  paperExample,
  simulateSweep,
  sweepFamily,
  sweepMembers,
  sweepPointJson,
  sweepPointSpec,
  type MeasuredMember,
  type SweepFamily,
  type SweepPoint,
} from './sweep.js';

export interface SweepRequest {
  /** A spec file or a stored run; absent: generated branches, else the paper's example. */
  workflow?: string;
  /** Generate `branches` independent chains of `levels` stages [default levels: 4]. */
  branches?: number;
  levels?: number;
  /** Members to simulate, spread evenly. */
  points: number;
  /** With a run: the synchronous run of the same workflow, for the measured improvement. */
  sync?: string;
  /** Write each member's spec to this folder. */
  emitSpecs?: string;
  /** For a run: the inference's barrier gap, s. */
  barrierGapS?: number;
  /** Totals that replace the workflow's platform (pooled unless `nodes`). */
  platform: PlatformOverride;
  /**
   * The platform of a workflow that states none (`sweep --measure`: this machine's cores, as
   * `asyncscope run` places it), so that the simulated members are those that run; without it,
   * such a workflow is simulated on ample resources.
   */
  unboundedPlatform?: Platform;
}

/** The measured run set beside the curve: its doa and, with its synchronous run, its improvement. */
export interface MeasuredPoint {
  run: string;
  doa: number | null;
  improvement: number | null;
  sync: string | null;
}

export interface PlannedSweep {
  spec: WorkflowSpec;
  /** Where the workflow came from, in words. */
  source: string;
  family: SweepFamily;
  points: SweepPoint[];
  measured: MeasuredPoint | null;
  /** True when the workflow stated no platform and `unboundedPlatform` was taken. */
  platformGiven: boolean;
  warnings: string[];
}

/** The sweep the request asks for; `store` opens the store when the workflow is a run. */
export async function sweepRequest(request: SweepRequest, store: () => Promise<Store>): Promise<PlannedSweep> {
  const ref = request.workflow;
  if (ref !== undefined && request.branches !== undefined) throw new InputError('give a workflow or --branches, not both');
  if (request.levels !== undefined && request.branches === undefined) throw new InputError('--levels goes with --branches');
  if (request.sync !== undefined && ref === undefined) throw new InputError('--sync goes with a stored run as the workflow');
  let spec: WorkflowSpec;
  let source: string;
  let measured: MeasuredPoint | null = null;
  const warnings: string[] = [];
  if (request.branches !== undefined) {
    spec = branchesExample(request.branches, request.levels ?? 4);
    source = 'generated';
  } else if (ref === undefined) {
    spec = paperExample();
    source = 'the example of Pascuzzi et al., JSSPP 2023';
  } else {
    const workflow = await namedWorkflow(ref, store, { barrierGapS: request.barrierGapS });
    ({ spec, source } = workflow);
    warnings.push(...workflow.warnings);
    if (workflow.run) measured = await measuredPoint(await store(), workflow.run, request.sync);
    else if (request.sync !== undefined) throw new InputError('--sync goes with a stored run as the workflow, not a spec file');
  }
  let platform = overridePlatform(spec.platform, request.platform);
  if (!platform) throw new InputError('--gpus or --nodes without --cores: the workflow has no platform to take the cores from');
  const platformGiven = platform.kind === 'unbounded' && request.unboundedPlatform !== undefined;
  if (platformGiven) platform = request.unboundedPlatform!;
  spec = { ...spec, platform };
  assertFits(spec, (problem) => new InputError(problem));

  const family = sweepFamily(spec);
  const members = sweepMembers(family, request.points);
  const points = simulateSweep(family, members);
  if (request.emitSpecs !== undefined) emitSpecs(request.emitSpecs, family, members, source);
  return { spec, source, family, points, measured, platformGiven, warnings };
}

/** The run's measured doa (by task type, as analyze gives it) and its improvement over `syncRef`. */
async function measuredPoint(store: Store, run: StoredRun, syncRef: string | undefined): Promise<MeasuredPoint> {
  const analysis = await analyzeStoredRun(store, run, { by: 'type' });
  const sync = syncRef === undefined ? null : await store.resolveRun(syncRef);
  const runImprovement = sync && sync.makespanS !== null && run.makespanS !== null ? improvement(run.makespanS, sync.makespanS) : null;
  return { run: run.id, doa: analysis.json.asynchronicity.doa, improvement: runImprovement, sync: sync?.id ?? null };
}

/** Each member's spec as `DIR/member-KEPT.yaml` (the folder is created). */
function emitSpecs(dir: string, family: SweepFamily, members: readonly number[], source: string): void {
  const width = String(family.barriers.length).length;
  for (const kept of members) {
    const file = path.join(dir, `member-${String(kept).padStart(width, '0')}.yaml`);
    writeSpecFile(file, sweepPointSpec(family, kept), `asyncscope sweep member: ${kept} of ${family.barriers.length} barrier edges kept (workflow from ${source})`);
  }
}

/** What `sweep --measure` ran (runner/measure-sweep.ts): the members measured and how. */
export interface SweepMeasurement {
  /** The factor every duration was multiplied by. */
  scale: number;
  /** The time budget (--budget): what the default scale fits, and what a --scale is checked against, s. */
  budgetS: number;
  /** Running every member both ways at the scale, as the model predicts it, s. */
  plannedS: number;
  /** Wall time of the measuring, s. */
  elapsedS: number;
  members: readonly MeasuredMember[];
  /** The store the runs were kept in (null: --no-store). */
  db: string | null;
  /** The stored runs are labelled PREFIX-KEPT-sync and PREFIX-KEPT-async. */
  labelPrefix: string;
  /** This machine's 1-minute load average when the measuring started and ended. */
  loadAverage: { start: number; end: number };
}

/** The stable JSON of `sweep --json` (README); `measure` is null without --measure. */
export function sweepJson(planned: PlannedSweep, measure: SweepMeasurement | null = null) {
  const { spec, source, family, points, measured } = planned;
  const byKept = new Map(measure?.members.map((m) => [m.kept, m]));
  return {
    workflow: spec.name,
    source,
    stages: family.base.stages.length,
    barriers: family.barriers.length,
    barrier_edges: family.barriers.map(([u, v]) => ({ from: family.base.stages[u].name, to: family.base.stages[v].name })),
    points: points.map((p) => sweepPointJson(p, byKept.get(p.kept) ?? null, measure?.scale ?? null)),
    measured,
    measure:
      measure === null
        ? null
        : {
            scale: measure.scale,
            budget_s: measure.budgetS,
            planned_s: measure.plannedS,
            elapsed_s: measure.elapsedS,
            platform: platformJson(spec.platform),
            failed_tasks: measure.members.reduce((sum, m) => sum + m.failed, 0),
            db: measure.db,
            label_prefix: measure.labelPrefix,
            load_average: measure.loadAverage,
          },
  };
}

function platformJson(platform: Platform): { nodes: number | null; cores: number | null; gpus: number | null } {
  if (platform.kind === 'unbounded') return { nodes: null, cores: null, gpus: null };
  const { cores, gpus } = platformTotals(platform);
  return { nodes: platform.kind === 'nodes' ? platform.nodes : null, cores, gpus };
}
