/**
 * `sweep --measure`: each member of a degree-of-asynchronicity sweep (model/sweep.ts) run for real
 * on this machine with the runner (run-spec.ts), level by level and then asynchronously, at one
 * scale, one run after the other (each has the machine to itself); the measured asynchronous
 * run's degree of asynchronicity as analyze gives it.
 *
 * The runs go into a temporary store first and are copied into the user's store only once every
 * member has run (each copy one transaction, as push does): Ctrl-C leaves nothing of the sweep
 * behind, and a sweep that is kept is kept whole. The temporary store also serves --no-store,
 * which still needs a stored run to analyze.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeStoredRun } from '../analysis/stored-run.js';
import { improvement } from '../model/predict.js';
import type { PlannedSweep } from '../model/sweep-request.js';
import { sweepPointSpec, type MeasuredMember } from '../model/sweep.js';
import type { StoredRun } from '../run/stored-run.js';
import { copyRun } from '../store/copy-runs.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { ExecutionMode } from './execute.js';
import { prepareRun, runSpec, type RunSpecHooks } from './run-spec.js';

export interface MeasureSweepRequest {
  planned: PlannedSweep;
  scale: number;
  /** Runs are labelled PREFIX-KEPT-sync and PREFIX-KEPT-async. */
  labelPrefix: string;
  /** Where the runs are kept once all have run; null: nowhere (--no-store). */
  target: Store | null;
}

/** One run of the sweep: member `index` (0-based) of `total`, which keeps `kept` barrier edges. */
export interface SweepRunPosition {
  index: number;
  total: number;
  kept: number;
  mode: ExecutionMode;
}

export interface MeasureSweepHooks {
  onRunStart?: (position: SweepRunPosition) => void;
  onProgress?: RunSpecHooks['onProgress'];
  /** While a run's tasks run, `abort` stops them (Ctrl-C); null between runs. */
  onAbortable?: RunSpecHooks['onAbortable'];
  /** The signal received since the sweep started, if any: asked before each run starts. */
  interrupted?: () => string | null;
  onWarning?: (message: string) => void;
}

export type MeasureSweepResult =
  | { kind: 'aborted'; signal: string; stopped: number; at: SweepRunPosition }
  | { kind: 'measured'; members: MeasuredMember[]; elapsedS: number; loadAverage: { start: number; end: number } };

export async function measureSweep(request: MeasureSweepRequest, hooks: MeasureSweepHooks = {}): Promise<MeasureSweepResult> {
  const { planned, scale, labelPrefix, target } = request;
  const started = performance.now();
  const loadStart = os.loadavg()[0];
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-sweep-'));
  try {
    const scratch = await openStore(path.join(folder, 'sweep.db'), { access: 'write', create: true });
    try {
      const members: MeasuredMember[] = [];
      const runs: StoredRun[] = [];
      const total = planned.points.length;
      for (const [index, point] of planned.points.entries()) {
        const spec = { ...sweepPointSpec(planned.family, point.kept), name: `${labelPrefix}-${point.kept}` };
        const measured: Partial<Record<ExecutionMode, { run: StoredRun; failed: number; makespanS: number | null }>> = {};
        for (const mode of ['sync', 'async'] as const) {
          const at = { index, total, kept: point.kept, mode };
          const signal = hooks.interrupted?.() ?? null;
          if (signal !== null) return { kind: 'aborted', signal, stopped: 0, at };
          hooks.onRunStart?.(at);
          const prepared = prepareRun(
            {
              specFile: spec.name,
              spec,
              mode,
              scale,
              onFailure: 'continue',
              label: `${spec.name}-${mode}`,
              workflow: planned.spec.name ?? 'sweep',
              store: true,
              source: `asyncscope sweep --measure: member ${point.kept} of ${planned.family.barriers.length} barrier edges kept (workflow from ${planned.source})`,
            },
            hooks.onWarning,
          );
          const result = await runSpec(prepared, scratch, { onWarning: hooks.onWarning, onProgress: hooks.onProgress, onAbortable: hooks.onAbortable });
          if (result.kind === 'aborted') return { kind: 'aborted', signal: result.signal, stopped: result.stopped, at };
          if (result.summary.failed > 0) hooks.onWarning?.(`${spec.name}-${mode}: ${result.summary.failed} task(s) failed`);
          measured[mode] = { run: result.stored!.run, failed: result.summary.failed, makespanS: result.summary.makespanS };
          runs.push(result.stored!.run);
        }
        const { sync, async } = measured as Required<typeof measured>;
        const analysis = await analyzeStoredRun(scratch, async.run, { by: 'type' });
        members.push({
          kept: point.kept,
          syncS: sync.makespanS,
          asyncS: async.makespanS,
          doa: analysis.json.asynchronicity.doa,
          improvement: sync.makespanS !== null && async.makespanS !== null ? improvement(async.makespanS, sync.makespanS) : null,
          syncRun: sync.run.id,
          asyncRun: async.run.id,
          failed: sync.failed + async.failed,
        });
      }
      const elapsedS = (performance.now() - started) / 1000;
      const loadAverage = { start: loadStart, end: os.loadavg()[0] };
      if (target === null) return { kind: 'measured', members: members.map((m) => ({ ...m, syncRun: null, asyncRun: null })), elapsedS, loadAverage };
      // Ids in the user's store may differ (an id taken there already gets -2, -3, ...).
      const ids = new Map<string, string>();
      for (const run of runs) {
        const copied = await copyRun(scratch, run, target);
        for (const note of copied.notes) hooks.onWarning?.(note);
        ids.set(run.id, copied.run.id);
      }
      return {
        kind: 'measured',
        members: members.map((m) => ({ ...m, syncRun: ids.get(m.syncRun!) ?? null, asyncRun: ids.get(m.asyncRun!) ?? null })),
        elapsedS,
        loadAverage,
      };
    } finally {
      await scratch.close();
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
