/**
 * Tasks of a tabular trace in batches, as they travel from the parser to the database writer,
 * possibly between threads (see parse-worker.ts).
 *
 * Numbers travel in Float64Arrays, which move between threads without a copy. The text columns
 * that repeat from row to row (type, stage, pipeline, state, outcome, node) travel as integer codes into
 * one dictionary that grows as new values appear: a million tasks then carry a few hundred
 * distinct strings instead of five million, which saves memory and the garbage collector's time.
 */
import { isNumeric, TASK_FIELDS, type PushTask, type TaskFieldName, type TaskValue } from '../../run/task-fields.js';
import type { TaskSink } from '../../run/task-table.js';
import { deliverExtras, receivesExtras, type ExtrasSink, type RowExtras } from './extras.js';

type Field = (typeof TASK_FIELDS)[number];

/** Fields whose values repeat from task to task: they travel as dictionary codes. */
export const CODED_COLUMNS = TASK_FIELDS.filter((field) => field.repeats).map((field) => field.name) as CodedField[];
type CodedField = Extract<Field, { repeats: true }>['name'];
/** Fields of numbers: they travel in Float64Arrays. */
const NUMBER_COLUMNS = TASK_FIELDS.filter(isNumeric).map((field) => field.name) as NumberField[];
type NumberField = Extract<Field, { kind: 'amount' | 'time' | 'duration' | 'code' }>['name'];
/** The other text fields (ids and names, different for every task): plain arrays. */
type TextField = Exclude<TaskFieldName, CodedField | NumberField>;

export interface TaskBatch {
  count: number;
  text: { [N in TextField]: TaskValue<N>[] };
  /** Codes into the dictionary, -1 for null. */
  codes: Record<CodedField, Int32Array>;
  /** Dictionary entries new since the previous batch, in code order. */
  newEntries: string[];
  numbers: Record<NumberField, Float64Array>;
  /** Submit times and parents of some rows (extras.ts), by row of the batch; absent when no row had any. */
  extras?: { row: number[]; values: RowExtras[] };
}

/** The buffers of a batch, to transfer rather than copy it to another thread. */
export function transferables(batch: TaskBatch): ArrayBuffer[] {
  return [...CODED_COLUMNS.map((column) => batch.codes[column].buffer as ArrayBuffer), ...NUMBER_COLUMNS.map((column) => batch.numbers[column].buffer as ArrayBuffer)];
}

/** Collects tasks into batches of `size`, handing each full batch to `emit`. */
export class BatchBuilder implements TaskSink, ExtrasSink {
  private readonly dictionary = new Map<string, number>();
  private pendingEntries: string[] = [];
  private readonly lastValue: (string | null)[] = CODED_COLUMNS.map(() => null);
  private readonly lastCode = new Int32Array(CODED_COLUMNS.length);
  private batch: TaskBatch;

  constructor(
    private readonly size: number,
    private readonly emit: (batch: TaskBatch) => void,
  ) {
    this.batch = this.fresh();
  }

  /** Appends a task (values in TASK_FIELDS order); a full batch is emitted. */
  readonly pushValues: PushTask<void> = (uid, name, type, stage, pipeline, state, outcome, node, cores, gpus, start, end, runtime, exit_code, cpu_slots, gpu_slots) => {
    const b = this.batch;
    const i = b.count++;
    const { text, codes, numbers } = b;
    text.uid.push(uid);
    text.name.push(name);
    text.cpu_slots.push(cpu_slots);
    text.gpu_slots.push(gpu_slots);
    codes.type[i] = this.code(0, type);
    codes.stage[i] = this.code(1, stage);
    codes.pipeline[i] = this.code(2, pipeline);
    codes.state[i] = this.code(3, state);
    codes.outcome[i] = this.code(4, outcome);
    codes.node[i] = this.code(5, node);
    numbers.cores[i] = cores;
    numbers.gpus[i] = gpus;
    numbers.start[i] = start;
    numbers.end[i] = end;
    numbers.runtime[i] = runtime;
    numbers.exit_code[i] = exit_code;
    if (b.count === this.size) this.flush();
  };

  /** Extras of the task pushed next (before `pushValues`, which may emit the batch it fills). */
  pushExtras(extras: RowExtras): void {
    const b = this.batch;
    b.extras ??= { row: [], values: [] };
    b.extras.row.push(b.count);
    b.extras.values.push(extras);
  }

  /** Emits the tasks collected so far (if any). */
  flush(): void {
    if (this.batch.count === 0) return;
    const full = this.batch;
    full.newEntries = this.pendingEntries;
    this.pendingEntries = [];
    this.batch = this.fresh();
    this.emit(full);
  }

  /** The code of a value of coded column `column` (its index in CODED_COLUMNS); consecutive rows mostly repeat it, so that is checked first. */
  private code(column: number, value: string | null): number {
    if (value === null) return -1;
    if (value === this.lastValue[column]) return this.lastCode[column];
    let code = this.dictionary.get(value);
    if (code === undefined) {
      code = this.dictionary.size;
      value = detached(value);
      this.dictionary.set(value, code);
      this.pendingEntries.push(value);
    }
    this.lastValue[column] = value;
    this.lastCode[column] = code;
    return code;
  }

  private fresh(): TaskBatch {
    const n = this.size;
    const text = {} as TaskBatch['text'];
    const codes = {} as TaskBatch['codes'];
    const numbers = {} as TaskBatch['numbers'];
    for (const field of TASK_FIELDS) {
      if (field.repeats) codes[field.name as CodedField] = new Int32Array(n);
      else if (isNumeric(field)) numbers[field.name as NumberField] = new Float64Array(n);
      else (text as Record<TextField, unknown[]>)[field.name as TextField] = [];
    }
    return { count: 0, text, codes, numbers, newEntries: [] };
  }
}

/**
 * A copy of `value` that holds no other string. V8 makes a substring of 13 characters or more a
 * view into the string it was cut from: a CSV cell is a view into the parser's whole 64 kB piece
 * of text, and one kept as a dictionary entry kept that piece alive. A table with new stage and
 * pipeline names all along (the bench's: 6,000 of them) kept every piece: the whole file in the
 * parser thread's heap, copied by the garbage collector as it grew (a fifth of the thread's time).
 */
function detached(value: string): string {
  return JSON.parse(JSON.stringify(value)) as string;
}

/** The receiving end: decodes batches (keeping the dictionary) into a sink. */
export class BatchReader {
  private readonly dictionary: string[] = [];
  private started = false;
  /** Tasks handed to the sink so far: the index the sink gives the next one. */
  private taskCount = 0;

  constructor(private readonly sink: TaskSink) {}

  /** Time zero known before any task (the earliest start of the whole table): the sink's, instead of the first batch's. */
  startsFrom(time: number): void {
    if (this.started) return;
    this.started = true;
    this.sink.startsFrom?.(time);
  }

  read(batch: TaskBatch): void {
    if (!this.started) {
      this.started = true;
      const earliest = earliestStart(batch);
      if (earliest !== Infinity) this.sink.startsFrom?.(earliest);
    }
    const d = this.dictionary;
    for (const entry of batch.newEntries) d.push(entry);
    const { uid, name, cpu_slots, gpu_slots } = batch.text;
    const { type, stage, pipeline, state, outcome, node } = batch.codes;
    const { cores, gpus, start, end, runtime, exit_code } = batch.numbers;
    const text = (code: number) => (code === -1 ? null : d[code]);
    for (let i = 0; i < batch.count; i++) {
      this.sink.pushValues(
        uid[i], name[i], d[type[i]], text(stage[i]), text(pipeline[i]), text(state[i]), text(outcome[i]), text(node[i]),
        cores[i], gpus[i], start[i], end[i], runtime[i], exit_code[i], cpu_slots[i], gpu_slots[i],
      );
    }
    const extras = batch.extras;
    if (extras !== undefined && receivesExtras(this.sink)) {
      for (let k = 0; k < extras.row.length; k++) {
        const i = extras.row[k];
        deliverExtras(this.sink, this.taskCount + i, extras.values[k], start[i], end[i]);
      }
    }
    this.taskCount += batch.count;
  }
}

function earliestStart(batch: TaskBatch): number {
  const start = batch.numbers.start;
  let earliest = Infinity;
  for (let i = 0; i < batch.count; i++) if (start[i] < earliest) earliest = start[i]; // NaN never is
  return earliest;
}
