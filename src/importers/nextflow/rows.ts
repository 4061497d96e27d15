/**
 * The rows of a Nextflow trace, column by column, as the trace states them: one row per task run
 * (a retried task has one row per attempt), values parsed from Nextflow's human or raw forms
 * (values.ts) and checked, times in epoch seconds.
 *
 * A row that cannot be read stops the import with the file, line and field named.
 */
import { TraceError } from '../../errors.js';
import type { TimeZone } from '../common/time-zone.js';
import { readHeader, describesTasks, NEXTFLOW_FIELDS, type Header } from './fields.js';
import { parseCount, parseDate, parseDuration, parseMemory, parsePercent, ValueProblem, type DateForm } from './values.js';

/** The columns asyncscope keeps; '' or '-' in the trace is null (text) or NaN (numbers). */
export class TraceRows {
  readonly line: number[] = [];
  readonly taskId: (string | null)[] = [];
  readonly hash: (string | null)[] = [];
  readonly nativeId: (string | null)[] = [];
  readonly process: (string | null)[] = [];
  readonly tag: (string | null)[] = [];
  readonly name: (string | null)[] = [];
  readonly status: (string | null)[] = [];
  readonly exit: (string | null)[] = [];
  readonly hostname: (string | null)[] = [];
  readonly submit: number[] = [];
  readonly start: number[] = [];
  readonly complete: number[] = [];
  readonly duration: number[] = [];
  readonly realtime: number[] = [];
  readonly attempt: number[] = [];
  readonly cpus: number[] = [];
  readonly accelerator: number[] = [];

  get length(): number {
    return this.line.length;
  }
}

export interface ParsedTrace {
  header: Header;
  rows: TraceRows;
  /** Forms the date cells were written in: `wall` (local time, zone assumed) and/or `epoch`. */
  dateForms: Set<DateForm>;
}

type Column = Exclude<keyof TraceRows, 'length'>;

/** Trace fields read into a TraceRows column. */
const KEPT: Partial<Record<string, Column>> = {
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

/**
 * Reads a trace's lines (`[text, line number]`, the header first). Fields asyncscope does not
 * keep are still checked (a `95.3%` that is not a percentage is an error), so that a damaged
 * trace is never half-read.
 *
 * Nextflow does not quote values: with a `trace.sep` such as `,`, a tag holding that separator
 * gives a row more cells than fields. The surplus is joined back into the task's name (the only
 * field that holds free text a user chose: `process (tag)`), or into `tag`; without either field
 * such a row is an error.
 */
export async function readTraceRows(file: string, lines: AsyncIterable<[string, number]> | Iterable<[string, number]>, zone: TimeZone): Promise<ParsedTrace> {
  let header: Header | null = null;
  const rows = new TraceRows();
  const dateForms = new Set<DateForm>();
  let readers: ((cell: string) => void)[] = [];
  let fieldNames: string[] = [];
  let freeText = -1;

  for await (const [text, lineNumber] of lines) {
    if (header === null) {
      if (text.trim() === '') continue;
      const read = readHeader(text);
      if (typeof read === 'string') throw new TraceError(file, `not a Nextflow trace: ${read}`, lineNumber);
      if (!describesTasks(read.fields)) throw new TraceError(file, `not a Nextflow task trace: its fields (${read.fields.join(', ')}) name no task or no time or status`, lineNumber);
      header = read;
      fieldNames = read.fields;
      readers = read.fields.map((field) => cellReader(rows, field, zone, dateForms));
      freeText = read.fields.indexOf('name');
      if (freeText === -1) freeText = read.fields.indexOf('tag');
      continue;
    }
    if (text === '') continue;
    let cells = text.split(header.separator);
    if (cells.length !== readers.length) {
      const surplus = cells.length - readers.length;
      if (surplus < 0 || freeText === -1) {
        throw new TraceError(file, `expected ${readers.length} fields separated by ${JSON.stringify(header.separator)}, found ${cells.length}`, lineNumber);
      }
      cells = [...cells.slice(0, freeText), cells.slice(freeText, freeText + surplus + 1).join(header.separator), ...cells.slice(freeText + surplus + 1)];
    }
    rows.line.push(lineNumber);
    let k = 0;
    try {
      for (; k < readers.length; k++) readers[k](cells[k]);
    } catch (error) {
      if (error instanceof ValueProblem) throw new TraceError(file, error.message, lineNumber, fieldNames[k]);
      throw error;
    }
  }
  if (header === null) throw new TraceError(file, 'the file is empty: no Nextflow trace header');
  // Columns the trace does not have: one unknown value per row, so that every column has a value per row.
  for (const [field, column] of Object.entries(KEPT)) {
    if (header.fields.includes(field)) continue;
    const array = rows[column!] as unknown[];
    array.length = rows.length;
    array.fill(TEXT_COLUMNS.has(column!) ? null : NaN);
  }
  return { header, rows, dateForms };
}

const TEXT_COLUMNS = new Set<Column>(['taskId', 'hash', 'nativeId', 'process', 'tag', 'name', 'status', 'exit', 'hostname']);

/** How one column's cells are read: into a kept column, or only checked. */
function cellReader(rows: TraceRows, field: string, zone: TimeZone, forms: Set<DateForm>): (cell: string) => void {
  const kind = NEXTFLOW_FIELDS[field];
  const column = KEPT[field];
  const parse = parserOf(kind, zone, forms);
  if (column === undefined) return parse === null ? () => {} : (cell) => void parse(cell);
  const array = rows[column] as unknown[];
  if (TEXT_COLUMNS.has(column)) return (cell) => array.push(cell === '-' || cell === '' ? null : cell);
  const read = parse ?? parseCount;
  return (cell) => array.push(read(cell));
}

function parserOf(kind: string, zone: TimeZone, forms: Set<DateForm>): ((cell: string) => number) | null {
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
