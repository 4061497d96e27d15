/**
 * Reading the rows of a Nextflow trace one at a time: each cell parsed from Nextflow's human or
 * raw form (values.ts) and checked, the fields asyncscope keeps put into one reused `TraceRow`,
 * times in epoch seconds. Fields it does not keep are checked too (a `95.3%` that is not a
 * percentage is an error), so that a damaged trace is never half-read.
 *
 * Nextflow does not quote values: with a `trace.sep` such as `,`, a tag holding that separator
 * gives a row more cells than fields. The surplus is joined back into the task's name (the only
 * field that holds free text a user chose: `process (tag)`), or into `tag`; without either field
 * such a row is an error.
 */
import { TraceError } from '../../errors.js';
import type { TimeZone } from '../common/time-zone.js';
import { NEXTFLOW_FIELDS, type Header } from './fields.js';
import { parseCount, parseDate, parseDuration, parseMemory, parsePercent, ValueProblem, type DateForm } from './values.js';

/** One row's kept fields: null (text) or NaN (numbers) when the trace lacks the field or says `-`. */
export class TraceRow {
  line = 0;
  taskId: string | null = null;
  hash: string | null = null;
  nativeId: string | null = null;
  process: string | null = null;
  tag: string | null = null;
  name: string | null = null;
  status: string | null = null;
  exit: string | null = null;
  hostname: string | null = null;
  submit = NaN;
  start = NaN;
  complete = NaN;
  duration = NaN;
  realtime = NaN;
  attempt = NaN;
  cpus = NaN;
  accelerator = NaN;
}

type TextField = 'taskId' | 'hash' | 'nativeId' | 'process' | 'tag' | 'name' | 'status' | 'exit' | 'hostname';
type NumberField = 'submit' | 'start' | 'complete' | 'duration' | 'realtime' | 'attempt' | 'cpus' | 'accelerator';

/** Trace fields read into a TraceRow field. */
const KEPT: Readonly<Record<string, TextField | NumberField>> = {
  task_id: 'taskId',
  hash: 'hash',
  native_id: 'nativeId',
  process: 'process',
  tag: 'tag',
  name: 'name',
  status: 'status',
  exit: 'exit',
  hostname: 'hostname',
  submit: 'submit',
  start: 'start',
  complete: 'complete',
  duration: 'duration',
  realtime: 'realtime',
  attempt: 'attempt',
  cpus: 'cpus',
  accelerator: 'accelerator',
};

const TEXT = new Set<string>(['taskId', 'hash', 'nativeId', 'process', 'tag', 'name', 'status', 'exit', 'hostname']);

export class RowReader {
  readonly row = new TraceRow();
  /** Forms the date cells were written in: `wall` (local time, zone assumed) and/or `epoch`. */
  readonly dateForms = new Set<DateForm>();
  private readonly readers: ((cell: string) => void)[];
  private readonly freeText: number;
  private readonly blank: TraceRow = new TraceRow();

  constructor(
    private readonly file: string,
    private readonly header: Header,
    zone: TimeZone,
  ) {
    this.readers = header.fields.map((field) => this.cellReader(field, zone));
    let freeText = header.fields.indexOf('name');
    if (freeText === -1) freeText = header.fields.indexOf('tag');
    this.freeText = freeText;
  }

  /** Reads one data line into `row` (reused: copy what must outlive the next call). */
  read(text: string, line: number): TraceRow {
    const separator = this.header.separator;
    let cells = text.split(separator);
    const expected = this.readers.length;
    if (cells.length !== expected) {
      const surplus = cells.length - expected;
      if (surplus < 0 || this.freeText === -1) throw new TraceError(this.file, `expected ${expected} fields separated by ${JSON.stringify(separator)}, found ${cells.length}`, line);
      const at = this.freeText;
      cells = [...cells.slice(0, at), cells.slice(at, at + surplus + 1).join(separator), ...cells.slice(at + surplus + 1)];
    }
    Object.assign(this.row, this.blank);
    this.row.line = line;
    let k = 0;
    try {
      for (; k < expected; k++) this.readers[k](cells[k]);
    } catch (error) {
      if (error instanceof ValueProblem) throw new TraceError(this.file, error.message, line, this.header.fields[k]);
      throw error;
    }
    return this.row;
  }

  private cellReader(field: string, zone: TimeZone): (cell: string) => void {
    const parse = parserOf(NEXTFLOW_FIELDS[field], zone, this.dateForms);
    const target = KEPT[field];
    const row = this.row as unknown as Record<string, unknown>;
    if (target === undefined) return parse === null ? () => {} : (cell) => void parse(cell);
    if (TEXT.has(target)) {
      return (cell) => {
        row[target] = cell === '-' || cell === '' ? null : cell;
      };
    }
    const read = parse ?? parseCount;
    return (cell) => {
      row[target] = read(cell);
    };
  }
}

function parserOf(kind: string | undefined, zone: TimeZone, forms: Set<DateForm>): ((cell: string) => number) | null {
  switch (kind) {
    case 'date':
      return (cell) => parseDate(cell, zone, forms);
    case 'time':
      return parseDuration;
    case 'mem':
      return parseMemory;
    case 'perc':
      return parsePercent;
    case 'num':
      return parseCount;
    default:
      return null;
  }
}
