/**
 * Synthetic workflow runs for benchmarks: N tasks of several types over a DAG of stages, repeated in
 * overlapping pipelines, with seeded durations. Pure: the same options give the same tasks.
 *
 * The stage DAG imitates the ML-driven workflows of the paper (DeepDriveMD-like):
 *
 *   simulate -> aggregate -> train -> infer
 *                        \-> analyze
 *
 * Each pipeline runs the DAG once; pipeline k starts while pipeline k-1 is still running, so the trace
 * has the overlap of an asynchronous execution. Within a stage, tasks run in waves no wider than the
 * machine allows for their type.
 */
import { seededRandom } from '../util/seeded-random.js';

export interface SyntheticStage {
  type: string;
  /** Share of all tasks. */
  share: number;
  meanS: number;
  cores: number;
  gpus: number;
  after: string[];
}

export const STAGES: readonly SyntheticStage[] = [
  { type: 'simulate', share: 0.4, meanS: 300, cores: 4, gpus: 1, after: [] },
  { type: 'aggregate', share: 0.1, meanS: 80, cores: 32, gpus: 0, after: ['simulate'] },
  { type: 'train', share: 0.05, meanS: 60, cores: 4, gpus: 1, after: ['aggregate'] },
  { type: 'infer', share: 0.35, meanS: 40, cores: 16, gpus: 1, after: ['train'] },
  { type: 'analyze', share: 0.1, meanS: 100, cores: 4, gpus: 0, after: ['aggregate'] },
];

export interface SyntheticOptions {
  tasks: number;
  seed: number;
  /** Tasks per pipeline (one pass over the stage DAG); more tasks make more pipelines. */
  tasksPerPipeline?: number;
  /** Epoch of the first task start. */
  epoch?: number;
}

export interface SyntheticRun {
  nodes: number;
  coresPerNode: number;
  gpusPerNode: number;
  /** Columns, one entry per task. */
  id: string[];
  type: string[];
  stage: string[];
  pipeline: string[];
  cores: number[];
  gpus: number[];
  node: string[];
  start: number[];
  end: number[];
}

const CORES_PER_NODE = 168;
const GPUS_PER_NODE = 6;
/** Seconds between a stage's dependencies ending and its first task starting (middleware overhead). */
const STAGE_GAP_S = 5;

export function generateRun(options: SyntheticOptions): SyntheticRun {
  const random = seededRandom(options.seed);
  const perPipeline = Math.max(STAGES.length, options.tasksPerPipeline ?? 1000);
  const pipelines = Math.max(1, Math.round(options.tasks / perPipeline));
  const nodes = 16;
  const gpuSlots = nodes * GPUS_PER_NODE;
  const epoch = options.epoch ?? 1_700_000_000;
  const run: SyntheticRun = {
    nodes, coresPerNode: CORES_PER_NODE, gpusPerNode: GPUS_PER_NODE,
    id: [], type: [], stage: [], pipeline: [], cores: [], gpus: [], node: [], start: [], end: [],
  };

  let made = 0;
  for (let p = 0; p < pipelines; p++) {
    const pipeline = `pipeline.${String(p).padStart(6, '0')}`;
    const remaining = options.tasks - made;
    const pipelinesLeft = pipelines - p;
    const budget = Math.round(remaining / pipelinesLeft);
    // Pipelines overlap: each starts when the previous one's first stage is about half done.
    const pipelineStart = epoch + p * STAGES[0].meanS * 0.5;
    const stageEnd = new Map<string, number>();
    let assigned = 0;
    STAGES.forEach((stage, s) => {
      const count = s === STAGES.length - 1 ? budget - assigned : Math.max(1, Math.round(budget * stage.share));
      assigned += count;
      const ready = stage.after.length === 0 ? pipelineStart : Math.max(...stage.after.map((d) => stageEnd.get(d)!)) + STAGE_GAP_S;
      const width = Math.max(1, stage.gpus > 0 ? gpuSlots : Math.floor((nodes * CORES_PER_NODE) / stage.cores));
      let last = ready;
      for (let k = 0; k < count; k++) {
        const wave = Math.floor(k / width);
        const start = ready + wave * stage.meanS * 1.05 + (k % width) * 0.01 + random() * 0.5;
        const end = start + stage.meanS * (0.9 + 0.2 * random());
        const i = made + k;
        run.id.push(`task.${String(i).padStart(7, '0')}`);
        run.type.push(stage.type);
        run.stage.push(`${pipeline}/stage.${s}`);
        run.pipeline.push(pipeline);
        run.cores.push(stage.cores);
        run.gpus.push(stage.gpus);
        run.node.push(`node${String((k % width) % nodes).padStart(3, '0')}`);
        run.start.push(start);
        run.end.push(end);
        if (end > last) last = end;
      }
      made += count;
      stageEnd.set(stage.type, last);
    });
  }
  return run;
}
