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

export interface MetadataRecord {
  /** The output file (relative to the working directory, as Snakemake names it). */
  output: string;
  rule: string;
  /** Epoch seconds; NaN when the record has none. */
  start: number;
  end: number;
  input: string[];
  /** Outputs of one job of one run share it; null when the record has none. */
  jobHash: string | null;
  incomplete: boolean;
}

/** URL-safe base64 (with or without padding) to text. */
export function decodeName(name: string): string | null {
  if (!/^[A-Za-z0-9_=-]+$/.test(name)) return null;
  const text = Buffer.from(name.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  return text === '' || text.includes('\uFFFD') ? null : text;
}

/** Every record under a metadata folder, sorted by output path; files that are not records are counted. */
export function readMetadata(folder: string): { records: MetadataRecord[]; unreadable: string[] } {
  const records: MetadataRecord[] = [];
  const unreadable: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.startsWith('@')) walk(full, prefix + entry.name.slice(1));
        continue;
      }
      if (!entry.isFile()) continue;
      const output = decodeName(prefix + entry.name);
      const record = output === null ? null : readRecord(full, output);
      if (record === null) unreadable.push(path.relative(folder, full));
      else records.push(record);
    }
  };
  walk(folder, '');
  records.sort((a, b) => (a.output < b.output ? -1 : a.output > b.output ? 1 : 0));
  return { records, unreadable };
}

function readRecord(file: string, output: string): MetadataRecord | null {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const r = json as Record<string, unknown>;
  if (typeof r.rule !== 'string') return null;
  const time = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : NaN);
  return {
    output,
    rule: r.rule,
    start: time(r.starttime),
    end: time(r.endtime),
    input: Array.isArray(r.input) ? r.input.filter((item): item is string => typeof item === 'string') : [],
    jobHash: typeof r.job_hash === 'number' || typeof r.job_hash === 'string' ? String(r.job_hash) : null,
    incomplete: r.incomplete === true,
  };
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
