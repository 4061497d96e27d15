/**
 * A run as the store keeps it: its metadata and the summary figures computed at ingest, and the
 * stable JSON that `ingest --json`, `runs --json` and the reports print of it.
 */
import type { Capacity } from './capacity.js';
import type { OutcomeCounts } from './outcome.js';
import type { Provenance } from './provenance.js';

/** How a run executed its DAG: level by level (`sync`), as soon as dependencies allowed (`async`), or not said. */
export type RunMode = 'sync' | 'async' | 'unknown';
export const RUN_MODES: readonly RunMode[] = ['sync', 'async', 'unknown'];

export interface StoredRun {
  /** The store's own key of the run: stable while it is stored, never shown. */
  pk: number;
  id: string;
  label: string;
  mode: RunMode;
  workflow: string | null;
  format: string;
  source: string;
  contentHash: string;
  importedAt: string;
  epoch: number | null;
  scheduled: boolean;
  capacity: Capacity;
  tasks: number;
  executed: number;
  incomplete: number;
  makespanS: number | null;
  /** Tasks per outcome (run/outcome.ts), only outcomes that occur; {} when the trace says none. */
  outcomes: OutcomeCounts;
  warnings: string[];
  /** Where the run came from (commit, branch, CI job, host, ...); all null for runs stored before asyncscope kept it. */
  provenance: Provenance;
  /** The rule that set the task types (`--type-from`), or null: the types its trace gave. */
  typeFrom: string | null;
}

/** The stable JSON of a run printed by `ingest --json` and `runs --json` (documented in the README). */
export interface RunJson {
  id: string;
  label: string;
  mode: RunMode;
  workflow: string | null;
  format: string;
  source: string;
  tasks: number;
  executed: number;
  incomplete: number;
  makespan_s: number | null;
  /** Tasks per outcome, only outcomes that occur: {"done": 250, "failed": 6}. */
  outcomes: OutcomeCounts;
  nodes: number | null;
  cores: number | null;
  gpus: number | null;
  commit: string | null;
  commit_title: string | null;
  branch: string | null;
  ci: string | null;
  job_url: string | null;
  host: string | null;
  asyncscope_version: string | null;
  meta: Record<string, string>;
}

export function runJson(run: StoredRun): RunJson {
  return {
    id: run.id,
    label: run.label,
    mode: run.mode,
    workflow: run.workflow,
    format: run.format,
    source: run.source,
    tasks: run.tasks,
    executed: run.executed,
    incomplete: run.incomplete,
    makespan_s: run.makespanS,
    outcomes: run.outcomes,
    nodes: run.capacity.nodes,
    cores: run.capacity.cores,
    gpus: run.capacity.gpus,
    ...run.provenance,
    meta: { ...run.provenance.meta },
  };
}

/** Task counts per type of one run, for `runs show`: cores and GPUs per task as `4`, `4-16` or `?`. */
export interface TypeCount {
  type: string;
  tasks: number;
  executed: number;
  incomplete: number;
  cores: string;
  gpus: string;
}

/** `4`, `4-16`, or `?` when unknown: resources per task of a group, as TypeCount gives them. */
export function range(min: number | null, max: number | null): string {
  if (min === null || max === null) return '?';
  return min === max ? `${min}` : `${min}-${max}`;
}

/** The stable JSON of `runs show --json` (documented in the README): the run's JSON and its details. */
export function runDetailsJson(run: StoredRun, types: TypeCount[]) {
  return {
    ...runJson(run),
    cores_per_node: run.capacity.coresPerNode,
    gpus_per_node: run.capacity.gpusPerNode,
    scheduled: run.scheduled,
    epoch: run.epoch,
    started_at: run.epoch === null ? null : new Date(run.epoch * 1000).toISOString(),
    imported_at: run.importedAt,
    content_hash: run.contentHash,
    warnings: run.warnings,
    type_from: run.typeFrom,
    types,
  };
}
