/**
 * A row of the `runs` table as both backends read it, and the StoredRun it stands for (the --meta
 * pairs, in their own table, are added by the caller); run edits and free run ids. The schema is
 * one (sqlite/schema.ts), so the row is the same in SQLite and PostgreSQL.
 */
import type { OutcomeCounts } from '../run/outcome.js';
import type { RunMode, StoredRun } from '../run/stored-run.js';
import type { RunEdit } from './store.js';

export interface RunRow {
  pk: number;
  id: string;
  label: string;
  mode: RunMode;
  workflow: string | null;
  format: string;
  source: string;
  content_hash: string;
  imported_at: string;
  epoch: number | null;
  scheduled: number;
  nodes: number | null;
  cores_per_node: number | null;
  gpus_per_node: number | null;
  cores: number | null;
  gpus: number | null;
  tasks: number;
  executed: number;
  incomplete: number;
  makespan_s: number | null;
  outcomes: string;
  warnings: string;
  commit_sha: string | null;
  commit_title: string | null;
  branch: string | null;
  ci: string | null;
  job_url: string | null;
  host: string | null;
  asyncscope_version: string | null;
  type_from: string | null;
}

export function fromRow(row: RunRow): StoredRun {
  return {
    pk: row.pk,
    id: row.id,
    label: row.label,
    mode: row.mode,
    workflow: row.workflow,
    format: row.format,
    source: row.source,
    contentHash: row.content_hash,
    importedAt: row.imported_at,
    epoch: row.epoch,
    scheduled: row.scheduled === 1,
    capacity: {
      nodes: row.nodes,
      coresPerNode: row.cores_per_node,
      gpusPerNode: row.gpus_per_node,
      cores: row.cores,
      gpus: row.gpus,
    },
    tasks: row.tasks,
    executed: row.executed,
    incomplete: row.incomplete,
    makespanS: row.makespan_s,
    outcomes: JSON.parse(row.outcomes) as OutcomeCounts,
    warnings: JSON.parse(row.warnings) as string[],
    typeFrom: row.type_from ?? null,
    provenance: {
      commit: row.commit_sha,
      commit_title: row.commit_title,
      branch: row.branch,
      ci: row.ci,
      job_url: row.job_url,
      host: row.host,
      asyncscope_version: row.asyncscope_version,
      meta: {},
    },
  };
}

/** The column of each provenance field a run edit may set (fixed names: no user text becomes SQL). */
const PROVENANCE_COLUMN: Record<string, string> = { commit: 'commit_sha', commit_title: 'commit_title', branch: 'branch', ci: 'ci', job_url: 'job_url', host: 'host' };

/**
 * The columns of `runs` a run edit sets, and their values, in the order given (both backends
 * build their UPDATE from it, each with its own parameter marks).
 */
export function runEditColumns(edit: RunEdit): [column: string, value: unknown][] {
  const sets: [string, unknown][] = [];
  if (edit.label !== undefined) sets.push(['label', edit.label]);
  if (edit.mode !== undefined) sets.push(['mode', edit.mode]);
  if (edit.workflow !== undefined) sets.push(['workflow', edit.workflow]);
  const capacity = edit.capacity ?? {};
  if (capacity.nodes !== undefined) sets.push(['nodes', capacity.nodes]);
  if (capacity.coresPerNode !== undefined) sets.push(['cores_per_node', capacity.coresPerNode]);
  if (capacity.gpusPerNode !== undefined) sets.push(['gpus_per_node', capacity.gpusPerNode]);
  if (capacity.cores !== undefined) sets.push(['cores', capacity.cores]);
  if (capacity.gpus !== undefined) sets.push(['gpus', capacity.gpus]);
  for (const [field, value] of Object.entries(edit.provenance?.fields ?? {})) {
    if (value !== undefined && PROVENANCE_COLUMN[field]) sets.push([PROVENANCE_COLUMN[field], value]);
  }
  return sets;
}

/** The suggested id if `taken` says it is free, else the first free of id-2, id-3, ... */
export async function freeRunId(id: string, taken: (candidate: string) => boolean | Promise<boolean>): Promise<string> {
  if (!(await taken(id))) return id;
  for (let n = 2; ; n++) {
    const candidate = `${id}-${n}`;
    if (!(await taken(candidate))) return candidate;
  }
}
