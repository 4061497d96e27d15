/**
 * What the report's "What if" section shows of a synchronous/asynchronous pair: the calibrated
 * asynchronous structure on fewer and more nodes than the run had, and its degree-of-asynchronicity
 * sweep with the measured pair as a point beside it.
 */
import type { Comparison } from '../model/compare.js';
import type { WorkflowSpec } from '../model/spec.js';
import { simulateSweep, sweepFamily, sweepMembers, type SweepPoint } from '../model/sweep.js';
import { whatIf, type WhatIfPoint } from '../model/whatif.js';

/** Node counts drawn, as multiples of the run's: a quarter to twice. */
export const WHATIF_NODE_FACTORS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2] as const;

/** Sweep members drawn at most. */
export const SWEEP_POINTS = 21;

export function pairWhatIf(spec: WorkflowSpec): WhatIfPoint[] {
  if (spec.platform.kind !== 'nodes') return [];
  const own = spec.platform.nodes;
  const nodes = [...new Set(WHATIF_NODE_FACTORS.map((f) => Math.max(1, Math.round(f * own))))];
  return whatIf(spec, { nodes }).points;
}

export function pairSweep(comparison: Comparison, measuredDoa: number | null): { points: SweepPoint[]; measured: { doa: number | null; improvement: number } } | null {
  if (comparison.asyncSpec.kind !== 'stages') return null;
  const family = sweepFamily(comparison.asyncSpec);
  return { points: simulateSweep(family, sweepMembers(family, SWEEP_POINTS)), measured: { doa: measuredDoa, improvement: comparison.measured.improvement } };
}
