/**
 * `sacct -P` (`--parsable2`: fields joined by `|`) and `sacct -p` (`--parsable`: each line also
 * ends with `|`), with a header line naming the fields in any order (`--format`). Only JobID (or
 * JobIDRaw) is required; every other field is used when present.
 */
import { TraceError } from '../../errors.js';
import { nodeListOf, parseTres, slurmCount, slurmElapsed, slurmTime } from './fields.js';
import { parseJobId } from './job-id.js';
import type { SacctRecord } from './record.js';

/** The fields this reader uses, by their lower-case name (sacct's --format is case-insensitive). */
type Known =
  | 'jobid' | 'jobidraw' | 'jobname' | 'partition' | 'state' | 'submit' | 'eligible' | 'start' | 'end'
  | 'elapsed' | 'elapsedraw' | 'alloccpus' | 'ncpus' | 'reqcpus' | 'alloctres' | 'reqtres' | 'allocgres' | 'nodelist' | 'submitline';

const KNOWN: readonly Known[] = [
  'jobid', 'jobidraw', 'jobname', 'partition', 'state', 'submit', 'eligible', 'start', 'end',
  'elapsed', 'elapsedraw', 'alloccpus', 'ncpus', 'reqcpus', 'alloctres', 'reqtres', 'allocgres', 'nodelist', 'submitline',
];

/**
 * Fields whose values may themselves hold a `|`, which sacct does not escape: when a line has more
 * fields than the header, the extra `|` are taken to be inside SubmitLine when the output has it,
 * else inside the one such field the output has.
 */
const FREE_TEXT = new Set(['submitline', 'jobname', 'workdir', 'comment', 'admincomment', 'systemcomment', 'constraints', 'extra', 'container', 'stdout', 'stderr', 'stdin']);

export interface SacctHeader {
  /** Field names as printed. */
  names: string[];
  /** Column of each known field, -1 when absent. */
  column: Record<Known, number>;
  /** Lines end with `|` (`sacct -p`). */
  trailingBar: boolean;
  /** The free-text column that absorbs unescaped `|`, or -1. */
  freeText: number;
}

/** Reads the header line; throws a TraceError when it is not sacct's. */
export function parseHeader(line: string, display: string, lineNumber: number): SacctHeader {
  const trailingBar = line.endsWith('|');
  const names = (trailingBar ? line.slice(0, -1) : line).split('|').map((name) => name.trim());
  const column = Object.fromEntries(KNOWN.map((key) => [key, -1])) as Record<Known, number>;
  names.forEach((name, i) => {
    const key = name.toLowerCase() as Known;
    if (KNOWN.includes(key) && column[key] === -1) column[key] = i;
  });
  if (column.jobid === -1 && column.jobidraw === -1) {
    throw new TraceError(display, 'not sacct output: the header names no JobID or JobIDRaw field', lineNumber);
  }
  const free = names.map((name, i) => (FREE_TEXT.has(name.toLowerCase()) ? i : -1)).filter((i) => i >= 0);
  // A command line holds `|` far more often than anything else (srun sh -c "a | b").
  const freeText = column.submitline >= 0 ? column.submitline : free.length === 1 ? free[0] : -1;
  return { names, column, trailingBar, freeText };
}

/** Whether a first line looks like a sacct header: `|`-separated, with JobID or JobIDRaw. */
export function isSacctHeader(line: string): boolean {
  if (!line.includes('|')) return false;
  const names = line.split('|').map((name) => name.trim().toLowerCase());
  return names.includes('jobid') || names.includes('jobidraw');
}

/**
 * Reads one data line into a record; throws a TraceError naming the line and field. A step that is
 * only a phase of its job (`phaseOnly`: steps are not tasks) needs its state and times alone.
 */
export function parseLine(header: SacctHeader, text: string, display: string, line: number, phaseOnly = false): SacctRecord {
  let fields = text.split('|');
  if (header.trailingBar && fields.length > 0 && fields[fields.length - 1] === '') fields.pop();
  const expected = header.names.length;
  if (fields.length > expected && header.freeText >= 0) {
    const extra = fields.length - expected;
    const k = header.freeText;
    fields = [...fields.slice(0, k), fields.slice(k, k + extra + 1).join('|'), ...fields.slice(k + extra + 1)];
  }
  if (fields.length !== expected) {
    throw new TraceError(display, `${fields.length} fields where the header names ${expected} (a value holding "|"?)`, line);
  }
  const at = { header, fields, display, line };
  const c = header.column;

  const idText = get(at, 'jobid') ?? get(at, 'jobidraw')!;
  const id = parseJobId(idText);
  if (!id) fail(at, c.jobid >= 0 ? 'jobid' : 'jobidraw', `"${idText}" is not a Slurm job id`);

  let start = time(at, 'start');
  let end = time(at, 'end');
  // Elapsed fills in an end (or a start) only when the output has no such field: for a job still
  // running, End is `Unknown` and Elapsed the time so far, which is not an end.
  if (c.end < 0 || c.start < 0) {
    const elapsed = elapsedOf(get(at, 'elapsedraw'), get(at, 'elapsed'), (reason) => fail(at, c.elapsedraw >= 0 ? 'elapsedraw' : 'elapsed', reason));
    if (c.end < 0 && start === start) end = start + elapsed;
    else if (c.start < 0 && end === end) start = end - elapsed;
  }
  if (end < start) fail(at, 'end', `ends (${get(at, 'end') ?? end}) before it starts (${get(at, 'start') ?? start})`);

  if (phaseOnly && id!.step !== null) {
    return {
      line, place: null, id: id!, rawId: null, name: null, partition: null, state: emptyToNull(get(at, 'state')),
      submit: NaN, eligible: NaN, start, end, cpus: NaN, gpus: NaN, nodeList: null, submitLine: null,
    };
  }

  let cpus = count(at, 'alloccpus');
  if (cpus !== cpus) cpus = count(at, 'ncpus');
  let gpus = NaN;
  const tresText = get(at, 'alloctres');
  if (tresText !== null) {
    const tres = parseTres(tresText) ?? parseTres(get(at, 'reqtres') ?? '');
    if (tres) {
      if (tres.gpus !== tres.gpus) fail(at, 'alloctres', `"${tresText}" has a GPU count that is not a number`);
      gpus = tres.gpus;
      if (cpus !== cpus) cpus = tres.cpus;
    }
  } else if (get(at, 'allocgres') !== null) {
    gpus = gpusOfGres(get(at, 'allocgres')!);
  }

  return {
    line,
    place: null,
    id: id!,
    rawId: get(at, 'jobidraw'),
    name: emptyToNull(get(at, 'jobname')),
    partition: emptyToNull(get(at, 'partition')),
    state: emptyToNull(get(at, 'state')),
    submit: time(at, 'submit'),
    eligible: time(at, 'eligible'),
    start,
    end,
    cpus,
    gpus,
    nodeList: c.nodelist >= 0 ? nodeListOf(fields[c.nodelist]) : null,
    submitLine: emptyToNull(get(at, 'submitline')),
  };
}

/** The line being read: what the field readers below need to find a value and to name it in errors. */
interface At {
  header: SacctHeader;
  fields: string[];
  display: string;
  line: number;
}

function get(at: At, key: Known): string | null {
  const column = at.header.column[key];
  return column >= 0 ? at.fields[column] : null;
}

function fail(at: At, key: Known, reason: string): never {
  throw new TraceError(at.display, reason, at.line, at.header.names[at.header.column[key]]);
}

function time(at: At, key: Known): number {
  const text = get(at, key);
  if (text === null) return NaN;
  const value = slurmTime(text);
  if (value === null) return NaN;
  if (value !== value) fail(at, key, `"${text}" is not a time`);
  return value;
}

function count(at: At, key: Known): number {
  const text = get(at, key);
  if (text === null) return NaN;
  const value = slurmCount(text);
  if (value === null) return NaN;
  if (value !== value) fail(at, key, `"${text}" is not a count`);
  return value;
}

function elapsedOf(raw: string | null, text: string | null, fail: (reason: string) => never): number {
  if (raw !== null && raw !== '') {
    const value = slurmCount(raw);
    if (value !== value) fail(`"${raw}" is not a number of seconds`);
    return value ?? NaN;
  }
  if (text === null) return NaN;
  const value = slurmElapsed(text);
  if (value !== value) fail(`"${text}" is not an elapsed time ([D-]HH:MM:SS)`);
  return value ?? NaN;
}

/** `gpu:2`, `gpu:a100:2(IDX:0-1)` (AllocGRES of Slurm before TRES): the GPU count. */
export function gpusOfGres(text: string): number {
  let gpus = 0;
  for (const item of text.split(',')) {
    const m = /^gpu(?::[^:(]+)?:(\d+)/.exec(item);
    if (m) gpus += Number(m[1]);
  }
  return gpus;
}

function emptyToNull(text: string | null): string | null {
  return text === null || text === '' ? null : text;
}
