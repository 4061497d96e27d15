/** Small runs built in memory for the report's unit tests. */
import { NO_PROVENANCE } from '../../src/run/provenance.js';
import { analyzePrepared, prepareRun, seriesOfRun } from '../../src/analysis/analyze-run.js';
import { criticalPathJson, runCriticalPath } from '../../src/model/run-critical-path.js';
import { SERIES_BINS } from '../../src/report/gather.js';
import type { RunReport } from '../../src/report/report-data.js';
import { timelineData } from '../../src/report/timeline-data.js';
import { UNKNOWN_CAPACITY } from '../../src/run/capacity.js';
import { EdgeTable } from '../../src/run/edge-table.js';
import type { StoredRun } from '../../src/run/stored-run.js';
import type { TaskColumns } from '../../src/run/task-columns.js';
import { TaskTable } from '../../src/run/task-table.js';

export interface TaskSpec {
  type: string;
  start: number;
  end: number;
  cores?: number;
  gpus?: number;
}

export function columns(tasks: readonly TaskSpec[]): TaskColumns {
  return {
    length: tasks.length,
    start: Float64Array.from(tasks, (t) => t.start),
    end: Float64Array.from(tasks, (t) => t.end),
    cores: Float64Array.from(tasks, (t) => t.cores ?? 1),
    gpus: Float64Array.from(tasks, (t) => t.gpus ?? 0),
    type: tasks.map((t) => t.type),
    stage: [],
    pipeline: [],
  };
}

export function storedRun(label: string, capacity: { cores: number | null; gpus: number | null }, tasks: number): StoredRun {
  return {
    pk: 1, id: label, label, mode: 'async', workflow: null, format: 'test', source: 'test.csv', contentHash: label, importedAt: '', epoch: null, scheduled: true,
    capacity: { nodes: null, coresPerNode: null, gpusPerNode: null, ...capacity }, tasks, executed: tasks, incomplete: 0, makespanS: null, outcomes: {}, warnings: [], provenance: NO_PROVENANCE, typeFrom: null,
  };
}

/** A RunReport as gather.ts makes it, from tasks in memory. */
export function runReport(tasks: readonly TaskSpec[], capacity: { cores: number | null; gpus: number | null } = { cores: 16, gpus: 4 }, laneLimit?: number): RunReport {
  const run = storedRun('test-run', capacity, tasks.length);
  const prepared = prepareRun(columns(tasks), { by: 'type' });
  const analysis = analyzePrepared(run, prepared).json;
  return { run, analysis, series: seriesOfRun(prepared, SERIES_BINS), timeline: timelineData(prepared, analysis.groups, laneLimit), criticalPath: criticalPathOf(tasks, capacity) };
}

/** The critical path and waits of the tasks, as gather.ts gives them for a stored run. */
function criticalPathOf(tasks: readonly TaskSpec[], capacity: { cores: number | null; gpus: number | null }) {
  const table = new TaskTable();
  tasks.forEach((t, i) => table.push({ uid: `t${i}`, type: t.type, start: t.start, end: t.end, cores: t.cores ?? 1, gpus: t.gpus ?? 0 }));
  const data = { id: 'test-run', workflow: null, capacity: { ...UNKNOWN_CAPACITY, ...capacity }, scheduled: true, makespanS: null, tasks: table, edges: new EdgeTable() };
  const platform = capacity.cores === null ? null : { kind: 'pool' as const, cores: capacity.cores, gpus: capacity.gpus ?? 0 };
  return tasks.length === 0 ? null : criticalPathJson(data, runCriticalPath(data, { platform, staging: null }));
}

/** A seeded pseudo-random run: `n` tasks of `types` types spread over `span` seconds. */
export function randomTasks(n: number, types: number, span = 1000, seed = 7): TaskSpec[] {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, (_, i) => {
    const start = random() * span;
    return { type: `type-${i % types}`, start, end: start + 1 + random() * 50, cores: 1 + Math.floor(random() * 4), gpus: random() < 0.3 ? 1 : 0 };
  });
}
