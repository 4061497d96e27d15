/**
 * What `whatif` is asked: a workflow (a spec file or a stored run), durations scaled by type, a
 * grid of node counts, cores and GPUs per node; and the predictions over the grid with, when asked,
 * the cheapest point within some distance of the fastest (whatif.ts does the simulating).
 */
import { InputError } from '../errors.js';
import type { Store } from '../store/store.js';
import { namedWorkflow } from './spec-from-run.js';
import { specTaskCount, type WorkflowSpec } from './spec.js';
import { cheapestWithin, scaleDurations, whatIf, whatIfPointJson, type WhatIfPoint, type WhatIfResult } from './whatif.js';

export interface WhatIfRequest {
  /** A spec file, or a stored run (id or label). */
  workflow: string;
  /** Node counts; absent: the workflow's own (its platform must have nodes). */
  nodes?: number[];
  coresPerNode?: number[];
  gpusPerNode?: number[];
  /** Duration factors by task type. */
  scales: ReadonlyMap<string, number>;
  /** Name the cheapest point within `within` (a fraction) of the fastest. */
  best: boolean;
  within: number;
  /** For a run: the inference's barrier gap, s. */
  barrierGapS?: number;
  /** Seconds, or `auto` (a run only). */
  overhead?: number | 'auto';
}

export interface PlannedWhatIf {
  spec: WorkflowSpec;
  /** The file, or `run ID`. */
  source: string;
  result: WhatIfResult;
  /** The cheapest point within `within` of the fastest (null: not asked, or no point could run). */
  best: WhatIfPoint | null;
  warnings: string[];
}

/** The predictions the request asks for; `store` opens the store when the workflow is a run. */
export async function whatIfRequest(request: WhatIfRequest, store: () => Promise<Store>): Promise<PlannedWhatIf> {
  const workflow = await namedWorkflow(request.workflow, store, { barrierGapS: request.barrierGapS, overhead: request.overhead });
  const spec = scaleDurations(workflow.spec, request.scales);
  const own = spec.platform.kind === 'nodes' ? spec.platform.nodes : null;
  if (request.nodes === undefined && own === null) throw new InputError("give --nodes: the workflow's platform has no nodes");
  const result = whatIf(spec, { nodes: request.nodes ?? [own!], coresPerNode: request.coresPerNode, gpusPerNode: request.gpusPerNode });
  const best = request.best ? cheapestWithin(result.points, request.within) : null;
  return { spec, source: workflow.source, result, best, warnings: workflow.warnings };
}

/** The stable JSON of `whatif --json` (README). */
export function whatIfJson(planned: PlannedWhatIf, request: Pick<WhatIfRequest, 'scales' | 'best' | 'within'>) {
  const { spec, source, result, best } = planned;
  return {
    workflow: spec.name,
    source,
    tasks: specTaskCount(spec),
    overhead_s: spec.overheadS,
    scale: Object.fromEntries(request.scales),
    points: result.points.map(whatIfPointJson),
    best: best ? whatIfPointJson(best) : null,
    within: request.best ? request.within : null,
  };
}
