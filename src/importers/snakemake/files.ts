/**
 * The files of a Snakemake working directory that describe its runs, besides the log (log.ts):
 *
 * - `.snakemake/metadata/`: one JSON record per output file Snakemake made, named by the output's
 *   path in URL-safe base64 (a name longer than the file system allows is cut into chunks, every
 *   chunk but the last a folder named `@` + chunk). A record holds the job's `rule`, `starttime`
 *   and `endtime` (epoch seconds; start = when the job's incomplete marker was written, end = the
 *   output's modification time), its `input` files and a `job_hash` shared by the outputs of one
 *   job of one run. Records stay from earlier runs (outputs that are up to date).
 * - `--stats` JSON (Snakemake 7 and before): per output file of this run's jobs, `resources`
 *   with `_cores` (the threads) and the rule's resources.
 * - `benchmark:` files: a TSV with a header and a row per repetition: `s` (wall seconds),
 *   `max_rss`, `max_vms`, `max_uss`, `max_pss` (MB), `io_in`, `io_out` (MB), `mean_load` (%),
 *   `cpu_time` (s). No times, no job id: the log's `benchmark:` line ties a file to its job.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TraceError } from '../../errors.js';
import { jsonSyntaxError } from '../json-errors.js';

/**
 * The records of a metadata folder, column by column (a workflow of a million jobs has a million
 * records), and the jobs they group into: the records of one job of one run share a rule and a
 * `job_hash`. Times in epoch seconds (NaN when a record has none).
 */
export class RecordStore {
  readonly output: string[] = [];
  readonly rule: string[] = [];
  readonly start: number[] = [];
  readonly end: number[] = [];
  /** Input files joined by newlines ('' for none): one string per record, not an array. */
  readonly inputs: string[] = [];
  readonly hash: (string | null)[] = [];
  readonly byOutput = new Map<string, number>();
  /** Files in the folder that are not records, relative to it. */
  readonly unreadable: string[] = [];
  /** Job of each record, and each job's records (CSR: jobRecords[jobFrom[j] .. jobFrom[j + 1])), set by `group()`. */
  jobOf = new Int32Array(0);
  jobFrom = new Int32Array(1);
  jobRecords = new Int32Array(0);
  private readonly rules = new Map<string, string>();

  get length(): number {
    return this.output.length;
  }

  get jobs(): number {
    return this.jobFrom.length - 1;
  }

  add(output: string, rule: string, start: number, end: number, inputs: string[], hash: string | null): void {
    let interned = this.rules.get(rule);
    if (interned === undefined) {
      interned = rule;
      this.rules.set(rule, rule);
    }
    this.byOutput.set(output, this.output.length);
    this.output.push(output);
    this.rule.push(interned);
    this.start.push(start);
    this.end.push(end);
    this.inputs.push(inputs.join('\n'));
    this.hash.push(hash);
  }

  /** Groups the records into jobs (by rule and job_hash; a record without a hash is a job alone), jobs in output order. */
  group(): void {
    const n = this.length;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const key = (i: number) => (this.hash[i] === null ? `\u0001${this.output[i]}` : `${this.rule[i]}\u0000${this.hash[i]}`);
    const keys = Array.from({ length: n }, (_, i) => key(i));
    order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : this.output[a] < this.output[b] ? -1 : 1));
    // Jobs numbered by their first output, so that the order does not depend on hashes.
    const firsts: number[] = [];
    for (let k = 0; k < n; k++) if (k === 0 || keys[order[k]] !== keys[order[k - 1]]) firsts.push(k);
    firsts.sort((a, b) => (this.output[order[a]] < this.output[order[b]] ? -1 : 1));
    this.jobOf = new Int32Array(n);
    this.jobFrom = new Int32Array(firsts.length + 1);
    this.jobRecords = new Int32Array(n);
    let filled = 0;
    firsts.forEach((from, j) => {
      this.jobFrom[j] = filled;
      for (let k = from; k < n && (k === from || keys[order[k]] === keys[order[from]]); k++) {
        this.jobRecords[filled++] = order[k];
        this.jobOf[order[k]] = j;
      }
    });
    this.jobFrom[firsts.length] = filled;
  }

  /** A job's records, its first output first. */
  recordsOf(job: number): Int32Array {
    return this.jobRecords.subarray(this.jobFrom[job], this.jobFrom[job + 1]);
  }

  /** A job's start (its earliest record start) and end (its latest record end). */
  timesOf(job: number): [number, number] {
    let start = Infinity;
    let end = -Infinity;
    for (const r of this.recordsOf(job)) {
      if (this.start[r] < start) start = this.start[r];
      if (this.end[r] > end) end = this.end[r];
    }
    return [start === Infinity ? NaN : start, end === -Infinity ? NaN : end];
  }
}

/** URL-safe base64 (with or without padding) to text. */
export function decodeName(name: string): string | null {
  if (!/^[A-Za-z0-9_=-]+$/.test(name)) return null;
  const text = Buffer.from(name.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  return text === '' || text.includes('\uFFFD') ? null : text;
}

/** Every record under a metadata folder, grouped into jobs; `onFile` sees each file's path (relative) and bytes. */
export function readMetadata(folder: string, onFile?: (file: string, bytes: Buffer) => void): RecordStore {
  const store = new RecordStore();
  const buffer = Buffer.allocUnsafe(64 * 1024);
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.startsWith('@')) walk(full, prefix + entry.name.slice(1));
        continue;
      }
      if (!entry.isFile()) continue;
      const output = decodeName(prefix + entry.name);
      if (output === null || !readRecord(full, output, buffer, store, onFile && ((bytes) => onFile(path.relative(folder, full), bytes)))) store.unreadable.push(path.relative(folder, full));
    }
  };
  walk(folder, '');
  store.group();
  return store;
}

/** Reads one record into the store; false when the file is not a record. Small files are read into one reused buffer. */
function readRecord(file: string, output: string, buffer: Buffer, store: RecordStore, onBytes?: (bytes: Buffer) => void): boolean {
  let json: unknown;
  try {
    const fd = fs.openSync(file, 'r');
    let bytes: Buffer;
    try {
      const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
      bytes = read < buffer.length ? buffer.subarray(0, read) : fs.readFileSync(file);
    } finally {
      fs.closeSync(fd);
    }
    onBytes?.(bytes);
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return false;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const r = json as Record<string, unknown>;
  if (typeof r.rule !== 'string') return false;
  const time = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : NaN);
  const inputs = Array.isArray(r.input) ? r.input.filter((item): item is string => typeof item === 'string') : [];
  store.add(output, r.rule, time(r.starttime), time(r.endtime), inputs, typeof r.job_hash === 'number' || typeof r.job_hash === 'string' ? String(r.job_hash) : null);
  return true;
}

export interface StatsFile {
  /** Output file -> its job's threads (`_cores`) and resources. */
  files: Map<string, { threads: number; resources: Record<string, unknown> }>;
  file: string;
}

/** A `--stats` JSON: an object with `total_runtime`, `rules` and `files`. Null when the file is not one. */
export function readStats(file: string): StatsFile | null {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new TraceError(file, `not valid JSON (${jsonSyntaxError(error).reason})`);
    throw error;
  }
  const r = json as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || !('total_runtime' in r) || typeof r.files !== 'object' || r.files === null) return null;
  const files = new Map<string, { threads: number; resources: Record<string, unknown> }>();
  for (const [output, value] of Object.entries(r.files as Record<string, unknown>)) {
    const resources = (value as { resources?: unknown })?.resources;
    if (typeof resources !== 'object' || resources === null) continue;
    const cores = (resources as Record<string, unknown>)._cores;
    files.set(output, { threads: typeof cores === 'number' ? cores : NaN, resources: resources as Record<string, unknown> });
  }
  return { files, file };
}

/** Statistics of a benchmark TSV: each column's mean over the repetitions; null when unreadable. */
export function readBenchmark(file: string): Record<string, number> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const rows = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (rows.length < 2) return null;
  const header = rows[0].split('\t');
  const sums = new Array<number>(header.length).fill(0);
  const counts = new Array<number>(header.length).fill(0);
  for (const row of rows.slice(1)) {
    row.split('\t').forEach((cell, k) => {
      const value = Number(cell);
      if (k < header.length && cell.trim() !== '' && Number.isFinite(value)) {
        sums[k] += value;
        counts[k]++;
      }
    });
  }
  const figures: Record<string, number> = {};
  header.forEach((name, k) => {
    if (counts[k] > 0 && name !== 'h:m:s') figures[name] = sums[k] / counts[k];
  });
  return Object.keys(figures).length === 0 ? null : figures;
}
