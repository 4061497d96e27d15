/**
 * A Snakemake run's jobs from its log, its metadata records, its `--stats` JSON and its
 * benchmark files (see log.ts and files.ts for each), written into a run sink as the log is read:
 *
 * - The run is the newest log. Each job it started is a task, written when the log says it
 *   finished or failed (or at the end of the log: still running): type the rule, threads as
 *   cores, GPUs from a `gpu`/`gpus`/`nvidia_gpu` resource (0 when the job claims none). A job
 *   that finished takes its times from its metadata records (start: its incomplete marker, end:
 *   its last output written; to the microsecond); a job without records of this run (no output
 *   files, like a target rule `all`), one that failed and one cut off take the log's times (to
 *   the second), no earlier than the end of the jobs that made their inputs.
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
import { type Capacity, UNKNOWN_CAPACITY } from '../../run/capacity.js';
import { EdgeTable } from '../../run/edge-table.js';
import type { Outcome } from '../../run/outcome.js';
import type { RunSink } from '../common/run-sink.js';
import { UTC, type TimeZone } from '../common/time-zone.js';
import { TraceError } from '../../errors.js';
import { findCycle } from '../../run/edge-cycle.js';
import type { RecordStore, StatsFile } from './files.js';
import { LogReader, type LogJob } from './log.js';

export interface SnakemakeSources {
  /** The run's log (the newest), or null when the working directory has none. */
  log: string | null;
  /** Earlier runs' logs, newest first: threads of jobs that are up to date now. */
  olderLogs: string[];
  records: RecordStore;
  /** The metadata folder as the user's path names it, for errors. */
  metadataDisplay: string;
  /** `--tz`, when given: the zone of the log's times. */
  zone: TimeZone | null;
  /** Calls `onLine` with each line of a log; stops when it returns false. */
  eachLine(file: string, onLine: (line: string) => boolean | void): Promise<void>;
  /** The `--stats` JSON of the working directory, if any (read only when needed). */
  stats(): StatsFile | null;
  /** Figures of a benchmark file (path relative to the working directory), or null. */
  benchmark(file: string): Record<string, number> | null;
}

export interface JobsResult {
  warnings: string[];
  /** Benchmark figures by task index. */
  benchmarks: Map<number, Record<string, number>>;
  /** Tasks written. */
  tasks: number;
}

const GPU_RESOURCES = ['gpu', 'gpus', 'nvidia_gpu'];
/** Jobs with both a log time and a record that are enough to learn the log's zone. */
const ZONE_SAMPLES = 200;

function gpusOf(resources: Record<string, unknown>): number {
  for (const name of GPU_RESOURCES) {
    const value = resources[name];
    if (typeof value === 'number' && value >= 0) return value;
  }
  return 0;
}

function wallParts(wall: number): [number, number, number, number, number, number] {
  const d = new Date(wall * 1000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
}

function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  return `${sign}${String(Math.floor(abs / 3600)).padStart(2, '0')}:${String(Math.round((abs % 3600) / 60)).padStart(2, '0')}`;
}

/** The metadata job of a started job's outputs, when all of them have records of one job. */
function recordJobOf(records: RecordStore, job: LogJob): number {
  if (job.output.length === 0) return -1;
  let found = -1;
  for (const output of job.output) {
    const r = records.byOutput.get(output);
    if (r === undefined) return -1;
    const j = records.jobOf[r];
    if (found !== -1 && j !== found) return -1;
    found = j;
  }
  return found;
}

/**
 * The head of the log: its machine, and the zone offset of its times learned from the first jobs
 * that finished with records (the median of wall - record start, to 15 minutes).
 */
async function readHead(sources: SnakemakeSources, records: RecordStore): Promise<{ reader: LogReader; offset: number | null; pairs: number }> {
  const deltas: number[] = [];
  const started = new Map<number, LogJob>();
  const reader = new LogReader({
    started: (job) => void started.set(job.jobid, job),
    finished: (jobid) => {
      const job = started.get(jobid);
      started.delete(jobid);
      if (!job) return;
      const j = recordJobOf(records, job);
      if (j !== -1 && !Number.isNaN(job.started)) {
        const start = records.timesOf(j)[0];
        if (!Number.isNaN(start)) deltas.push(job.started - start);
      }
    },
  });
  await sources.eachLine(sources.log!, (line) => {
    reader.line(line);
    return deltas.length < ZONE_SAMPLES;
  });
  if (deltas.length === 0) return { reader, offset: null, pairs: 0 };
  deltas.sort((a, b) => a - b);
  return { reader, offset: Math.round(deltas[deltas.length >> 1] / 900) * 900, pairs: deltas.length };
}

/** A local run's machine: `Provided cores` on one node, and its `Provided resources` GPUs. */
function capacityOf(head: LogReader | null, warnings: string[]): Capacity {
  if (head === null || head.cores === null || head.clusterNodes !== null) {
    if (head?.clusterNodes != null) warnings.push(`a cluster run (${head.clusterNodes} cluster jobs at a time): the log does not state the cluster's cores`);
    return { ...UNKNOWN_CAPACITY };
  }
  const gpus = GPU_RESOURCES.map((name) => head.resources[name]).find((value): value is number => typeof value === 'number');
  return { nodes: 1, coresPerNode: head.cores, gpusPerNode: gpus ?? null, cores: head.cores, gpus: gpus ?? null };
}

/**
 * Writes the run's jobs into the sink that `open` starts (given the run's capacity). Tasks come in
 * this order: the log's jobs as they end, those still running, those never started, the cached.
 */
export async function writeJobs(sources: SnakemakeSources, open: (capacity: Capacity) => RunSink | Promise<RunSink>): Promise<JobsResult> {
  const { records } = sources;
  const warnings: string[] = [];
  const head = sources.log === null ? null : await readHead(sources, records);
  const offset = sources.zone === null ? (head?.offset ?? null) : null;
  const zone = sources.zone ?? UTC;
  const epochOf = (wall: number | null): number => {
    if (wall === null || Number.isNaN(wall)) return NaN;
    return offset !== null ? wall - offset : zone.epoch(...wallParts(wall));
  };
  const sink = await open(capacityOf(head?.reader ?? null, warnings));
  if (head !== null && sources.zone === null) {
    if (offset !== null) warnings.push(`the log's local times (to the second) are UTC${offset === 0 ? '' : formatOffset(offset)}, learned from ${head.pairs} job(s) that also have metadata records`);
    else warnings.push("the log's times are local time without a zone and no job has a metadata record to learn it from: read as UTC (give the zone with --tz)");
  }

  const benchmarks = new Map<number, Record<string, number>>();
  let tasks = 0;
  let endOf = new Float64Array(1024);
  /** Task of each record's output made in this run (-1: none yet); outputs without records in `madeElsewhere`. */
  const taskOfRecord = new Int32Array(records.length).fill(-1);
  const madeElsewhere = new Map<string, number>();
  /** Metadata jobs whose outputs this run (re)made: not cached. */
  const superseded = new Uint8Array(records.jobs);
  const taskOfJob = new Int32Array(records.jobs).fill(-1);
  const edges = new EdgeTable();
  /** Inputs made by cached jobs, whose tasks come last: [metadata job, child task]. */
  const laterParents: number[] = [];

  const push = (values: Parameters<RunSink['pushValues']>, end: number): number => {
    const t = tasks++;
    sink.pushValues(...values);
    if (t === endOf.length) {
      const grown = new Float64Array(endOf.length * 2);
      grown.set(endOf);
      endOf = grown;
    }
    endOf[t] = end;
    return t;
  };
  const producerOf = (file: string): number => {
    const r = records.byOutput.get(file);
    return r === undefined ? (madeElsewhere.get(file) ?? -1) : taskOfRecord[r];
  };
  const linkInputs = (child: number, inputs: readonly string[]): void => {
    const parents = new Set<number>();
    for (const input of inputs) {
      const parent = producerOf(input);
      if (parent !== -1 && parent !== child) parents.add(parent);
      else if (parent === -1) {
        const r = records.byOutput.get(input);
        if (r !== undefined) laterParents.push(records.jobOf[r], child);
      }
    }
    for (const parent of parents) edges.push(parent, child);
  };

  let fromLog = 0;
  /** Of those, jobs whose record could not time them (it ends before it starts, or has no start). */
  let unusableRecords = 0;
  const writeStarted = (job: LogJob, how: 'finished' | 'failed' | 'running', wall: number | null): void => {
    let j = how === 'finished' ? recordJobOf(records, job) : -1;
    let start: number;
    let end: number;
    if (j !== -1) {
      [start, end] = records.timesOf(j);
      // A record older than the log's start of the job is an earlier run's (the job re-ran and its output was not rewritten).
      if (offset !== null && start < epochOf(job.started) - 2) j = -1;
      // A record without a start, or whose output is older than its start (a damaged or hand-made
      // record, or an output copied with its old time), does not time the job: the log does.
      else if (!(end >= start)) {
        j = -1;
        unusableRecords++;
      }
    }
    if (j === -1) {
      fromLog++;
      // No earlier than the end of the jobs that made its inputs (the log's second is truncated).
      let ready = -Infinity;
      for (const input of job.input) {
        const parent = producerOf(input);
        if (parent !== -1 && endOf[parent] > ready) ready = endOf[parent];
      }
      start = Math.max(epochOf(job.started), ready);
      end = how === 'running' ? NaN : Math.max(start, epochOf(wall));
    }
    const state = how === 'running' ? 'incomplete' : how;
    const outcome: Outcome = how === 'finished' ? 'done' : how === 'failed' ? 'failed' : 'running';
    const t = push(
      [job.output[0] ?? `${job.rule}#${job.jobid}`, job.wildcards ? `${job.rule} (${job.wildcards})` : job.rule, job.rule, null, null, state, outcome, null, job.threads, gpusOf(job.resources), start!, end!, NaN, NaN, null, null],
      end!,
    );
    for (const output of job.output) {
      const r = records.byOutput.get(output);
      if (r === undefined) madeElsewhere.set(output, t);
      else {
        taskOfRecord[r] = t;
        superseded[records.jobOf[r]] = 1;
      }
    }
    if (start! === start!) sink.addEvent(t, 'start', null, start!);
    if (end! === end!) sink.addEvent(t, 'end', null, end!);
    linkInputs(t, job.input);
    for (const file of job.benchmark) {
      const figures = sources.benchmark(file);
      if (figures) benchmarks.set(t, figures);
    }
  };

  // The run's jobs, written as they end.
  let reader: LogReader | null = null;
  if (sources.log !== null) {
    const running = new Map<number, LogJob>();
    reader = new LogReader({
      started: (job) => void running.set(job.jobid, job),
      finished: (jobid, wall) => {
        const job = running.get(jobid);
        if (!job) return;
        running.delete(jobid);
        writeStarted(job, 'finished', wall);
      },
      failed: (jobid, wall) => {
        const job = running.get(jobid);
        if (!job) return;
        running.delete(jobid);
        writeStarted(job, 'failed', wall);
      },
    });
    await sources.eachLine(sources.log, (line) => void reader!.line(line));
    reader.end();
    for (const job of running.values()) writeStarted(job, 'running', null);
    const withoutRecords = fromLog - unusableRecords;
    if (withoutRecords > 0) warnings.push(`${withoutRecords} job(s) without metadata records of this run (no output files, failed or cut off): their times come from the log, to the second`);
    if (unusableRecords > 0) {
      warnings.push(`${unusableRecords} job(s) whose metadata record ends before it starts or has no start (damaged, or an output copied with its old time): their times come from the log, to the second`);
    }
  }

  // Planned jobs that never started.
  let notStarted = 0;
  for (const [rule, count] of reader?.planned ?? []) {
    const missing = count - (reader!.startedPerRule.get(rule) ?? 0);
    for (let k = 1; k <= missing; k++) {
      push([`${rule}#not-started${missing > 1 ? `-${k}` : ''}`, rule, rule, null, null, 'not started', reader!.failed ? 'skipped' : 'pending', null, NaN, NaN, NaN, NaN, NaN, NaN, null, null], NaN);
      notStarted++;
    }
  }
  if (notStarted > 0) {
    warnings.push(`${notStarted} planned job(s) never started (${reader!.failed ? 'after a job failed: skipped' : 'the run stopped first: pending'}); the log names only their rules, so their files and dependencies are unknown`);
  }

  // Up-to-date outputs (records of jobs this run did not start); without a log, every record's job is the run's.
  const thisRun = sources.log === null;
  const cachedJobs: number[] = [];
  for (let j = 0; j < records.jobs; j++) if (superseded[j] === 0) cachedJobs.push(j);
  const earlier = cachedJobs.length > 0 && !thisRun ? await olderBlocks(sources, records, cachedJobs) : new Map<number, LogJob>();
  const stats = cachedJobs.some((j) => !earlier.has(j)) ? sources.stats() : null;
  let withoutThreads = 0;
  for (const j of cachedJobs) {
    const rs = records.recordsOf(j);
    const first = rs[0];
    const [start, end] = records.timesOf(j);
    const block = earlier.get(j);
    const statsEntry = stats?.files.get(records.output[first]);
    const threads = block?.threads ?? statsEntry?.threads ?? NaN;
    if (Number.isNaN(threads)) withoutThreads++;
    const t = push(
      [
        records.output[first],
        block?.wildcards ? `${records.rule[first]} (${block.wildcards})` : records.rule[first],
        records.rule[first],
        null,
        null,
        thisRun ? 'finished' : 'up to date',
        thisRun ? 'done' : 'cached',
        null,
        threads,
        block ? gpusOf(block.resources) : statsEntry ? gpusOf(statsEntry.resources) : NaN,
        thisRun ? start : NaN,
        thisRun ? end : NaN,
        NaN,
        NaN,
        null,
        null,
      ],
      thisRun ? end : NaN,
    );
    taskOfJob[j] = t;
    for (const r of rs) taskOfRecord[r] = t;
    const prefix = thisRun ? '' : 'cached_';
    if (start === start) sink.addEvent(t, `${prefix}start`, null, start);
    if (end === end) sink.addEvent(t, `${prefix}end`, null, end);
    for (const file of block?.benchmark ?? []) {
      const figures = sources.benchmark(file);
      if (figures) benchmarks.set(t, figures);
    }
  }
  // Their dependencies, once every task has its index.
  for (const j of cachedJobs) {
    const inputs = new Set<string>();
    for (const r of records.recordsOf(j)) if (records.inputs[r] !== '') for (const input of records.inputs[r].split('\n')) inputs.add(input);
    const child = taskOfJob[j];
    const parents = new Set<number>();
    for (const input of inputs) {
      const parent = producerOf(input);
      if (parent !== -1 && parent !== child) parents.add(parent);
    }
    for (const parent of parents) edges.push(parent, child);
  }
  for (let k = 0; k < laterParents.length; k += 2) {
    const parent = taskOfJob[laterParents[k]];
    if (parent !== -1) edges.push(parent, laterParents[k + 1]);
  }
  if (cachedJobs.length > 0 && !thisRun) warnings.push(`${cachedJobs.length} job(s) were up to date (metadata records of earlier runs): cached, not executed in this run; their earlier times kept as cached_start/cached_end events`);
  if (thisRun && cachedJobs.length > 0) {
    warnings.push('no Snakemake log (.snakemake/log): every metadata record is taken as a job of one run, whatever run wrote it; jobs that failed or never started are unknown');
  }
  if (withoutThreads > 0) warnings.push(`${withoutThreads} job(s) have no threads in any log or stats file (Snakemake's metadata records do not keep them): cores unknown`);

  const cycle = findCycle(tasks, edges);
  if (cycle) throw new TraceError(sources.metadataDisplay, `the records' files depend on each other in a cycle (jobs ${cycle.map((task) => task + 1).join(' -> ')} in the order of the run)`);
  for (let e = 0; e < edges.length; e++) sink.addEdge(edges.parent[e], edges.child[e]);
  return { warnings, benchmarks, tasks };
}

/** Blocks of older logs that started the given metadata jobs (newest log first): their threads, wildcards, resources. */
async function olderBlocks(sources: SnakemakeSources, records: RecordStore, jobs: readonly number[]): Promise<Map<number, LogJob>> {
  const wanted = new Set(jobs);
  const found = new Map<number, LogJob>();
  for (const file of sources.olderLogs) {
    const reader = new LogReader({
      started: (job) => {
        const r = job.output.length === 0 ? undefined : records.byOutput.get(job.output[0]);
        if (r === undefined) return;
        const j = records.jobOf[r];
        if (wanted.has(j) && !found.has(j)) found.set(j, job);
      },
    });
    await sources.eachLine(file, (line) => void reader.line(line));
    reader.end();
    if (found.size === wanted.size) break;
  }
  return found;
}

