/**
 * A Snakemake run's jobs from its log, its metadata records, its `--stats` JSON and its
 * benchmark files (see log.ts and files.ts for each):
 *
 * - The run is the newest log. Each job it started is a task: type the rule, threads as cores,
 *   GPUs from a `gpu`/`gpus`/`nvidia_gpu` resource (0 when the job claims none). A job that
 *   finished takes its times from its metadata records (start: its incomplete marker, end: its
 *   last output written; to the microsecond); a job without records (no output files, like a
 *   target rule `all`), one that failed and one cut off take the log's times (to the second), no
 *   earlier than the end of the jobs that made their inputs.
 * - Jobs the log planned (`Job stats`) and never started are tasks without times: `skipped` when a
 *   job of the run failed, else `pending` (a run cut short).
 * - Records of jobs the run did not start are outputs that were up to date: `cached` tasks, with
 *   their earlier times as `cached_start`/`cached_end` events and, when an older log started
 *   them, that log's threads.
 * - Dependencies: a job depends on the job that made each of its input files (log `input:`, the
 *   records' `input`).
 * - The log's times are local: the zone is learned from the jobs that have both a log time and a
 *   record (the offset that puts the printed seconds on the records' epoch, to the quarter hour),
 *   else `--tz`, else UTC with a warning.
 */
import { EdgeTable, EventTable, TaskTable, UNKNOWN_CAPACITY, type Capacity } from '../../store/records.js';
import type { Outcome } from '../common/outcome.js';
import { UTC, type TimeZone } from '../common/time-zone.js';
import { findCycle } from '../wfcommons/dag.js';
import type { MetadataRecord, StatsFile } from './files.js';
import type { LogJob, SnakemakeLog } from './log.js';

export interface SnakemakeSources {
  /** The run's log (the newest), or null when the working directory has none. */
  log: SnakemakeLog | null;
  /** Earlier runs' logs, newest first: threads of jobs that are up to date now. */
  olderLogs: SnakemakeLog[];
  records: MetadataRecord[];
  stats: StatsFile | null;
  /** `--tz`, when given: the zone of the log's times. */
  zone: TimeZone | null;
  /** Figures of a benchmark file (path relative to the working directory), or null. */
  benchmark: (file: string) => Record<string, number> | null;
}

export interface SnakemakeJobs {
  tasks: TaskTable;
  outcome: (Outcome | null)[];
  /** Absolute times (epoch seconds). */
  events: EventTable;
  edges: EdgeTable;
  capacity: Capacity;
  /** Benchmark figures by task index. */
  benchmarks: Map<number, Record<string, number>>;
  warnings: string[];
}

/** The outputs of one job of one run: records sharing a rule and job_hash. */
interface RecordJob {
  rule: string;
  outputs: string[];
  start: number;
  end: number;
  input: string[];
}

const GPU_RESOURCES = ['gpu', 'gpus', 'nvidia_gpu'];

function groupRecords(records: readonly MetadataRecord[]): { jobs: RecordJob[]; byOutput: Map<string, RecordJob> } {
  const jobs: RecordJob[] = [];
  const byKey = new Map<string, RecordJob>();
  const byOutput = new Map<string, RecordJob>();
  for (const record of records) {
    const key = record.jobHash === null ? `\u0001${record.output}` : `${record.rule}\u0000${record.jobHash}`;
    let job = byKey.get(key);
    if (job === undefined) {
      job = { rule: record.rule, outputs: [], start: Infinity, end: -Infinity, input: [] };
      byKey.set(key, job);
      jobs.push(job);
    }
    job.outputs.push(record.output);
    if (record.start < job.start) job.start = record.start;
    if (record.end > job.end) job.end = record.end;
    for (const file of record.input) if (!job.input.includes(file)) job.input.push(file);
    byOutput.set(record.output, job);
  }
  for (const job of jobs) {
    if (job.start === Infinity) job.start = NaN;
    if (job.end === -Infinity) job.end = NaN;
  }
  return { jobs, byOutput };
}

/** The records of a started job, when they are this run's (written after the job started). */
function recordsOf(job: LogJob, byOutput: Map<string, RecordJob>): RecordJob | null {
  if (job.finished === null || job.output.length === 0) return null;
  const found = job.output.map((output) => byOutput.get(output));
  if (found.some((record) => record === undefined)) return null;
  return found[0]!;
}

/**
 * The zone offset (s) that puts the log's wall times on the records' epoch: jobs with both say
 * `wall - offset = starttime` within the second the log truncates; the median, to 15 minutes.
 */
function learnOffset(pairs: readonly [number, number][]): number | null {
  if (pairs.length === 0) return null;
  const deltas = pairs.map(([wall, epoch]) => wall - epoch).sort((a, b) => a - b);
  return Math.round(deltas[deltas.length >> 1] / 900) * 900;
}

function wallParts(wall: number): [number, number, number, number, number, number] {
  const d = new Date(wall * 1000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
}

function gpusOf(resources: Record<string, unknown>): number {
  for (const name of GPU_RESOURCES) {
    const value = resources[name];
    if (typeof value === 'number' && value >= 0) return value;
  }
  return 0;
}

export function buildJobs(sources: SnakemakeSources): SnakemakeJobs {
  const { log, records } = sources;
  const warnings: string[] = [];
  const grouped = groupRecords(records);
  const tasks = new TaskTable();
  const outcome: (Outcome | null)[] = [];
  const events = new EventTable();
  const benchmarks = new Map<number, Record<string, number>>();
  const producer = new Map<string, number>();
  const inputsOf: string[][] = [];
  const add = (fields: Parameters<TaskTable['push']>[0], result: Outcome | null, inputs: string[], outputs: string[]): number => {
    const i = tasks.push(fields);
    outcome.push(result);
    inputsOf.push(inputs);
    for (const output of outputs) producer.set(output, i);
    return i;
  };
  const addBenchmarks = (task: number, files: readonly string[]) => {
    for (const file of files) {
      const figures = sources.benchmark(file);
      if (figures) benchmarks.set(task, figures);
    }
  };

  // The zone of the log's times.
  const jobs = log?.jobs ?? [];
  const matched = jobs.map((job) => recordsOf(job, grouped.byOutput));
  const pairs: [number, number][] = [];
  jobs.forEach((job, k) => {
    const record = matched[k];
    if (record && !Number.isNaN(job.started) && !Number.isNaN(record.start)) pairs.push([job.started, record.start]);
  });
  const offset = sources.zone === null ? learnOffset(pairs) : null;
  const zone = sources.zone ?? UTC;
  const epochOf = (wall: number | null): number => {
    if (wall === null || Number.isNaN(wall)) return NaN;
    return offset !== null ? wall - offset : zone.epoch(...wallParts(wall));
  };
  // A record older than the log's start of its job is an earlier run's (the job re-ran and did not finish).
  jobs.forEach((job, k) => {
    const record = matched[k];
    if (record && offset !== null && record.start < epochOf(job.started) - 2) matched[k] = null;
  });
  if (log !== null && jobs.length > 0) {
    if (sources.zone !== null) {
      // stated by the user
    } else if (offset !== null) {
      warnings.push(`the log's local times (to the second) are UTC${offset === 0 ? '' : `${offset > 0 ? '+' : '-'}${formatOffset(Math.abs(offset))}`}, learned from ${pairs.length} job(s) that also have metadata records`);
    } else if (jobs.length > 0) {
      warnings.push("the log's times are local time without a zone and no job has a metadata record to learn it from: read as UTC (give the zone with --tz)");
    }
  }

  // This run's jobs, in the order they started.
  const thisRunOutputs = new Set<string>();
  for (const job of jobs) for (const output of job.output) thisRunOutputs.add(output);
  const stats = sources.stats;
  let fromLog = 0;
  const startedPerRule = new Map<string, number>();
  jobs.forEach((job, k) => {
    startedPerRule.set(job.rule, (startedPerRule.get(job.rule) ?? 0) + 1);
    const record = matched[k];
    const statsEntry = job.output.map((output) => stats?.files.get(output)).find((entry) => entry !== undefined);
    const threads = Number.isFinite(job.threads) ? job.threads : (statsEntry?.threads ?? NaN);
    let start: number;
    let end: number;
    let state: string;
    let result: Outcome;
    if (record) {
      start = record.start;
      end = record.end;
      state = 'finished';
      result = 'done';
    } else {
      fromLog++;
      // No earlier than the end of the jobs that made its inputs (the log's second is truncated).
      let ready = -Infinity;
      for (const input of job.input) {
        const parent = producer.get(input);
        if (parent !== undefined && tasks.end[parent] > ready) ready = tasks.end[parent];
      }
      start = Math.max(epochOf(job.started), ready);
      if (job.failed !== null) {
        end = Math.max(start, epochOf(job.failed));
        state = 'failed';
        result = 'failed';
      } else if (job.finished !== null) {
        end = Math.max(start, epochOf(job.finished));
        state = 'finished';
        result = 'done';
      } else {
        end = NaN;
        state = 'incomplete';
        result = 'running';
      }
    }
    const task = add(
      {
        uid: job.output[0] ?? `${job.rule}#${job.jobid}`,
        name: job.wildcards ? `${job.rule} (${job.wildcards})` : job.rule,
        type: job.rule,
        state,
        cores: threads,
        gpus: gpusOf(job.resources),
        start,
        end,
      },
      result,
      job.input,
      job.output,
    );
    if (start === start) events.push(task, 'start', null, start);
    if (end === end) events.push(task, 'end', null, end);
    addBenchmarks(task, job.benchmark);
  });
  if (fromLog > 0) warnings.push(`${fromLog} job(s) without metadata records of this run (no output files, failed or cut off): their times come from the log, to the second`);

  // Planned jobs that never started.
  let notStarted = 0;
  for (const [rule, count] of log?.planned ?? []) {
    const missing = count - (startedPerRule.get(rule) ?? 0);
    for (let k = 1; k <= missing; k++) {
      add({ uid: `${rule}#not-started${missing > 1 ? `-${k}` : ''}`, name: rule, type: rule, state: 'not started' }, log!.failed ? 'skipped' : 'pending', [], []);
      notStarted++;
    }
  }
  if (notStarted > 0) {
    warnings.push(`${notStarted} planned job(s) never started (${log!.failed ? 'after a job failed: skipped' : 'the run stopped first: pending'}); the log names only their rules, so their files and dependencies are unknown`);
  }

  // Up-to-date outputs: records of jobs this run did not start.
  const olderThreads = new Map<string, LogJob>();
  for (const older of sources.olderLogs) for (const job of older.jobs) for (const output of job.output) if (!olderThreads.has(output)) olderThreads.set(output, job);
  let cached = 0;
  let cachedWithoutThreads = 0;
  for (const job of grouped.jobs) {
    if (job.outputs.some((output) => thisRunOutputs.has(output))) continue;
    const earlier = job.outputs.map((output) => olderThreads.get(output)).find((found) => found !== undefined);
    const thisRun = log === null;
    if (!thisRun) cached++;
    if (!earlier && !stats?.files.has(job.outputs[0])) cachedWithoutThreads++;
    const task = add(
      {
        uid: job.outputs[0],
        name: earlier?.wildcards ? `${job.rule} (${earlier.wildcards})` : job.rule,
        type: job.rule,
        state: thisRun ? 'finished' : 'up to date',
        cores: earlier?.threads ?? stats?.files.get(job.outputs[0])?.threads ?? NaN,
        gpus: earlier ? gpusOf(earlier.resources) : NaN,
        start: thisRun ? job.start : NaN,
        end: thisRun ? job.end : NaN,
      },
      thisRun ? 'done' : 'cached',
      job.input,
      job.outputs,
    );
    const prefix = thisRun ? '' : 'cached_';
    if (job.start === job.start) events.push(task, `${prefix}start`, null, job.start);
    if (job.end === job.end) events.push(task, `${prefix}end`, null, job.end);
    if (earlier) addBenchmarks(task, earlier.benchmark);
  }
  if (cached > 0) warnings.push(`${cached} job(s) were up to date (metadata records of earlier runs): cached, not executed in this run; their earlier times kept as cached_start/cached_end events`);
  if (log === null && grouped.jobs.length > 0) {
    warnings.push('no Snakemake log (.snakemake/log): every metadata record is taken as a job of one run, whatever run wrote it; jobs that failed or never started are unknown');
  }
  if (cachedWithoutThreads > 0) warnings.push(`${cachedWithoutThreads} job(s) have no threads in any log or stats file (Snakemake's metadata records do not keep them): cores unknown`);

  const edges = new EdgeTable();
  const seen = new Set<number>();
  inputsOf.forEach((inputs, child) => {
    for (const input of inputs) {
      const parent = producer.get(input);
      if (parent === undefined || parent === child) continue;
      const key = parent * tasks.length + child;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push(parent, child);
    }
  });
  const cycle = findCycle(tasks.length, edges);
  if (cycle) throw new Error(`the jobs' files depend on each other in a cycle: ${cycle.map((i) => tasks.uid[i]).join(' -> ')}`);

  return { tasks, outcome, events, edges, capacity: capacityOf(log, warnings), benchmarks, warnings };
}

function formatOffset(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** A local run's machine: `Provided cores` on one node, and its `Provided resources` GPUs. */
function capacityOf(log: SnakemakeLog | null, warnings: string[]): Capacity {
  if (log === null || log.cores === null || log.clusterNodes !== null) {
    if (log?.clusterNodes != null) warnings.push(`a cluster run (${log.clusterNodes} cluster jobs at a time): the log does not state the cluster's cores`);
    return { ...UNKNOWN_CAPACITY };
  }
  const gpus = GPU_RESOURCES.map((name) => log.resources[name]).find((value): value is number => typeof value === 'number');
  return { nodes: 1, coresPerNode: log.cores, gpusPerNode: gpus ?? null, cores: log.cores, gpus: gpus ?? null };
}
