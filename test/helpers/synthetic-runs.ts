/**
 * Repeated runs of a small benchmark as CSV task tables (the tabular importer's format), each run's
 * task durations scaled by one random factor: the run-to-run noise of a CI machine. Eight one-GPU
 * simulations, then two aggregations beside four one-GPU trainings:
 *
 *     sim   |==========|                      (8 tasks, 100 s x f)
 *     agg               |=====|               (2 tasks, 50 s x f)
 *     train             |======|              (4 tasks, 60 s x f)
 *
 * so the makespan is about 162 s x f, with f = scale x (1 + noise x N(0, 1)) per run. A
 * synchronous run (`mode: 'sync'`) puts a barrier between agg and train: about 214 s x f, so
 * asynchronous execution is about 24% faster.
 */
import fs from 'node:fs';
import path from 'node:path';
import { normalSampler } from './random.js';

export interface RepeatOptions {
  runs: number;
  seed: number;
  /** Multiplies every duration: 1.2 makes a run 20% slower. */
  scale?: number;
  /** Relative standard deviation of the per-run factor. */
  noise?: number;
  /** 'sync': train waits for agg (a barrier), as a level-by-level execution does. */
  mode?: 'sync' | 'async';
}

/** Writes `runs` CSV files `<prefix>-<i>.csv` into `dir` (run ids are the file names) and returns their paths. */
export function writeRepeatedRuns(dir: string, prefix: string, options: RepeatOptions): string[] {
  const draw = normalSampler(options.seed);
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let r = 0; r < options.runs; r++) {
    const f = (options.scale ?? 1) * Math.max(0.2, 1 + (options.noise ?? 0.1) * draw(0, 1));
    const t0 = 1_700_000_000 + r * 10_000;
    const rows = ['task_id,type,start,end,cores,gpus'];
    let simEnd = 0;
    for (let i = 0; i < 8; i++) {
      const start = t0 + i * 0.05;
      const end = start + 100 * f * (1 + 0.005 * draw(0, 1));
      simEnd = Math.max(simEnd, end);
      rows.push(`sim-${i},sim,${start.toFixed(3)},${end.toFixed(3)},4,1`);
    }
    const next = simEnd + 2;
    let aggEnd = 0;
    for (let i = 0; i < 2; i++) {
      const end = next + 50 * f * (1 + 0.005 * draw(0, 1));
      aggEnd = Math.max(aggEnd, end);
      rows.push(`agg-${i},agg,${next.toFixed(3)},${end.toFixed(3)},8,0`);
    }
    const trainStart = options.mode === 'sync' ? aggEnd + 2 : next;
    for (let i = 0; i < 4; i++) rows.push(`train-${i},train,${trainStart.toFixed(3)},${(trainStart + 60 * f * (1 + 0.005 * draw(0, 1))).toFixed(3)},4,1`);
    const file = path.join(dir, `${prefix}-${r}.csv`);
    fs.writeFileSync(file, `${rows.join('\n')}\n`);
    files.push(file);
  }
  return files;
}
