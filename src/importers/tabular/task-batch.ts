/**
 * Tasks of a tabular trace in batches, as they travel from the parser to the database writer,
 * possibly between threads (see parse-worker.ts).
 *
 * Numbers travel in Float64Arrays, which move between threads without a copy. The text columns
 * that repeat from row to row (type, stage, pipeline, state, node) travel as integer codes into
 * one dictionary that grows as new values appear: a million tasks then carry a few hundred
 * distinct strings instead of five million, which saves memory and the garbage collector's time.
 */
import type { TaskSink } from '../../store/records.js';

export type { TaskSink };

export const CODED_COLUMNS = ['type', 'stage', 'pipeline', 'state', 'node'] as const;
type Coded = (typeof CODED_COLUMNS)[number];

export interface TaskBatch {
  count: number;
  uid: string[];
  name: (string | null)[];
  /** Codes into the dictionary, -1 for null. */
  codes: Record<Coded, Int32Array>;
  /** Dictionary entries new since the previous batch, in code order. */
  newEntries: string[];
  cores: Float64Array;
  gpus: Float64Array;
  start: Float64Array;
  end: Float64Array;
}

/** The buffers of a batch, to transfer rather than copy it to another thread. */
export function transferables(batch: TaskBatch): ArrayBuffer[] {
  return [
    ...CODED_COLUMNS.map((column) => batch.codes[column].buffer as ArrayBuffer),
    batch.cores.buffer as ArrayBuffer,
    batch.gpus.buffer as ArrayBuffer,
    batch.start.buffer as ArrayBuffer,
    batch.end.buffer as ArrayBuffer,
  ];
}

/** Collects tasks into batches of `size`, handing each full batch to `emit`. */
export class BatchBuilder implements TaskSink {
  private readonly dictionary = new Map<string, number>();
  private pendingEntries: string[] = [];
  private readonly lastValue: (string | null)[] = [null, null, null, null, null];
  private readonly lastCode = new Int32Array(CODED_COLUMNS.length);
  private batch: TaskBatch;

  constructor(
    private readonly size: number,
    private readonly emit: (batch: TaskBatch) => void,
  ) {
    this.batch = this.fresh();
  }

  pushValues(
    uid: string,
    name: string | null,
    type: string,
    stage: string | null,
    pipeline: string | null,
    state: string | null,
    node: string | null,
    cores: number,
    gpus: number,
    start: number,
    end: number,
  ): void {
    const b = this.batch;
    const i = b.count++;
    b.uid.push(uid);
    b.name.push(name);
    b.codes.type[i] = this.code(0, type);
    b.codes.stage[i] = this.code(1, stage);
    b.codes.pipeline[i] = this.code(2, pipeline);
    b.codes.state[i] = this.code(3, state);
    b.codes.node[i] = this.code(4, node);
    b.cores[i] = cores;
    b.gpus[i] = gpus;
    b.start[i] = start;
    b.end[i] = end;
    if (b.count === this.size) this.flush();
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

  /** The code of a value of coded column `column`; consecutive rows mostly repeat it, so that is checked first. */
  private code(column: number, value: string | null): number {
    if (value === null) return -1;
    if (value === this.lastValue[column]) return this.lastCode[column];
    let code = this.dictionary.get(value);
    if (code === undefined) {
      code = this.dictionary.size;
      this.dictionary.set(value, code);
      this.pendingEntries.push(value);
    }
    this.lastValue[column] = value;
    this.lastCode[column] = code;
    return code;
  }

  private fresh(): TaskBatch {
    const n = this.size;
    return {
      count: 0,
      uid: [],
      name: [],
      codes: { type: new Int32Array(n), stage: new Int32Array(n), pipeline: new Int32Array(n), state: new Int32Array(n), node: new Int32Array(n) },
      newEntries: [],
      cores: new Float64Array(n),
      gpus: new Float64Array(n),
      start: new Float64Array(n),
      end: new Float64Array(n),
    };
  }
}

/** The receiving end: decodes batches (keeping the dictionary) into a sink. */
export class BatchReader {
  private readonly dictionary: string[] = [];
  private started = false;

  constructor(private readonly sink: TaskSink) {}

  read(batch: TaskBatch): void {
    if (!this.started) {
      this.started = true;
      const earliest = earliestStart(batch);
      if (earliest !== Infinity) this.sink.startsFrom?.(earliest);
    }
    const d = this.dictionary;
    for (const entry of batch.newEntries) d.push(entry);
    const { type, stage, pipeline, state, node } = batch.codes;
    const text = (code: number) => (code === -1 ? null : d[code]);
    for (let i = 0; i < batch.count; i++) {
      this.sink.pushValues(
        batch.uid[i],
        batch.name[i],
        d[type[i]],
        text(stage[i]),
        text(pipeline[i]),
        text(state[i]),
        text(node[i]),
        batch.cores[i],
        batch.gpus[i],
        batch.start[i],
        batch.end[i],
        NaN,
      );
    }
  }
}

function earliestStart(batch: TaskBatch): number {
  let earliest = Infinity;
  for (let i = 0; i < batch.count; i++) if (batch.start[i] < earliest) earliest = batch.start[i]; // NaN never is
  return earliest;
}
