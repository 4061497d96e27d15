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
 * The log is read line by line (a run of a million jobs logs hundreds of MB): `LogReader` calls
 * back as each job starts, finishes or fails. Times are printed in local time, to the second
 * (`[...]` lines): kept as "wall" seconds (the printed time read as if it were UTC); the caller
 * settles the zone. Snakemake 7 prints `threads:` only above 1; Snakemake 8 prints
 * `Finished jobid: 5 (Rule: A)` where 7 prints `Finished job 5.`; before 7.? the plan is
 * `Job counts:` with the count first.
 */

export interface LogJob {
  jobid: number;
  rule: string;
  input: string[];
  output: string[];
  benchmark: string[];
  wildcards: string | null;
  /** Threads the job ran with (1 when the block does not say, as Snakemake prints only more). */
  threads: number;
  /** `resources:` as printed (`tmpdir=/tmp, gpu=1`), numbers as numbers. */
  resources: Record<string, number | string>;
  /** Wall seconds of the `[time]` line before the block. */
  started: number;
}

export interface LogEvents {
  started?(job: LogJob): void;
  finished?(jobid: number, wall: number): void;
  failed?(jobid: number, wall: number): void;
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

/** Splits a printed list (`a, b, c`); Snakemake joins file names with `, `. */
function list(value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : value.split(', ').map((item) => item.trim()).filter((item) => item !== '');
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

export class LogReader {
  /** `Provided cores: N` (local runs), null when absent. */
  cores: number | null = null;
  /** `Provided cluster nodes: N`: a cluster run, whose cores are the cluster's. */
  clusterNodes: number | null = null;
  /** `Provided resources: gpu=2, mem_mb=1000`. */
  resources: Record<string, number | string> = {};
  /** Jobs per rule the run planned (`Job stats:`), in the order printed; empty when absent. */
  readonly planned = new Map<string, number>();
  /** Jobs started, per rule. */
  readonly startedPerRule = new Map<string, number>();
  /** A job failed (`Error in rule`), or Snakemake said it exits because one did. */
  failed = false;
  /** Snakemake reached its end (`Complete log:`, or an exit message). */
  complete = false;

  private now = NaN;
  private inStats = false;
  /** The block being read: a started job's (`rule X:`) or an error's. */
  private block: { kind: 'job' | 'error'; rule: string; fields: Map<string, string> } | null = null;

  constructor(private readonly events: LogEvents = {}) {}

  line(line: string): void {
    const first = line.charCodeAt(0);
    if (this.block !== null) {
      // `    key: value`: matched by hand, this runs for most lines of a large log.
      if (first === 32 || first === 9) {
        const colon = line.indexOf(':');
        if (colon > 0) {
          const key = line.slice(0, colon).trim();
          if (/^\w+$/.test(key)) {
            if (!this.block.fields.has(key)) this.block.fields.set(key, line.slice(colon + 1).trim());
            return;
          }
        }
      }
      this.closeBlock();
    }
    if (first === 91 /* [ */) {
      const stamp = STAMP.exec(line);
      if (stamp) {
        this.now = ctimeWall(line.slice(1, -1));
        return;
      }
    }
    if (this.inStats && this.statsRow(line)) return;
    // Lines of other kinds (`Select jobs to execute...`, `3 of 12 steps (25%) done`) start with other letters.
    if (first !== 114 /* r */ && first !== 108 /* l */ && first !== 99 /* c */ && first !== 69 /* E */ && first !== 70 /* F */ && first !== 74 /* J */ && first !== 80 /* P */ && first !== 67 /* C */ && first !== 78 /* N */) return;
    let m: RegExpExecArray | null;
    if ((m = JOB_HEADER.exec(line))) this.block = { kind: 'job', rule: m[1], fields: new Map() };
    else if ((m = ERROR_HEADER.exec(line))) {
      this.failed = true;
      this.block = { kind: 'error', rule: m[1], fields: new Map() };
    } else if ((m = FINISHED.exec(line))) this.events.finished?.(Number(m[1]), this.now);
    else if (line.startsWith('Job stats:') || line.startsWith('Job counts:')) this.inStats = true;
    else if ((m = /^Provided cores: (\d+)/.exec(line))) this.cores = Number(m[1]);
    else if ((m = /^Provided cluster nodes: (\d+)/.exec(line))) this.clusterNodes = Number(m[1]);
    else if ((m = /^Provided resources: (.*)$/.exec(line))) this.resources = parseResources(m[1]);
    else if (line.startsWith('Exiting because a job execution failed')) {
      this.failed = true;
      this.complete = true;
    } else if (line.startsWith('Complete log:') || line.startsWith('Nothing to be done')) this.complete = true;
  }

  /** The end of the log: closes a block still open. */
  end(): void {
    if (this.block !== null) this.closeBlock();
  }

  /**
   * A line of the `Job stats` table, or not (which ends the table). Snakemake 7.x prints
   * `A   1   1   1` under `job count min threads max threads`; before 7.?, `Job counts:` then
   * tab-indented `count jobs` rows (`\t1\tA`) and the total alone.
   */
  private statsRow(line: string): boolean {
    const row = /^(\S+)\s+(\d+)\b/.exec(line);
    const old = /^\s+(\d+)\s+(\S+)\s*$/.exec(line);
    if (row && row[1] !== 'total' && row[1] !== 'job') this.planned.set(row[1], Number(row[2]));
    else if (old && old[2] !== 'jobs') this.planned.set(old[2], Number(old[1]));
    else if (line.trim() === '' || !(row || old || /^[-\s]+$/.test(line) || /^\s*(job|count)\s/.test(line) || /^\s+\d+\s*$/.test(line))) {
      this.inStats = false;
      return false;
    }
    return true;
  }

  private closeBlock(): void {
    const { kind, rule, fields } = this.block!;
    this.block = null;
    const jobid = Number(fields.get('jobid'));
    if (!Number.isInteger(jobid)) return; // a rule listing without a job (e.g. --summary), not a started job
    if (kind === 'error') {
      this.events.failed?.(jobid, this.now);
      return;
    }
    this.startedPerRule.set(rule, (this.startedPerRule.get(rule) ?? 0) + 1);
    this.events.started?.({
      jobid,
      rule,
      input: list(fields.get('input')),
      output: list(fields.get('output')),
      benchmark: list(fields.get('benchmark')),
      wildcards: fields.get('wildcards') ?? null,
      threads: fields.has('threads') ? Number(fields.get('threads')) : 1,
      resources: parseResources(fields.get('resources') ?? ''),
      started: this.now,
    });
  }
}

/** A whole log's jobs with their ends, for tests and small logs. */
export interface ParsedLog {
  reader: LogReader;
  jobs: (LogJob & { finished: number | null; failed: number | null })[];
}

export function parseLog(text: string): ParsedLog {
  const jobs: ParsedLog['jobs'] = [];
  const byId = new Map<number, ParsedLog['jobs'][number]>();
  const reader = new LogReader({
    started: (job) => {
      const entry = { ...job, finished: null, failed: null };
      jobs.push(entry);
      byId.set(job.jobid, entry);
    },
    finished: (jobid, wall) => {
      const job = byId.get(jobid);
      if (job) job.finished = wall;
    },
    failed: (jobid, wall) => {
      const job = byId.get(jobid);
      if (job) job.failed = wall;
    },
  });
  for (const line of text.split(/\r?\n/)) reader.line(line);
  reader.end();
  return { reader, jobs };
}
