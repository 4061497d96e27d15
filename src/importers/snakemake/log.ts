/**
 * A Snakemake run's log (`.snakemake/log/<start time>.snakemake.log`: what Snakemake printed on
 * stderr): the jobs the run planned, each job it started with its rule, files, job id, threads and
 * resources and the time it started, which jobs finished or failed and when, and the machine it
 * was given. Snakemake's metadata records say none of threads, resources or failures (and only
 * the files of finished jobs), so the log is what tells a run's jobs apart.
 *
 *   Provided cores: 4                      Job stats:            [Tue Dec  1 22:14:48 2026]
 *   Provided resources: gpu=2              job   count ...       rule process:
 *                                          A         1 ...           input: results/A/to_c.txt
 *   [Tue Dec  1 22:14:49 2026]             ...                       output: results/process/s2.txt
 *   Finished job 9.                        total    12 ...           jobid: 10
 *                                                                    wildcards: sample=s2
 *   [Tue Dec  1 22:14:51 2026]                                       threads: 2
 *   Error in rule B2:                                                resources: tmpdir=/tmp, gpu=1
 *       jobid: 3
 *
 * Times are printed in local time, to the second (`[...]` lines): kept here as "wall" seconds (the
 * printed time read as if it were UTC); the caller settles the zone. Snakemake 7 prints `threads:`
 * only above 1; Snakemake 8 prints `Finished jobid: 5 (Rule: A)` where 7 prints `Finished job 5.`.
 */

export interface LogJob {
  jobid: number;
  rule: string;
  input: string[];
  output: string[];
  log: string[];
  benchmark: string[];
  wildcards: string | null;
  /** Threads the job ran with (1 when the block does not say, as Snakemake prints only more). */
  threads: number;
  /** `resources:` as printed (`tmpdir=/tmp, gpu=1`), numbers as numbers. */
  resources: Record<string, number | string>;
  /** Wall seconds of the `[time]` line before the block. */
  started: number;
  finished: number | null;
  failed: number | null;
  /** Line of the block's `rule X:` line, for messages. */
  line: number;
}

export interface SnakemakeLog {
  /** `Provided cores: N` (local runs), null when absent. */
  cores: number | null;
  /** `Provided cluster nodes: N`: a cluster run, whose cores are the cluster's. */
  clusterNodes: number | null;
  /** `Provided resources: gpu=2, mem_mb=1000`. */
  resources: Record<string, number | string>;
  /** Jobs per rule the run planned (`Job stats:`), in the order printed; empty when absent. */
  planned: Map<string, number>;
  /** Jobs started, in log order. */
  jobs: LogJob[];
  /** A job failed (`Error in rule`), or Snakemake said it exits because one did. */
  failed: boolean;
  /** Snakemake reached its end (`Complete log:`, or an exit message). */
  complete: boolean;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const STAMP = /^\[(?:[A-Z][a-z]{2}) ([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})\]$/;

/** Wall seconds of a ctime text (`Tue Dec  1 22:14:48 2026`, as in the log and in stats.json), or NaN. */
export function ctimeWall(text: string): number {
  const m = STAMP.exec(`[${text.trim()}]`);
  if (!m || MONTHS[m[1]] === undefined) return NaN;
  return Date.UTC(Number(m[6]), MONTHS[m[1]], Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) / 1000;
}

const JOB_HEADER = /^(?:local)?(?:rule|checkpoint) (\S+):$/;
const ERROR_HEADER = /^Error in rule (\S+):$/;
const FINISHED = /^Finished job(?:id:)? (\d+)\b/;
const FIELD = /^\s+(\w+): ?(.*)$/;

/** Splits a printed list (`a, b, c`); Snakemake joins file names with `, `. */
function list(value: string): string[] {
  return value === '' ? [] : value.split(', ').map((item) => item.trim()).filter((item) => item !== '');
}

/** `tmpdir=/tmp, gpu=1, mem_mb=200` -> { tmpdir: '/tmp', gpu: 1, mem_mb: 200 }. */
export function parseResources(value: string): Record<string, number | string> {
  const resources: Record<string, number | string> = {};
  for (const item of list(value)) {
    const equals = item.indexOf('=');
    if (equals <= 0) continue;
    const text = item.slice(equals + 1);
    const number = Number(text);
    resources[item.slice(0, equals)] = text !== '' && Number.isFinite(number) ? number : text;
  }
  return resources;
}

export function parseLog(text: string): SnakemakeLog {
  const log: SnakemakeLog = { cores: null, clusterNodes: null, resources: {}, planned: new Map(), jobs: [], failed: false, complete: false };
  const byId = new Map<number, LogJob>();
  const lines = text.split(/\r?\n/);
  let now = NaN;
  let inStats = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const stamp = STAMP.exec(line);
    if (stamp) {
      now = ctimeWall(line.slice(1, -1));
      continue;
    }
    if (inStats) {
      // Snakemake 7.x: `A   1   1   1` under `job count min threads max threads`; before 7.?:
      // `Job counts:` then tab-indented `count jobs` rows (`\t1\tA`) and the total alone.
      const row = /^(\S+)\s+(\d+)\b/.exec(line);
      const old = /^\s+(\d+)\s+(\S+)\s*$/.exec(line);
      if (line.trim() === '' || (row === null && old === null && !/^[-\s]+$/.test(line) && !/^\s*(job|count)\s/.test(line) && !/^\s+\d+\s*$/.test(line))) inStats = false;
      else if (row && row[1] !== 'total' && row[1] !== 'job') log.planned.set(row[1], Number(row[2]));
      else if (old && old[2] !== 'jobs') log.planned.set(old[2], Number(old[1]));
      if (inStats) continue;
    }
    if (line.startsWith('Job stats:') || line.startsWith('Job counts:')) {
      inStats = true;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^Provided cores: (\d+)/.exec(line))) log.cores = Number(m[1]);
    else if ((m = /^Provided cluster nodes: (\d+)/.exec(line))) log.clusterNodes = Number(m[1]);
    else if ((m = /^Provided resources: (.*)$/.exec(line))) log.resources = parseResources(m[1]);
    else if ((m = JOB_HEADER.exec(line))) {
      const fields = blockFields(lines, i + 1);
      const jobid = Number(fields.get('jobid'));
      if (!Number.isInteger(jobid)) continue; // a rule listing without a job (e.g. --summary), not a started job
      const job: LogJob = {
        jobid,
        rule: m[1],
        input: list(fields.get('input') ?? ''),
        output: list(fields.get('output') ?? ''),
        log: list(fields.get('log') ?? ''),
        benchmark: list(fields.get('benchmark') ?? ''),
        wildcards: fields.get('wildcards') ?? null,
        threads: fields.has('threads') ? Number(fields.get('threads')) : 1,
        resources: parseResources(fields.get('resources') ?? ''),
        started: now,
        finished: null,
        failed: null,
        line: i + 1,
      };
      log.jobs.push(job);
      byId.set(jobid, job);
    } else if ((m = ERROR_HEADER.exec(line))) {
      log.failed = true;
      const jobid = Number(blockFields(lines, i + 1).get('jobid'));
      const job = byId.get(jobid);
      if (job) job.failed = now;
    } else if ((m = FINISHED.exec(line))) {
      const job = byId.get(Number(m[1]));
      if (job) job.finished = now;
    } else if (line.startsWith('Exiting because a job execution failed')) {
      log.failed = true;
      log.complete = true;
    } else if (line.startsWith('Complete log:') || line.startsWith('Nothing to be done')) {
      log.complete = true;
    }
  }
  return log;
}

/** The `    key: value` lines below a block header, up to the first line that is not one. */
function blockFields(lines: readonly string[], from: number): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = from; i < lines.length; i++) {
    const m = FIELD.exec(lines[i]);
    if (!m) break;
    if (!fields.has(m[1])) fields.set(m[1], m[2].trim());
  }
  return fields;
}
