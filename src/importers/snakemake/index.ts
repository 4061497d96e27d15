/**
 * Snakemake importer: a working directory (or its `.snakemake` folder) -> its latest run.
 * docs/formats.md has the mapping; jobs.ts says how the run's jobs are found and timed.
 *
 * Read: `.snakemake/log/*.snakemake.log` (the newest is the run; older ones give the threads of
 * jobs that are up to date), `.snakemake/metadata/` (times and input files of finished jobs), a
 * `--stats` JSON in the working directory (threads) and the jobs' `benchmark:` files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TraceError } from '../../errors.js';
import type { ParsedRun } from '../../store/records.js';
import type { Outcome } from '../common/outcome.js';
import { timeZoneNamed } from '../common/time-zone.js';
import { finalizeRun, mergeCapacity } from '../normalize.js';
import { capacityWarning } from '../tabular/common.js';
import type { ImportOptions, Importer, Sample, TraceInput } from '../types.js';
import { readBenchmark, readMetadata, readStats, type StatsFile } from './files.js';
import { buildJobs } from './jobs.js';
import { parseLog, type SnakemakeLog } from './log.js';

export const snakemakeImporter: Importer = {
  format: 'snakemake',
  describe: 'a Snakemake working directory, or its .snakemake folder (metadata records and logs)',
  detect: detectSnakemake,
  read: (input, options) => readSnakemake(input, options),
};

export interface SnakemakeLayout {
  /** The `.snakemake` folder. */
  state: string;
  /** The working directory: file names in records and logs are relative to it. */
  workdir: string;
}

/**
 * Where a folder's Snakemake state is: the folder is a working directory with `.snakemake/`
 * holding `metadata/` or `log/`, a `.snakemake` folder itself, or its `metadata` folder.
 */
export function snakemakeLayout(dir: string): SnakemakeLayout | null {
  const holdsRuns = (state: string) => isDir(path.join(state, 'metadata')) || isDir(path.join(state, 'log'));
  const inside = path.join(dir, '.snakemake');
  if (isDir(inside) && holdsRuns(inside)) return { state: inside, workdir: dir };
  if (path.basename(dir) === '.snakemake' && holdsRuns(dir)) return { state: dir, workdir: path.dirname(dir) };
  const parent = path.dirname(dir);
  if (path.basename(dir) === 'metadata' && path.basename(parent) === '.snakemake') return { state: parent, workdir: path.dirname(parent) };
  return null;
}

function isDir(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The files of a Snakemake layout that make up its trace (what its content hash covers). */
export function snakemakeFiles(layout: SnakemakeLayout): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  for (const part of ['metadata', 'log', 'incomplete']) walk(path.join(layout.state, part));
  files.push(...statsFiles(layout.workdir));
  return files.sort();
}

/** A working directory holding `.snakemake`, a `.snakemake` folder, or its `metadata` folder. */
export function detectSnakemake(sample: Sample): true | string {
  if (sample.kind !== 'dir') return '';
  const name = path.basename(sample.display.replace(/[\\/]+$/, ''));
  if (sample.entries.includes('.snakemake')) return true;
  if (name === '.snakemake' && (sample.entries.includes('metadata') || sample.entries.includes('log'))) return true;
  if (name === 'metadata' && path.basename(path.dirname(path.resolve(sample.display))) === '.snakemake') return true;
  return '';
}

/** Top-level JSON files of the working directory that are `--stats` output (they start with `{"total_runtime"`). */
function statsFiles(workdir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(workdir).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names) {
    const file = path.join(workdir, name);
    try {
      const fd = fs.openSync(file, 'r');
      const head = Buffer.alloc(64);
      const read = fs.readSync(fd, head, 0, 64, 0);
      fs.closeSync(fd);
      if (/^\s*\{\s*"total_runtime"\s*:/.test(head.subarray(0, read).toString('utf8'))) found.push(file);
    } catch {
      // unreadable: not a stats file
    }
  }
  return found;
}

/** A run, and the outcome of each of its tasks (until the run's task table holds outcomes). */
export type SnakemakeRun = ParsedRun & { outcome: (Outcome | null)[]; benchmarks: Map<number, Record<string, number>> };

export interface SnakemakeOptions extends ImportOptions {
  /** `--tz`: the zone of the log's times (else learned from the records). */
  timeZone?: string;
}

export async function readSnakemake(input: TraceInput, options: SnakemakeOptions): Promise<SnakemakeRun> {
  const layout = snakemakeLayout(input.path);
  if (layout === null) throw new TraceError(input.display, 'not a Snakemake working directory: no .snakemake folder with metadata/ or log/');
  const zone = options.timeZone === undefined ? null : timeZoneNamed(options.timeZone);
  const warnings: string[] = [];

  const logs = readLogs(layout, input.display);
  const [log, ...olderLogs] = logs.map((entry) => entry.log);
  if (olderLogs.length > 0) warnings.push(`the newest of ${logs.length} logs is the run read (${logs[0].name}); the older ones only give the threads of jobs up to date now`);

  const metadata = path.join(layout.state, 'metadata');
  const { records, unreadable } = isDir(metadata) ? readMetadata(metadata) : { records: [], unreadable: [] };
  if (unreadable.length > 0) warnings.push(`${unreadable.length} file(s) in .snakemake/metadata are not Snakemake records and were skipped (first: ${unreadable[0]})`);

  let stats: StatsFile | null = null;
  for (const file of statsFiles(layout.workdir)) {
    stats = readStats(file);
    if (stats) break;
  }
  const benchmarkFiles: string[] = [];
  const jobs = buildJobs({
    log: log ?? null,
    olderLogs,
    records,
    stats,
    zone,
    benchmark: (file) => {
      const figures = readBenchmark(path.resolve(layout.workdir, file));
      if (figures) benchmarkFiles.push(file);
      return figures;
    },
  });
  if (jobs.tasks.length === 0) throw new TraceError(input.display, 'no Snakemake jobs here: the logs started none and .snakemake/metadata holds no records');
  warnings.push(...jobs.warnings);
  if (benchmarkFiles.length > 0) warnings.push(`${benchmarkFiles.length} benchmark file(s) read (resource figures of their job)`);

  const capacity = mergeCapacity(jobs.capacity, options.capacity);
  capacityWarning(capacity, warnings);
  const run = finalizeRun({
    id: runId(layout, logs[0]?.name),
    format: 'snakemake',
    source: input.path,
    capacity,
    tasks: jobs.tasks,
    events: jobs.events,
    edges: jobs.edges,
    warnings,
  });
  return { ...run, outcome: jobs.outcome, benchmarks: jobs.benchmarks };
}

/** `.snakemake/log/*.snakemake.log`, newest first (their names are their start times). */
function readLogs(layout: SnakemakeLayout, display: string): { name: string; log: SnakemakeLog }[] {
  const folder = path.join(layout.state, 'log');
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter((name) => name.endsWith('.snakemake.log'));
  } catch {
    return [];
  }
  names.sort().reverse();
  return names.map((name) => {
    try {
      return { name, log: parseLog(fs.readFileSync(path.join(folder, name), 'utf8')) };
    } catch (error) {
      throw new TraceError(`${display}: .snakemake/log/${name}`, (error as Error).message);
    }
  });
}

/** The working directory's name and the run's start (`paper-example.2026-12-01T221430`). */
function runId(layout: SnakemakeLayout, logName: string | undefined): string {
  const base = path.basename(path.resolve(layout.workdir)) || 'snakemake';
  const stamp = logName?.replace(/\.\d+\.snakemake\.log$/, '').replace(/\.snakemake\.log$/, '');
  return stamp ? `${base}.${stamp}` : base;
}
