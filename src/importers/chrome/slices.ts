/**
 * From Chrome trace events to slices: complete (`X`) events, and `B`/`E` pairs matched per thread
 * as a stack, as the Trace Event Format defines them. Names of processes and threads come from
 * metadata (`M`) events; every other kind of event is counted and skipped.
 *
 * Times stay in the trace's microseconds here; tasks.ts turns slices into tasks.
 */
import { TraceError } from '../../errors.js';

/** What asyncscope reads from an event's `args` (its own export writes all of these). */
export interface SliceArgs {
  uid: string | null;
  /** undefined: `args` does not say (then the event's own name is the task's name). */
  name: string | null | undefined;
  type: string | null;
  stage: string | null;
  pipeline: string | null | undefined;
  state: string | null;
  outcome: string | null;
  node: string | null;
  cores: number;
  gpus: number;
  /** Ray (`ray timeline`): `attempt_number` (NaN when absent), `func_or_class_name`, `job_id`. */
  attempt: number;
  func: string | null;
  job: string | null;
}

const NO_ARGS: SliceArgs = { uid: null, name: undefined, type: null, stage: null, pipeline: undefined, state: null, outcome: null, node: null, cores: NaN, gpus: NaN, attempt: NaN, func: null, job: null };
const KNOWN_ARGS = ['uid', 'task_id', 'name', 'type', 'stage', 'pipeline', 'state', 'outcome', 'node', 'cores', 'gpus', 'attempt_number', 'func_or_class_name', 'job_id'];

/** Slices column by column (a trace may hold millions). */
export class SliceTable {
  readonly thread: number[] = [];
  /** Microseconds, as in the trace. */
  readonly start: number[] = [];
  readonly end: number[] = [];
  readonly name: string[] = [];
  readonly cat: string[] = [];
  readonly args: SliceArgs[] = [];

  get length(): number {
    return this.start.length;
  }

  push(thread: number, start: number, end: number, name: string, cat: string, args: SliceArgs): void {
    this.thread.push(thread);
    this.start.push(start);
    this.end.push(end);
    this.name.push(name);
    this.cat.push(cat);
    this.args.push(args);
  }
}

/** Kinds of events that are not slices, by phase, for the "skipped" summary. */
const SKIPPED_KIND: Record<string, string> = {
  i: 'instant', I: 'instant', R: 'instant',
  C: 'counter',
  s: 'flow', t: 'flow', f: 'flow',
  b: 'async', n: 'async', e: 'async', S: 'async', T: 'async', p: 'async', F: 'async',
  N: 'object', O: 'object', D: 'object',
  P: 'sample',
  V: 'memory dump', v: 'memory dump',
  c: 'clock sync',
  '(': 'context', ')': 'context',
};

/** Collects slices, names and counts while events stream past; `finish()` matches B/E pairs. */
export class SliceCollector {
  readonly slices = new SliceTable();
  /** Thread index -> its process key and thread key (JSON text of pid and tid). */
  readonly threadProcess: string[] = [];
  readonly threadTid: string[] = [];
  readonly processNames = new Map<string, string>();
  readonly threadNames = new Map<number, string>();
  /** Events that are not slices, by kind (`instant`, `counter`, `flow`, ...). */
  readonly skipped = new Map<string, number>();
  xWithoutDur = 0;
  unmatchedEnds = 0;
  unclosedBegins = 0;

  private readonly threadIndex = new Map<string, number>();
  // B and E events, kept until the end because a trace need not be in time order.
  private readonly edgeThread: number[] = [];
  private readonly edgeTime: number[] = [];
  private readonly edgeBegin: boolean[] = [];
  private readonly edgeName: string[] = [];
  private readonly edgeCat: string[] = [];
  private readonly edgeArgs: SliceArgs[] = [];

  constructor(private readonly file: string) {}

  add(event: unknown, line: number): void {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new TraceError(this.file, 'an event is not an object', line);
    }
    const e = event as Record<string, unknown>;
    const ph = typeof e.ph === 'string' ? e.ph : '';
    switch (ph) {
      case 'X': {
        const ts = this.time(e.ts, 'ts', line);
        if (e.dur === undefined || e.dur === null) {
          this.xWithoutDur++;
          return;
        }
        const dur = this.time(e.dur, 'dur', line);
        if (dur < 0) throw new TraceError(this.file, `a complete (X) event has a negative dur (${dur})`, line, 'dur');
        this.slices.push(this.thread(e), ts, ts + dur, text(e.name), text(e.cat), readArgs(e.args));
        return;
      }
      case 'B':
      case 'E':
        this.edgeThread.push(this.thread(e));
        this.edgeTime.push(this.time(e.ts, 'ts', line));
        this.edgeBegin.push(ph === 'B');
        this.edgeName.push(text(e.name));
        this.edgeCat.push(text(e.cat));
        this.edgeArgs.push(readArgs(e.args));
        return;
      case 'M':
        this.metadata(e);
        return;
      default: {
        const kind = SKIPPED_KIND[ph] ?? 'unknown-phase';
        this.skipped.set(kind, (this.skipped.get(kind) ?? 0) + 1);
      }
    }
  }

  /** Matches each E with the latest open B of its thread, in time order (file order among equal times). */
  finish(): void {
    const n = this.edgeTime.length;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => this.edgeThread[a] - this.edgeThread[b] || this.edgeTime[a] - this.edgeTime[b] || a - b);
    const open: number[] = [];
    let thread = -1;
    for (const i of order) {
      if (this.edgeThread[i] !== thread) {
        this.unclosedBegins += open.length;
        open.length = 0;
        thread = this.edgeThread[i];
      }
      if (this.edgeBegin[i]) {
        open.push(i);
        continue;
      }
      const begin = open.pop();
      if (begin === undefined) {
        this.unmatchedEnds++;
        continue;
      }
      this.slices.push(
        thread,
        this.edgeTime[begin],
        this.edgeTime[i],
        this.edgeName[begin] || this.edgeName[i],
        this.edgeCat[begin] || this.edgeCat[i],
        mergeArgs(this.edgeArgs[begin], this.edgeArgs[i]),
      );
    }
    this.unclosedBegins += open.length;
  }

  /** Process name of a thread: its `process_name` metadata, else `pid <pid>`. */
  processName(thread: number): string {
    const key = this.threadProcess[thread];
    return this.processNames.get(key) ?? `pid ${key.replace(/^"(.*)"$/, '$1')}`;
  }

  private thread(e: Record<string, unknown>): number {
    const pid = JSON.stringify(e.pid ?? 0);
    const tid = JSON.stringify(e.tid ?? 0);
    const key = `${pid}\u0000${tid}`;
    let index = this.threadIndex.get(key);
    if (index === undefined) {
      index = this.threadProcess.length;
      this.threadIndex.set(key, index);
      this.threadProcess.push(pid);
      this.threadTid.push(tid);
    }
    return index;
  }

  private metadata(e: Record<string, unknown>): void {
    const args = e.args as Record<string, unknown> | undefined;
    const name = args && typeof args.name === 'string' ? args.name : undefined;
    if (name === undefined) return;
    if (e.name === 'process_name') this.processNames.set(JSON.stringify(e.pid ?? 0), name);
    else if (e.name === 'thread_name') this.threadNames.set(this.thread(e), name);
  }

  private time(value: unknown, field: string, line: number): number {
    const t = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(t)) {
      throw new TraceError(this.file, `${value === undefined ? 'missing' : JSON.stringify(value)} is not a time in microseconds`, line, field);
    }
    return t;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** The fields asyncscope understands in an event's args; anything else there is left alone. */
export function readArgs(value: unknown): SliceArgs {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return NO_ARGS;
  const a = value as Record<string, unknown>;
  const has = (key: string) => Object.prototype.hasOwnProperty.call(a, key);
  const str = (key: string): string | null => {
    const v = a[key];
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
  };
  const amount = (key: string): number => {
    const v = a[key];
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isFinite(n) && n >= 0 ? n : NaN;
  };
  if (!KNOWN_ARGS.some(has)) return NO_ARGS;
  return {
    uid: str('uid') ?? str('task_id'),
    name: has('name') ? str('name') : undefined,
    type: str('type'),
    stage: str('stage'),
    pipeline: has('pipeline') ? str('pipeline') : undefined,
    state: str('state'),
    outcome: str('outcome'),
    node: str('node'),
    cores: amount('cores'),
    gpus: amount('gpus'),
    attempt: has('attempt_number') ? amount('attempt_number') : NaN,
    func: str('func_or_class_name'),
    job: str('job_id'),
  };
}

/** Args of a B/E pair: the E event's args complete the B event's (the format merges them). */
function mergeArgs(begin: SliceArgs, end: SliceArgs): SliceArgs {
  if (end === NO_ARGS) return begin;
  if (begin === NO_ARGS) return end;
  return {
    uid: end.uid ?? begin.uid,
    name: end.name !== undefined ? end.name : begin.name,
    type: end.type ?? begin.type,
    stage: end.stage ?? begin.stage,
    pipeline: end.pipeline !== undefined ? end.pipeline : begin.pipeline,
    state: end.state ?? begin.state,
    outcome: end.outcome ?? begin.outcome,
    node: end.node ?? begin.node,
    cores: Number.isNaN(end.cores) ? begin.cores : end.cores,
    gpus: Number.isNaN(end.gpus) ? begin.gpus : end.gpus,
    attempt: Number.isNaN(end.attempt) ? begin.attempt : end.attempt,
    func: end.func ?? begin.func,
    job: end.job ?? begin.job,
  };
}
