/**
 * Writing a synthetic run as the workflow systems of issue 17 write their traces, for the
 * benchmark (`asyncscope gen --format nextflow|snakemake|dask`):
 *
 * - nextflow: a trace with Nextflow's default fields (no start/complete: the importer derives the
 *   interval), human units, dates in UTC, rows in completion order as Nextflow writes them;
 * - snakemake: a working directory with one metadata record per job output and the run's log
 *   (Snakemake 7.21's layout); each task of a stage reads the output of one task of the stage
 *   before it in its pipeline, so the run has a DAG;
 * - dask: a task stream as JSON Lines, a compute action per task and a transfer before a third
 *   of them.
 *
 * The shapes follow the real files in traces/ and ../shared/traces/nextflow; the values are made up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { produceUserFile } from '../files/write.js';
import { STAGES, type SyntheticRun } from './workflow.js';
import { LineWriter } from './writers.js';

/** Task indexes by end time (then index): the order in which systems that log completions write them. */
function byEnd(run: SyntheticRun): Int32Array {
  const order = Int32Array.from({ length: run.id.length }, (_, i) => i);
  return order.sort((a, b) => run.end[a] - run.end[b] || a - b);
}

/** Nextflow's Duration.toString: `850ms`, `3.4s`, `4m 19s`, `1h 2m 3s`, `1d 2h`. */
export function nextflowDuration(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  let secs = Math.round(ms / 1000);
  let mins = Math.floor(secs / 60);
  secs %= 60;
  let hours = Math.floor(mins / 60);
  mins %= 60;
  const days = Math.floor(hours / 24);
  hours %= 24;
  const parts: string[] = [];
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (mins) parts.push(`${mins}m`);
  if (secs) parts.push(`${secs}s`);
  return parts.join(' ');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `yyyy-MM-dd HH:mm:ss.SSS` in UTC. */
function nextflowDate(seconds: number): string {
  const d = new Date(Math.round(seconds * 1000));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

function hex(i: number, width: number): string {
  return ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(Math.ceil(width / 8)).slice(0, width);
}

export function writeNextflowTrace(run: SyntheticRun, file: string): void {
  produceUserFile(file, 'trace', (target) => {
    const out = new LineWriter(target);
    out.line(['task_id', 'hash', 'native_id', 'name', 'status', 'exit', 'submit', 'duration', 'realtime', '%cpu', 'peak_rss', 'peak_vmem', 'rchar', 'wchar'].join('\t'));
    for (const i of byEnd(run)) {
      const submit = run.start[i] - 2 - (i % 7);
      const h = hex(i, 8);
      out.line(
        [
          i + 1,
          `${h.slice(0, 2)}/${h.slice(2)}`,
          100000 + i,
          `${run.type[i].toUpperCase()} (${run.pipeline[i]}:${i})`,
          'COMPLETED',
          0,
          nextflowDate(submit),
          nextflowDuration(run.end[i] - submit),
          nextflowDuration(run.end[i] - run.start[i]),
          `${(90 + (i % 100) / 10).toFixed(1)}%`,
          `${(100 + (i % 900)).toFixed(1)} MB`,
          `${(1 + (i % 9) / 10).toFixed(1)} GB`,
          `${(i % 500) + 1} MB`,
          `${(i % 300) + 1} KB`,
        ].join('\t'),
      );
    }
    out.close();
  });
}

/** Per task, the task of the previous stage of its pipeline whose output it reads (-1 for the first stage). */
function parentTasks(run: SyntheticRun): Int32Array {
  const parent = new Int32Array(run.id.length).fill(-1);
  const byStage = new Map<string, number[]>(); // `${pipeline}\0${type}` -> task indexes
  for (let i = 0; i < run.id.length; i++) {
    const key = `${run.pipeline[i]}\u0000${run.type[i]}`;
    const list = byStage.get(key) ?? [];
    list.push(i);
    byStage.set(key, list);
  }
  for (let i = 0; i < run.id.length; i++) {
    const stage = STAGES.find((s) => s.type === run.type[i])!;
    if (stage.after.length === 0) continue;
    const before = byStage.get(`${run.pipeline[i]}\u0000${stage.after[0]}`);
    if (before && before.length > 0) parent[i] = before[i % before.length];
  }
  return parent;
}

/** ctime as Snakemake prints it: `Tue Dec  1 22:14:48 2026`. */
function ctime(seconds: number): string {
  const d = new Date(Math.floor(seconds) * 1000);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${day} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

const outputOf = (run: SyntheticRun, i: number) => `results/${run.pipeline[i]}/${run.type[i]}/${i}.out`;

/** A Snakemake 7.21 working directory: `.snakemake/metadata/` (a record per output) and `.snakemake/log/`. */
export function writeSnakemakeWorkdir(run: SyntheticRun, dir: string): void {
  const parent = parentTasks(run);
  const metadata = path.join(dir, '.snakemake', 'metadata');
  fs.mkdirSync(metadata, { recursive: true });
  for (let i = 0; i < run.id.length; i++) {
    const output = outputOf(run, i);
    const input = parent[i] === -1 ? [] : [outputOf(run, parent[i])];
    const record = {
      version: null, rule: run.type[i], input, log: [], params: [], shellcmd: `run ${run.type[i]} ${i}`, incomplete: false,
      starttime: run.start[i], endtime: run.end[i], job_hash: 8742176267000 + i, conda_env: null, container_img_url: null,
    };
    fs.writeFileSync(path.join(metadata, Buffer.from(output).toString('base64url') + '='.repeat((3 - (Buffer.byteLength(output) % 3)) % 3)), JSON.stringify(record));
  }
  // The log: job blocks at their start, `Finished job` at their end, in time order.
  const first = Math.min(...run.start.slice(0, 10_000));
  const stamp = new Date(Math.floor(first) * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  const out = new LineWriter(path.join(dir, '.snakemake', 'log', `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 11)}${stamp.slice(11)}.000000.snakemake.log`));
  const cores = run.nodes * run.coresPerNode;
  out.line('Building DAG of jobs...');
  out.line('Using shell: /usr/bin/bash');
  out.line(`Provided cores: ${cores}`);
  out.line('Rules claiming more threads will be scaled down.');
  out.line(`Provided resources: gpu=${run.nodes * run.gpusPerNode}`);
  out.line('Job stats:');
  out.line('job          count    min threads    max threads');
  out.line('---------  -------  -------------  -------------');
  for (const stage of STAGES) {
    const count = run.type.filter((type) => type === stage.type).length;
    out.line(`${stage.type.padEnd(9)}  ${String(count).padStart(7)}  ${String(stage.cores).padStart(13)}  ${String(stage.cores).padStart(13)}`);
  }
  out.line(`${'total'.padEnd(9)}  ${String(run.id.length).padStart(7)}  ${String(4).padStart(13)}  ${String(32).padStart(13)}`);
  out.line('');
  const points = new Float64Array(2 * run.id.length);
  const order = Int32Array.from({ length: 2 * run.id.length }, (_, k) => k);
  for (let i = 0; i < run.id.length; i++) {
    points[2 * i] = run.start[i];
    points[2 * i + 1] = run.end[i];
  }
  order.sort((a, b) => points[a] - points[b] || a - b);
  let finished = 0;
  for (const k of order) {
    const i = k >> 1;
    out.line(`[${ctime(points[k])}]`);
    if ((k & 1) === 0) {
      out.line(`rule ${run.type[i]}:`);
      if (parent[i] !== -1) out.line(`    input: ${outputOf(run, parent[i])}`);
      out.line(`    output: ${outputOf(run, i)}`);
      out.line(`    jobid: ${i + 1}`);
      out.line(`    reason: Missing output files: ${outputOf(run, i)}`);
      if (run.cores[i] > 1) out.line(`    threads: ${run.cores[i]}`);
      out.line(`    resources: tmpdir=/tmp${run.gpus[i] > 0 ? `, gpu=${run.gpus[i]}` : ''}`);
      out.line('');
    } else {
      out.line(`Finished job ${i + 1}.`);
      out.line(`${++finished} of ${run.id.length} steps (${Math.floor((100 * finished) / run.id.length)}%) done`);
    }
  }
  out.line('Complete log: .snakemake/log/run.snakemake.log');
  out.close();
}

const PICKLED_NDARRAY = 'gAWVFQAAAAAAAACMBW51bXB5lIwHbmRhcnJheZSTlC4=';

/** A Dask task stream as JSON Lines (`ts.data`, one record per line). */
export function writeDaskTaskStream(run: SyntheticRun, file: string): void {
  produceUserFile(file, 'trace', (target) => {
    const out = new LineWriter(target);
    for (const i of byEnd(run)) {
      const node = Number(run.node[i].slice(4));
      const worker = `tcp://10.0.${node >> 8}.${node & 255}:8786`;
      const startstops: object[] = [];
      if (i % 3 === 1) {
        const source = `tcp://10.0.0.${(node + 1) % run.nodes}:8786`;
        startstops.push({ action: 'transfer', start: run.start[i] - 0.25, stop: run.start[i] - 0.01, source });
      }
      startstops.push({ action: 'compute', start: run.start[i], stop: run.end[i] });
      out.line(
        JSON.stringify({
          worker, nbytes: 8000 + (i % 1000), type: PICKLED_NDARRAY, typename: 'numpy.ndarray', metadata: {},
          thread: 140000000000000 + node * 1000 + (i % run.coresPerNode), startstops, status: 'OK',
          key: `('${run.type[i]}-${hex(i, 32)}', ${i})`,
        }),
      );
    }
    out.close();
  });
}
