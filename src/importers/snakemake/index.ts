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
import crypto from 'node:crypto';
import { capacityWarning, finalizeRun, mergeCapacity } from '../common/normalize.js';
import type { Importer, ImportOptions, Sample, TraceInput } from '../importer.js';
import type { ParsedRun, RunHeader } from '../../run/parsed-run.js';
import { eachLine } from '../common/each-line.js';
import { MemoryRun, type RunSink } from '../common/run-sink.js';
import { timeZoneNamed } from '../common/time-zone.js';
import { readBenchmark, readMetadata, readStats, RecordStore, type StatsFile } from './files.js';
import { writeJobs } from './jobs.js';

export const snakemakeImporter: Importer = {
  format: 'snakemake',
  describe: 'a Snakemake working directory, or its .snakemake folder (metadata records and logs)',
  detect: detectSnakemake,
  // The content hash covers the records and logs only: a workflow's outputs beside them may be huge.
  hashesWhileReading: true,
  stream: async (input, options, open) => {
    const result = await readWorkdir(input, options, (header) => open(header));
    return { contentHash: result.contentHash, warnings: result.warnings };
  },
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

/** A run read whole, and the benchmark figures of its tasks (for tests and small traces). */
export type SnakemakeRun = ParsedRun & { benchmarks: Map<number, Record<string, number>> };

/** `timeZone` (`--tz`) is the zone of the log's times (else learned from the records). */
export type SnakemakeOptions = ImportOptions;

export async function readSnakemake(input: TraceInput, options: SnakemakeOptions): Promise<SnakemakeRun> {
  const memory = new MemoryRun();
  let header: RunHeader | undefined;
  const result = await readWorkdir(input, options, (h) => {
    header = h;
    return memory;
  });
  const run = finalizeRun({ ...header!, tasks: memory.tasks, events: memory.events, edges: memory.edges, warnings: result.warnings });
  return { ...run, benchmarks: result.benchmarks };
}

interface WorkdirResult {
  contentHash: string;
  warnings: string[];
  benchmarks: Map<number, Record<string, number>>;
}

/**
 * Reads a working directory's latest run into the sink `openSink` starts. The content hash covers
 * what is read (the metadata records, the logs, a stats file), each file by its path and bytes,
 * computed in the same pass: a workflow's outputs, beside them, are never read.
 */
async function readWorkdir(input: TraceInput, options: SnakemakeOptions, openSink: (header: RunHeader) => RunSink | Promise<RunSink>): Promise<WorkdirResult> {
  const layout = snakemakeLayout(input.path);
  if (layout === null) throw new TraceError(input.display, 'not a Snakemake working directory: no .snakemake folder with metadata/ or log/');
  const zone = options.timeZone === undefined ? null : timeZoneNamed(options.timeZone);
  const hash = crypto.createHash('sha256');
  const warnings: string[] = [];

  const logs = logFiles(layout);
  if (logs.length > 1) warnings.push(`the newest of ${logs.length} logs is the run read (${path.basename(logs[0])}); the older ones only give the threads of jobs up to date now`);
  const metadata = path.join(layout.state, 'metadata');
  const records = isDir(metadata) ? readMetadata(metadata, hash) : new RecordStore();
  if (records.unreadable.length > 0) warnings.push(`${records.unreadable.length} file(s) in .snakemake/metadata are not Snakemake records and were skipped (first: ${records.unreadable[0]})`);
  for (const log of logs) hash.update(`${path.relative(layout.state, log)}\0`);

  let stats: StatsFile | null | undefined;
  const benchmarkFiles: string[] = [];
  let header: RunHeader | null = null;
  const result = await writeJobs(
    {
      log: logs[0] ?? null,
      olderLogs: logs.slice(1),
      records,
      metadataDisplay: `${input.display}: ${path.relative(layout.workdir, metadata) || '.'}`,
      zone,
      eachLine: (file, onLine) => eachLine(file, `${input.display}: ${path.relative(layout.workdir, file)}`, file === logs[0] ? { onRaw: (chunk) => hash.update(chunk) } : {}, (text) => onLine(text)),
      stats: () => {
        if (stats === undefined) {
          stats = null;
          for (const file of statsFiles(layout.workdir)) {
            stats = readStats(file);
            if (stats) break;
          }
        }
        return stats;
      },
      benchmark: (file) => {
        const figures = readBenchmark(path.resolve(layout.workdir, file));
        if (figures) benchmarkFiles.push(file);
        return figures;
      },
    },
    (capacity) => {
      header = { id: runId(layout, logs[0]), format: 'snakemake', source: input.path, workflow: null, capacity: mergeCapacity(capacity, options.capacity), scheduled: true };
      return openSink(header);
    },
  );
  if (result.tasks === 0) throw new TraceError(input.display, 'no Snakemake jobs here: the logs started none and .snakemake/metadata holds no records');
  warnings.push(...result.warnings);
  if (benchmarkFiles.length > 0) warnings.push(`${benchmarkFiles.length} benchmark file(s) read (resource figures of their job)`);
  capacityWarning((header as RunHeader | null)!.capacity, warnings);
  return { contentHash: hash.digest('hex'), warnings, benchmarks: result.benchmarks };
}

/** `.snakemake/log/*.snakemake.log`, newest first (their names are their start times). */
function logFiles(layout: SnakemakeLayout): string[] {
  const folder = path.join(layout.state, 'log');
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter((name) => name.endsWith('.snakemake.log'));
  } catch {
    return [];
  }
  return names.sort().reverse().map((name) => path.join(folder, name));
}

/** The working directory's name and the run's start (`paper-example.2026-12-01T221430`). */
function runId(layout: SnakemakeLayout, log: string | undefined): string {
  const base = path.basename(path.resolve(layout.workdir)) || 'snakemake';
  const stamp = log === undefined ? undefined : path.basename(log).replace(/(\.\d+)?\.snakemake\.log$/, '');
  return stamp ? `${base}.${stamp}` : base;
}
