/**
 * From sacct records to tasks.
 *
 * A task is a job allocation: a job, each element of a job array (a pending range `14_[4-8%3]`
 * becomes one pending task per element), each component of a heterogeneous job. Its steps
 * (`.batch`, `.extern`, `.0`, ...) are phases of it, kept as events `<step>_start`/`<step>_end`
 * with the step's state (`batch_start`, `step0_end`, ...), beside `submit`, `eligible`, `start`
 * and `end`. A job that sacct lists more than once in a row (`sacct -D`: requeued) keeps its last
 * record; the earlier ones become `attempt_start`/`attempt_end` events with their own state.
 *
 * With `stepsAsTasks`, each step is a task instead (stage: its allocation), except `.extern`
 * (Slurm's container around the allocation, which runs nothing of the user's) and `.batch` or
 * `.interactive` when numbered steps do the work (the batch script then only launches them, and
 * counting it too would count the same CPUs twice). An allocation without such steps stays one
 * task.
 *
 * Dependencies come from submit lines (dependencies.ts), resolved once every record was read.
 * Records arrive grouped as sacct prints them: an allocation, then its steps.
 */
import { TraceError } from '../../errors.js';
import type { Outcome } from '../../run/outcome.js';
import { TaskEvents, type RunRecorder, type TaskRecord } from '../common/recorder.js';
import type { NodeUse } from './capacity.js';
import { dependenciesOf, type Dependency } from './dependencies.js';
import { EdgeTable } from '../../run/edge-table.js';
import { findCycle } from '../../run/edge-cycle.js';
import { arrayIndexes, stepPhase } from './job-id.js';
import { placeOf, type SacctRecord } from './record.js';
import { breaksAfterOk, slurmOutcome } from './states.js';

/** At most this many elements are made of one pending array record. */
const MAX_ARRAY_ELEMENTS = 10_000_000;

export interface AssembleOptions {
  display: string;
  stepsAsTasks: boolean;
  /** Submit lines may name dependencies: remember which task each job id is. */
  dependencies: boolean;
  /** Where executed tasks ran, for inferring the machine (capacity.ts); null when not needed. */
  nodeUse: NodeUse | null;
}

interface Pending {
  record: SacctRecord;
  steps: SacctRecord[];
  attempts: SacctRecord[];
}

export class SacctAssembler {
  private pending: Pending | null = null;
  private readonly events = new TaskEvents();
  private readonly task: TaskRecord = {
    uid: '', name: null, type: '', stage: null, pipeline: null, state: null, outcome: null, node: null, cores: NaN, gpus: NaN, start: NaN, end: NaN,
  };
  /**
   * Task indexes of each job id a dependency may name (printed allocation id, array or het base
   * id, raw id), and of each job listed, to find repeats: plain ids (most) keyed by their number,
   * which a Map hashes much faster than text at a million jobs.
   */
  private readonly tasksOf = new JobIndex();
  /** Where each allocation was, by the index of its first task (to name both places of a repeat). */
  private readonly firstPlace: (number | string)[] = [];
  private readonly outcomes: (Outcome | null)[] = [];
  private readonly waiting: { children: number[]; dependencies: Dependency[]; record: SacctRecord }[] = [];
  private readonly phaseNames = new Map<string, readonly [string, string]>();
  private taskCount = 0;
  private orphanSteps = 0;
  private firstOrphan = '';
  readonly counts = { allocations: 0, steps: 0 };

  constructor(
    private readonly recorder: RunRecorder,
    private readonly options: AssembleOptions,
  ) {}

  add(record: SacctRecord): void {
    if (record.id.step === null) {
      this.counts.allocations++;
      const current = this.pending;
      if (current && current.record.id.allocation === record.id.allocation && record.id.arrayPending === null) {
        // The same job again (sacct -D shows each requeue): the earlier record was an attempt.
        current.attempts.push(current.record);
        current.record = record;
        current.steps = [];
        return;
      }
      if (current) this.flush(current);
      this.pending = { record, steps: [], attempts: [] };
      return;
    }
    this.counts.steps++;
    if (this.pending && this.pending.record.id.allocation === record.id.allocation) {
      this.pending.steps.push(record);
      return;
    }
    // A step whose allocation is not in the output (sacct -j 15.0, or a state filter).
    if (this.options.stepsAsTasks) {
      this.emitStep(record, null);
    } else {
      if (this.orphanSteps++ === 0) this.firstOrphan = `${record.id.allocation}.${record.id.step} (${placeOf(record)})`;
    }
  }

  /** Writes what is still held, resolves dependencies into edges; returns warnings. */
  finish(): string[] {
    if (this.pending) this.flush(this.pending);
    this.pending = null;
    const warnings: string[] = [];
    if (this.orphanSteps > 0) {
      warnings.push(`${this.orphanSteps} step(s) without their job's record were left out (the first: ${this.firstOrphan}); sacct without -X filters, or with -j naming steps, prints such steps`);
    }
    warnings.push(...this.resolveDependencies());
    return warnings;
  }

  get tasks(): number {
    return this.taskCount;
  }

  private flush(pending: Pending): void {
    const record = pending.record;
    const key = record.id.allocation;
    const earlier = this.tasksOf.get(key);
    if (earlier !== undefined) {
      const place = this.firstPlace[typeof earlier === 'number' ? earlier : earlier[0]];
      throw new TraceError(this.options.display, `job ${key} is listed again (first at ${typeof place === 'number' ? `line ${place}` : place}), apart from its first record`, record.line);
    }
    if (record.id.arrayPending !== null) {
      this.emitPendingRange(record);
      return;
    }
    let indexes: number[];
    if (this.options.stepsAsTasks) {
      const numbered = pending.steps.some((step) => /^\d+$/.test(step.id.step!));
      const work = pending.steps.filter((step) => step.id.step !== 'extern' && (!numbered || /^\d+$/.test(step.id.step!)));
      indexes = work.length > 0 ? work.map((step) => this.emitStep(step, record)) : [this.emitAllocation(pending)];
    } else {
      indexes = [this.emitAllocation(pending)];
    }
    this.register(record, indexes);
  }

  private emitAllocation({ record, steps, attempts }: Pending): number {
    const events = this.events;
    events.clear();
    events.add('submit', null, record.submit);
    events.add('eligible', null, record.eligible);
    for (const attempt of attempts) {
      events.add('attempt_start', attempt.state, attempt.start);
      events.add('attempt_end', attempt.state, attempt.end);
    }
    events.add('start', null, record.start);
    for (const step of steps) {
      const [start, end] = this.phaseEvents(step.id.step!);
      events.add(start, step.state, step.start);
      events.add(end, step.state, step.end);
    }
    events.add('end', null, record.end);
    const task = this.describe(record);
    task.stage = record.id.arrayIndex !== null || record.id.hetOffset !== null ? record.id.base : null;
    task.pipeline = null;
    task.outcome = this.outcomeOf(record);
    return this.write(task, record);
  }

  /**
   * `batch_start` and `batch_end` of step `batch`: made once per step name, not twice per step (at
   * a million jobs, two million strings that the batch dictionary then hashed one by one).
   */
  private phaseEvents(step: string): readonly [string, string] {
    let names = this.phaseNames.get(step);
    if (names === undefined) {
      const phase = stepPhase(step);
      names = [`${phase}_start`, `${phase}_end`];
      if (this.phaseNames.size < 1024) this.phaseNames.set(step, names);
    }
    return names;
  }

  /** A step as a task of its own (`stepsAsTasks`); `allocation` null for a step without one. */
  private emitStep(step: SacctRecord, allocation: SacctRecord | null): number {
    const events = this.events;
    events.clear();
    events.add('start', null, step.start);
    events.add('end', null, step.end);
    const task = this.describe(step);
    const isScript = step.id.step === 'batch' || step.id.step === 'interactive';
    task.uid = `${step.id.allocation}.${step.id.step}`;
    task.type = (isScript ? allocation?.name : step.name) ?? task.type;
    task.stage = step.id.allocation;
    task.pipeline = step.id.arrayIndex !== null || step.id.hetOffset !== null ? step.id.base : null;
    task.outcome = slurmOutcome(step.state);
    const index = this.write(task, step);
    if (allocation === null) this.register(step, [index]);
    return index;
  }

  /** `14_[4-8%3]`: one pending task per element, each with the record's submit time. */
  private emitPendingRange(record: SacctRecord): void {
    let indexes: number[];
    try {
      indexes = arrayIndexes(record.id.arrayPending!, MAX_ARRAY_ELEMENTS);
    } catch (error) {
      throw new TraceError(this.options.display, (error as Error).message, record.line, 'JobID');
    }
    const tasks: number[] = [];
    for (const element of indexes) {
      this.events.clear();
      this.events.add('submit', null, record.submit);
      this.events.add('eligible', null, record.eligible);
      const task = this.describe(record);
      task.uid = `${record.id.base}_${element}`;
      task.stage = record.id.base;
      task.pipeline = null;
      task.start = NaN;
      task.end = NaN;
      task.outcome = this.outcomeOf(record);
      const index = this.write(task, record);
      tasks.push(index);
      this.remember(task.uid, index);
    }
    this.remember(record.id.base, tasks);
    this.queueDependencies(record, tasks);
  }

  /** The fields every kind of task takes from its record. */
  private describe(record: SacctRecord): TaskRecord {
    const task = this.task;
    task.uid = record.id.allocation;
    task.name = record.name;
    task.type = record.name ?? 'job';
    task.state = record.state;
    task.node = record.nodeList;
    task.cores = record.cpus;
    task.gpus = record.gpus;
    task.start = record.start;
    // A job cancelled before it started has an End (when it left the queue) and no Start: it did
    // not run, so it has no execution interval (the End stays as its `end` event).
    task.end = record.start === record.start ? record.end : NaN;
    return task;
  }

  private write(task: TaskRecord, record: SacctRecord): number {
    const index = this.recorder.addTask(task, this.events);
    this.firstPlace[index] = record.line ?? placeOf(record);
    this.taskCount++;
    this.outcomes.push(task.outcome);
    const use = this.options.nodeUse;
    if (use && task.start === task.start && record.nodeList !== null) use.add(record.nodeList, task.cores, task.gpus, task.start, task.end);
    return index;
  }

  /**
   * The state's outcome; a job still pending whose `afterok` parent already failed can never run
   * (Slurm: DependencyNeverSatisfied), so it is `skipped`.
   */
  private outcomeOf(record: SacctRecord): Outcome | null {
    const outcome = slurmOutcome(record.state);
    if (outcome !== 'pending' || record.submitLine === null || !this.options.dependencies || !mayDepend(record.submitLine)) return outcome;
    for (const dependency of dependenciesOf(record.submitLine)) {
      if (dependency.kind !== 'afterok') continue;
      const parents = this.tasksOf.get(dependency.job);
      if (parents === undefined) continue;
      for (const parent of typeof parents === 'number' ? [parents] : parents) {
        if (breaksAfterOk(this.outcomes[parent])) return 'skipped';
      }
    }
    return outcome;
  }

  private register(record: SacctRecord, indexes: number[]): void {
    const id = record.id;
    this.remember(id.allocation, indexes.length === 1 ? indexes[0] : indexes);
    if (id.arrayIndex !== null || id.hetOffset !== null) this.remember(id.base, indexes);
    if (record.rawId !== null) {
      const dot = record.rawId.indexOf('.');
      const raw = dot < 0 ? record.rawId : record.rawId.slice(0, dot);
      if (raw !== id.allocation) this.remember(raw, indexes.length === 1 ? indexes[0] : indexes);
    }
    this.queueDependencies(record, indexes);
  }

  private remember(key: string, value: number | number[]): void {
    this.tasksOf.add(key, value);
  }

  private queueDependencies(record: SacctRecord, children: number[]): void {
    if (!this.options.dependencies || record.submitLine === null || !mayDepend(record.submitLine)) return;
    const dependencies = dependenciesOf(record.submitLine);
    if (dependencies.length > 0) this.waiting.push({ children, dependencies, record });
  }

  private resolveDependencies(): string[] {
    let unknown = 0;
    let example = '';
    const edges = new EdgeTable();
    for (const { children, dependencies, record } of this.waiting) {
      const parentsOf = new Set<number>();
      for (const dependency of dependencies) {
        let parents: number | number[] | undefined;
        if (dependency.kind === 'aftercorr' && record.id.arrayIndex !== null) {
          // Element-wise: element i waits for element i of the other array.
          parents = this.tasksOf.get(`${dependency.job}_${record.id.arrayIndex}`) ?? this.tasksOf.get(dependency.job);
        } else {
          parents = this.tasksOf.get(dependency.job);
        }
        if (parents === undefined) {
          if (unknown++ === 0) example = `${record.id.allocation} on ${dependency.job}`;
          continue;
        }
        for (const parent of typeof parents === 'number' ? [parents] : parents) parentsOf.add(parent);
      }
      for (const child of children) {
        for (const parent of parentsOf) if (parent !== child) edges.push(parent, child);
      }
    }
    // Slurm refuses a dependency on a job that does not exist yet, so only an edited output has a
    // cycle; a cyclic DAG has no level or critical path for the analyses.
    const cycle = findCycle(this.taskCount, edges);
    if (cycle) {
      // Every task of a cycle waits for another: its job is one of the waiting ones.
      const jobOf = new Map<number, string>();
      for (const { children, record } of this.waiting) for (const child of children) jobOf.set(child, record.id.allocation);
      const first = this.firstPlace[cycle[0]];
      throw new TraceError(
        this.options.display,
        `the jobs' dependencies (SubmitLine) form a cycle: jobs ${cycle.map((task) => jobOf.get(task)).join(' -> ')}`,
        typeof first === 'number' ? first : undefined,
      );
    }
    for (let e = 0; e < edges.length; e++) this.recorder.addEdge(edges.parent[e], edges.child[e]);
    return unknown > 0 ? [`${unknown} dependencies name jobs that are not in this output (the first: job ${example}): left out`] : [];
  }
}

/** Whether a submit line may name a dependency at all (most do not; parsing them costs). */
function mayDepend(submitLine: string): boolean {
  // Jobs of one kind repeat their submit line (the same string, from line-bytes.ts): answered once.
  if (submitLine === lastSubmitLine) return lastMayDepend;
  lastSubmitLine = submitLine;
  lastMayDepend = submitLine.includes('--dependency') || /\s-[A-Za-z]*d/.test(submitLine);
  return lastMayDepend;
}

let lastSubmitLine = '';
let lastMayDepend = false;

/** Job ids to task indexes: a plain job id by its number, anything else by its text. */
class JobIndex {
  private readonly byNumber = new Map<number, number | number[]>();
  private readonly byText = new Map<string, number | number[]>();

  get(key: string): number | number[] | undefined {
    const n = plainNumber(key);
    return n >= 0 ? this.byNumber.get(n) : this.byText.get(key);
  }

  add(key: string, value: number | number[]): void {
    const n = plainNumber(key);
    const known = n >= 0 ? this.byNumber.get(n) : this.byText.get(key);
    let next: number | number[];
    if (known === undefined) next = typeof value === 'number' ? value : [...value];
    else {
      next = typeof known === 'number' ? [known] : known;
      for (const v of typeof value === 'number' ? [value] : value) next.push(v);
    }
    if (n >= 0) this.byNumber.set(n, next);
    else this.byText.set(key, next);
  }
}

/** The value of a text of digits alone (up to 15 of them), else -1. */
function plainNumber(text: string): number {
  if (text.length === 0 || text.length > 15) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}
