/**
 * Synthetic workflow runs for benchmarks: N tasks of several types over a DAG of stages, repeated in
 * overlapping pipelines, with seeded durations. Pure: the same options give the same tasks.
 *
 * The stage DAG imitates the ML-driven workflows of the paper (DeepDriveMD-like):
 *
 *   simulate -> aggregate -> train -> infer
 *                        \-> analyze
 *
 * Each pipeline runs the DAG once; pipeline k+1 is released when half of pipeline k's first stage
 * has ended, so the trace has the overlap of an asynchronous execution: one pipeline's CPU stages run
 * beside the next one's GPU stages. Tasks are placed by a list scheduler on the 16 nodes, as a
 * pilot system would: a task starts only when a node has its cores and GPUs free, so the trace
 * never uses more of the machine than it states (issue 13 point 16).
 */
import { MinHeap } from '../util/min-heap.js';
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

const NODES = 16;
const CORES_PER_NODE = 168;
const GPUS_PER_NODE = 6;
/** Seconds between a stage's dependencies ending and its tasks becoming ready (middleware overhead). */
const STAGE_GAP_S = 5;
/**
 * A task holds its cores and GPUs from a whole second LAUNCH_S before its start to a whole second
 * at least LAUNCH_S after its end (launch and clean-up). The margin keeps the trace within the
 * machine even in the formats that print times to the second (sacct) or durations rounded to it
 * (Nextflow), whose importers may move a start or an end by up to a second.
 */
const LAUNCH_S = 1;

export function generateRun(options: SyntheticOptions): SyntheticRun {
  const random = seededRandom(options.seed);
  const perPipeline = Math.max(STAGES.length, options.tasksPerPipeline ?? 1000);
  const pipelines = Math.max(1, Math.round(options.tasks / perPipeline));
  const epoch = Math.round(options.epoch ?? 1_700_000_000);
  const run: SyntheticRun = {
    nodes: NODES, coresPerNode: CORES_PER_NODE, gpusPerNode: GPUS_PER_NODE,
    id: [], type: [], stage: [], pipeline: [], cores: [], gpus: [], node: [], start: [], end: [],
  };

  // The tasks, pipeline by pipeline and stage by stage (their index is their priority: an earlier
  // pipeline's task goes first), with their durations and start jitter drawn in that order.
  const stageFirst: number[] = []; // per stage of a pipeline (p * STAGES.length + s): its first task and count
  const stageCount: number[] = [];
  // The budgets below add up to exactly options.tasks.
  const duration = new Float64Array(options.tasks);
  const jitter = new Float64Array(options.tasks);
  const stageOf = new Int32Array(options.tasks);
  let made = 0;
  for (let p = 0; p < pipelines; p++) {
    const pipeline = `pipeline.${String(p).padStart(6, '0')}`;
    const budget = Math.round((options.tasks - made) / (pipelines - p));
    let assigned = 0;
    STAGES.forEach((stage, s) => {
      const count = s === STAGES.length - 1 ? budget - assigned : Math.min(budget - assigned, Math.max(1, Math.round(budget * stage.share)));
      assigned += count;
      stageFirst.push(made);
      stageCount.push(count);
      for (let k = 0; k < count; k++) {
        run.id.push(`task.${String(made).padStart(7, '0')}`);
        run.type.push(stage.type);
        run.stage.push(`${pipeline}/stage.${s}`);
        run.pipeline.push(pipeline);
        run.cores.push(stage.cores);
        run.gpus.push(stage.gpus);
        jitter[made] = random() * 0.5;
        duration[made] = stage.meanS * (0.9 + 0.2 * random());
        stageOf[made] = p * STAGES.length + s;
        made++;
      }
    });
  }
  const placement = scheduleTasks({ pipelines, stageFirst, stageCount, duration, jitter, stageOf, epoch });
  for (let i = 0; i < made; i++) {
    run.node.push(`node${String(placement.node[i]).padStart(3, '0')}`);
    run.start.push(placement.start[i]);
    run.end.push(placement.start[i] + duration[i]);
  }
  return run;
}

interface ScheduleInput {
  pipelines: number;
  stageFirst: number[];
  stageCount: number[];
  duration: Float64Array;
  jitter: Float64Array;
  stageOf: Int32Array;
  epoch: number;
}

/** Children of each stage of the DAG, by index in STAGES. */
const STAGE_CHILDREN: number[][] = STAGES.map((stage) => STAGES.flatMap((other, c) => (other.after.includes(stage.type) ? [c] : [])));

/**
 * A discrete-event list scheduler: events (a task's resources freed, a stage becoming ready) come
 * out of a min-heap in time order; at each event time, ready tasks start while a node has room,
 * the earliest-made ready task first among the types that fit (one queue per type: tasks of a type
 * ask the same resources, so when the head of a queue does not fit, none of it does). Each task is
 * one heap push and pop and a first fit over the 16 nodes: linear in the tasks, 10^6 in well under
 * a second. Times are whole seconds (see LAUNCH_S) except each task's start and end.
 */
function scheduleTasks(input: ScheduleInput): { start: Float64Array; node: Int32Array } {
  const n = input.duration.length;
  const S = STAGES.length;
  const stages = input.pipelines * S;
  const start = new Float64Array(n);
  const node = new Int32Array(n);
  const freeCores = new Array<number>(NODES).fill(CORES_PER_NODE);
  const freeGpus = new Array<number>(NODES).fill(GPUS_PER_NODE);
  const pendingParents = new Int32Array(stages);
  const unfinished = Int32Array.from(input.stageCount);
  for (let g = 0; g < stages; g++) pendingParents[g] = STAGES[g % S].after.length;

  // Events: 0..n-1 a task's resources freed, n + g stage g ready; ties in index order.
  const eventTime = new Float64Array(n + stages);
  const events = new MinHeap((a, b) => eventTime[a] < eventTime[b] || (eventTime[a] === eventTime[b] && a < b), 1024);
  const queues = STAGES.map(() => new MinHeap((a, b) => a < b, 1024));
  let nextNode = 0;

  const release = (g: number, time: number): void => {
    eventTime[n + g] = time;
    events.push(n + g);
  };
  /** Stage g has ended at `time`: its children become ready after the gap, the next pipeline after a first stage. */
  const stageDone = (g: number, time: number): void => {
    const p = Math.floor(g / S);
    for (const c of STAGE_CHILDREN[g % S]) if (--pendingParents[p * S + c] === 0) release(p * S + c, time + STAGE_GAP_S);
  };
  /** Half of pipeline p's first stage has ended (or it has none): pipeline p + 1 may start. */
  const firstHalfDone = (p: number, time: number): void => {
    if (p + 1 < input.pipelines) release((p + 1) * S, time);
  };
  const fit = (s: number): number => {
    const { cores, gpus } = STAGES[s];
    for (let k = 0; k < NODES; k++) {
      const m = (nextNode + k) % NODES;
      if (freeCores[m] >= cores && freeGpus[m] >= gpus) return m;
    }
    return -1;
  };
  const dispatch = (time: number): void => {
    for (;;) {
      let best = -1;
      let bestNode = -1;
      for (let s = 0; s < S; s++) {
        const head = queues[s].peek();
        if (head === -1 || (best !== -1 && head > best)) continue;
        const m = fit(s);
        if (m !== -1) {
          best = head;
          bestNode = m;
        }
      }
      if (best === -1) return;
      const s = input.stageOf[best] % S;
      queues[s].pop();
      freeCores[bestNode] -= STAGES[s].cores;
      freeGpus[bestNode] -= STAGES[s].gpus;
      nextNode = (bestNode + 1) % NODES;
      node[best] = bestNode;
      start[best] = time + LAUNCH_S + input.jitter[best];
      eventTime[best] = Math.ceil(start[best] + input.duration[best]) + LAUNCH_S;
      events.push(best);
    }
  };

  release(0, input.epoch);
  while (events.size > 0) {
    const time = eventTime[events.peek()];
    while (events.size > 0 && eventTime[events.peek()] === time) {
      const e = events.pop();
      if (e >= n) {
        const g = e - n;
        const count = input.stageCount[g];
        if (count === 0) {
          stageDone(g, time);
          if (g % S === 0) firstHalfDone(g / S, time);
        }
        for (let k = 0; k < count; k++) queues[g % S].push(input.stageFirst[g] + k);
        continue;
      }
      const s = input.stageOf[e] % S;
      const g = input.stageOf[e];
      freeCores[node[e]] += STAGES[s].cores;
      freeGpus[node[e]] += STAGES[s].gpus;
      const left = --unfinished[g];
      if (s === 0 && input.stageCount[g] - left === Math.ceil(input.stageCount[g] / 2)) firstHalfDone(g / S, time);
      if (left === 0) stageDone(g, time);
    }
    dispatch(time);
  }
  return { start, node };
}
