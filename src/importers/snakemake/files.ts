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
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TraceError } from '../../errors.js';
import { jsonSyntaxError } from '../common/json-errors.js';

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
  /** `job_hash` (an integer in Snakemake 7: Python's hash() of the job); NaN when absent. */
  readonly hash: number[] = [];
  readonly byOutput = new Map<string, number>();
  /** Files in the folder that are not records, relative to it. */
  readonly unreadable: string[] = [];
  /** Job of each record, and each job's records (CSR: jobRecords[jobFrom[j] .. jobFrom[j + 1])), set by `group()`. */
  jobOf = new Int32Array(0);
  jobFrom = new Int32Array(1);
  jobRecords = new Int32Array(0);
  private readonly ruleIds = new Map<string, number>();
  private readonly ruleNames: string[] = [];
  private readonly ruleOf: number[] = [];

  get length(): number {
    return this.output.length;
  }

  get jobs(): number {
    return this.jobFrom.length - 1;
  }

  add(output: string, rule: string, start: number, end: number, inputs: string, hash: number): void {
    let id = this.ruleIds.get(rule);
    if (id === undefined) {
      id = this.ruleNames.length;
      this.ruleIds.set(rule, id);
      this.ruleNames.push(rule);
    }
    this.byOutput.set(output, this.output.length);
    this.output.push(output);
    this.rule.push(this.ruleNames[id]);
    this.ruleOf.push(id);
    this.start.push(start);
    this.end.push(end);
    this.inputs.push(inputs);
    this.hash.push(hash);
  }

  /**
   * Groups the records into jobs: records of one rule with one job_hash (a record without a hash
   * is a job alone). Records come in file order; a job's records keep it, and jobs are numbered by
   * their first record, so that neither depends on the hashes' values. Numbers only: a million
   * records sort in a fraction of a second.
   */
  group(): void {
    const n = this.length;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const hash = this.hash;
    const rule = this.ruleOf;
    order.sort((a, b) => rule[a] - rule[b] || (hash[a] !== hash[a] || hash[b] !== hash[b] ? a - b : hash[a] - hash[b] || a - b));
    const same = (a: number, b: number) => rule[a] === rule[b] && hash[a] === hash[b]; // NaN never equals: alone
    const firsts: number[] = [];
    for (let k = 0; k < n; k++) if (k === 0 || !same(order[k], order[k - 1])) firsts.push(k);
    firsts.sort((a, b) => order[a] - order[b]);
    this.jobOf = new Int32Array(n);
    this.jobFrom = new Int32Array(firsts.length + 1);
    this.jobRecords = new Int32Array(n);
    let filled = 0;
    firsts.forEach((from, j) => {
      this.jobFrom[j] = filled;
      for (let k = from; k < n && (k === from || same(order[k], order[from])); k++) {
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

/** A metadata file: its path relative to the metadata folder, and its name as base64 (the `@` chunks joined). */
export interface MetadataFile {
  relative: string;
  name: string;
}

/** The files of a metadata folder, sorted by relative path (names cut into `@` folders joined back). */
export function listMetadata(folder: string): MetadataFile[] {
  const files: MetadataFile[] = [];
  const walk = (dir: string, relative: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name.startsWith('@')) walk(path.join(dir, entry.name), child, prefix + entry.name.slice(1));
      } else if (entry.isFile()) {
        files.push({ relative: child, name: prefix + entry.name });
      }
    }
  };
  walk(folder, '', '');
  return files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

/**
 * What a slice of a metadata folder's files hold, column by column (as a worker thread hands it
 * back): per file, its record's fields (output null when the file is not a record) and the
 * SHA-256 of its bytes (32 bytes each in `digests`), for the run's content hash.
 */
export interface MetadataChunk {
  output: (string | null)[];
  rule: string[];
  start: Float64Array;
  end: Float64Array;
  inputs: string[];
  hash: Float64Array;
  digests: Uint8Array;
}

/** Reads the given files (paths relative to `folder`). Small files go through one reused buffer. */
export function readMetadataChunk(folder: string, files: readonly MetadataFile[]): MetadataChunk {
  const n = files.length;
  const chunk: MetadataChunk = { output: [], rule: [], start: new Float64Array(n), end: new Float64Array(n), inputs: [], hash: new Float64Array(n).fill(NaN), digests: new Uint8Array(32 * n) };
  const buffer = Buffer.allocUnsafe(64 * 1024);
  const time = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : NaN);
  for (let k = 0; k < n; k++) {
    const file = path.join(folder, files[k].relative);
    let record: Record<string, unknown> | null = null;
    try {
      const fd = fs.openSync(file, 'r');
      let bytes: Buffer;
      try {
        const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
        bytes = read < buffer.length ? buffer.subarray(0, read) : fs.readFileSync(file);
      } finally {
        fs.closeSync(fd);
      }
      chunk.digests.set(crypto.createHash('sha256').update(bytes).digest(), 32 * k);
      const json: unknown = JSON.parse(bytes.toString('utf8'));
      if (typeof json === 'object' && json !== null && !Array.isArray(json) && typeof (json as { rule?: unknown }).rule === 'string') record = json as Record<string, unknown>;
    } catch {
      record = null;
    }
    const output = record === null ? null : decodeName(files[k].name);
    chunk.output.push(output);
    if (output === null || record === null) {
      chunk.rule.push('');
      chunk.inputs.push('');
      continue;
    }
    chunk.rule.push(record.rule as string);
    chunk.start[k] = time(record.starttime);
    chunk.end[k] = time(record.endtime);
    chunk.inputs.push(Array.isArray(record.input) ? record.input.filter((item): item is string => typeof item === 'string').join('\n') : '');
    const jobHash = typeof record.job_hash === 'number' ? record.job_hash : typeof record.job_hash === 'string' && record.job_hash.trim() !== '' ? Number(record.job_hash) : NaN;
    chunk.hash[k] = Number.isFinite(jobHash) ? jobHash : NaN;
  }
  return chunk;
}

/** Adds a chunk's records to the store and its files' digests to the content hash, in file order. */
export function addChunk(store: RecordStore, files: readonly MetadataFile[], chunk: MetadataChunk, hash?: crypto.Hash): void {
  for (let k = 0; k < files.length; k++) {
    hash?.update(`${files[k].relative}\0`).update(chunk.digests.subarray(32 * k, 32 * k + 32));
    const output = chunk.output[k];
    if (output === null) store.unreadable.push(files[k].relative);
    else store.add(output, chunk.rule[k], chunk.start[k], chunk.end[k], chunk.inputs[k], chunk.hash[k]);
  }
}

/**
 * Every record under a metadata folder, grouped into jobs. Snakemake keeps one small file per
 * output, so a workflow of a million jobs is a million files: opening, reading and closing them is
 * most of its import (measured: 24 to 55 s for 10^6 files on the project's loaded 2-core machine,
 * before any parsing). Worker threads overlapped those calls by a third at best here, and took
 * the import past 1 GB (each thread's heap holds its share of the strings), so this reads them in
 * one thread.
 */
export function readMetadata(folder: string, hash?: crypto.Hash): RecordStore {
  const store = new RecordStore();
  const files = listMetadata(folder);
  addChunk(store, files, readMetadataChunk(folder, files), hash);
  store.group();
  return store;
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
