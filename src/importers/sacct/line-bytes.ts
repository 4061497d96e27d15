/**
 * The fast path of `parseLine` (text.ts): a data line of `sacct -P` text read from the bytes of
 * the file, for the millions of lines of a large output.
 *
 * parseLine splits each line into a string per field (18 in a typical --format, most of them never
 * read), and makes a fresh string of every name, state and node that repeats from job to job: at
 * 3 x 10^6 lines (a job, its `.batch` and `.extern`) that was most of the reader thread's time and
 * of its garbage. Here an ASCII line is scanned once for its `|`, only the fields the record uses
 * are read, numbers and times straight from the bytes (a time's date is parsed once per date), and
 * text that repeats comes from a small table of strings already made (`ByteStrings`), so each
 * distinct name, state or node is one string that keeps its hash.
 *
 * Only the common case is read here: anything else (a field count that differs from the header,
 * a pending array range, `Unknown` times aside, a value that is not what it should be, a header
 * without Start or End) returns null, and the caller reads the line with parseLine, which gives
 * the record or names the error. So the two paths agree by construction on what is unusual, and a
 * test checks that they give the same records on every real sample (test/importers/sacct/).
 */
import { parseTime } from '../common/time.js';
import { gpusOfGres, type SacctHeader } from './text.js';
import { nodeListOf, parseTres, slurmCount, slurmTime, type Tres } from './fields.js';
import type { JobId } from './job-id.js';
import type { SacctRecord } from './record.js';

const BAR = 124; // |
const DOT = 46;
const UNDERSCORE = 95;
const PLUS = 43;

export class SacctLineReader {
  /** Where each field starts and ends in the line being read. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly strings = new ByteStrings();
  /** What each TRES text says (jobs of one kind repeat the same TRES). */
  private readonly tres = new Map<string, Tres | null>();
  private dateKey = -1;
  private midnight = NaN;
  /** The previous line's allocation id, which its steps repeat. */
  private lastAllocation = '';
  /** Set when a value is not the common case: the line goes to parseLine. */
  private unusual = false;
  /** Whether this header's lines can be read here at all. */
  readonly usable: boolean;

  constructor(private readonly header: SacctHeader) {
    const n = header.names.length;
    this.starts = new Int32Array(n + 1);
    this.ends = new Int32Array(n + 1);
    // Without Start or End, parseLine derives them from Elapsed: left to it.
    this.usable = header.column.start >= 0 && header.column.end >= 0;
  }

  /**
   * The record of the ASCII line `bytes[from, to)` (without its line end), as parseLine gives it;
   * null when the line is anything but the common case.
   */
  read(bytes: Buffer, from: number, to: number, line: number, phaseOnly: boolean): SacctRecord | null {
    const header = this.header;
    if (!this.usable) return null;
    if (header.trailingBar && to > from && bytes[to - 1] === BAR) to--;
    const expected = header.names.length;
    const starts = this.starts;
    const ends = this.ends;
    let field = 0;
    starts[0] = from;
    for (let i = from; i < to; i++) {
      if (bytes[i] === BAR) {
        if (field + 1 >= expected) return null; // more fields than the header: parseLine decides
        ends[field++] = i;
        starts[field] = i + 1;
      }
    }
    ends[field] = to;
    if (field + 1 !== expected) return null;
    this.unusual = false;

    const c = header.column;
    const idColumn = c.jobid >= 0 ? c.jobid : c.jobidraw;
    const id = this.jobId(bytes, starts[idColumn], ends[idColumn]);
    if (id === null) return null;
    const start = this.time(bytes, c.start);
    const end = this.time(bytes, c.end);
    if (this.unusual || end < start) return null;

    if (phaseOnly && id.step !== null) {
      return {
        line, place: null, id, rawId: null, name: null, partition: null, state: this.text(bytes, c.state),
        submit: NaN, eligible: NaN, start, end, cpus: NaN, gpus: NaN, nodeList: null, submitLine: null,
      };
    }

    let cpus = this.count(bytes, c.alloccpus);
    if (cpus !== cpus) cpus = this.count(bytes, c.ncpus);
    let gpus = NaN;
    if (c.alloctres >= 0) {
      const tres = this.tresOf(this.string(bytes, c.alloctres)) ?? (c.reqtres >= 0 ? this.tresOf(this.string(bytes, c.reqtres)) : null);
      if (tres) {
        if (tres.gpus !== tres.gpus) return null;
        gpus = tres.gpus;
        if (cpus !== cpus) cpus = tres.cpus;
      }
    } else if (c.allocgres >= 0) {
      gpus = gpusOfGres(this.string(bytes, c.allocgres));
    }
    const record: SacctRecord = {
      line,
      place: null,
      id,
      rawId: c.jobidraw >= 0 ? this.rawId(bytes, c.jobidraw, id.allocation) : null,
      name: this.text(bytes, c.jobname),
      partition: this.text(bytes, c.partition),
      state: this.text(bytes, c.state),
      submit: this.time(bytes, c.submit),
      eligible: this.time(bytes, c.eligible),
      start,
      end,
      cpus,
      gpus,
      nodeList: c.nodelist >= 0 ? nodeListOf(this.string(bytes, c.nodelist)) : null,
      submitLine: this.text(bytes, c.submitline),
    };
    return this.unusual ? null : record;
  }

  /**
   * `123`, `123_7`, `123+1`, each with an optional `.step`; null for anything else (a pending
   * range `123_[4-8]`, not a job id at all), which parseJobId reads or rejects.
   */
  private jobId(bytes: Buffer, from: number, to: number): JobId | null {
    let i = from;
    while (i < to && isDigit(bytes[i])) i++;
    const baseEnd = i;
    if (baseEnd === from || baseEnd - from > 15) return null;
    let arrayIndex: number | null = null;
    let hetOffset: number | null = null;
    if (i < to && (bytes[i] === UNDERSCORE || bytes[i] === PLUS)) {
      const mark = bytes[i++];
      const numberFrom = i;
      let value = 0;
      while (i < to && isDigit(bytes[i])) value = value * 10 + (bytes[i++] - 48);
      if (i === numberFrom || i - numberFrom > 15) return null;
      if (mark === UNDERSCORE) arrayIndex = value;
      else hetOffset = value;
    }
    const allocationEnd = i;
    let step: string | null = null;
    if (i < to) {
      if (bytes[i] !== DOT || i + 1 === to) return null;
      step = this.strings.get(bytes, i + 1, to);
    }
    let allocation = this.lastAllocation;
    if (!sameText(bytes, from, allocationEnd, allocation)) {
      allocation = bytes.toString('latin1', from, allocationEnd);
      this.lastAllocation = allocation;
    }
    const base = allocationEnd === baseEnd ? allocation : bytes.toString('latin1', from, baseEnd);
    return { allocation, step, base, arrayIndex, arrayPending: null, hetOffset };
  }

  /** JobIDRaw: mostly the allocation's own id again. */
  private rawId(bytes: Buffer, column: number, allocation: string): string {
    const from = this.starts[column];
    const to = this.ends[column];
    return sameText(bytes, from, to, allocation) ? allocation : bytes.toString('latin1', from, to);
  }

  /** A field's text, the same string each time it repeats. */
  private string(bytes: Buffer, column: number): string {
    return this.strings.get(bytes, this.starts[column], this.ends[column]);
  }

  /** A field's text, null when the field is absent or empty (parseLine's `emptyToNull`). */
  private text(bytes: Buffer, column: number): string | null {
    if (column < 0 || this.starts[column] === this.ends[column]) return null;
    return this.string(bytes, column);
  }

  private tresOf(text: string): Tres | null {
    let tres = this.tres.get(text);
    if (tres === undefined) {
      tres = parseTres(text);
      if (this.tres.size < 4096) this.tres.set(text, tres);
    }
    return tres;
  }

  /** A count (AllocCPUS): digits read here, anything else as slurmCount reads it; NaN when unset. */
  private count(bytes: Buffer, column: number): number {
    if (column < 0) return NaN;
    const from = this.starts[column];
    const to = this.ends[column];
    if (from === to) return NaN;
    if (to - from <= 15) {
      let value = 0;
      let i = from;
      for (; i < to && isDigit(bytes[i]); i++) value = value * 10 + (bytes[i] - 48);
      if (i === to) return value;
    }
    const value = slurmCount(bytes.toString('latin1', from, to));
    if (value !== value) this.unusual = true;
    return value ?? NaN;
  }

  /**
   * A time column: `YYYY-MM-DDTHH:MM:SS` read here (as parseDateTime reads it, the date's
   * midnight remembered), anything else (`Unknown`, epochs, fractions) as slurmTime reads it;
   * NaN when unset.
   */
  private time(bytes: Buffer, column: number): number {
    if (column < 0) return NaN;
    const from = this.starts[column];
    const to = this.ends[column];
    if (to - from === 19 && isLayout(bytes, from)) {
      const key = digits(bytes, from, 4) * 10000 + digits(bytes, from + 5, 2) * 100 + digits(bytes, from + 8, 2);
      if (key !== this.dateKey) {
        const midnight = parseTime(bytes.toString('latin1', from, from + 10));
        if (midnight !== midnight) return this.slowTime(bytes, from, to);
        this.dateKey = key;
        this.midnight = midnight;
      }
      const hour = digits(bytes, from + 11, 2);
      const minute = digits(bytes, from + 14, 2);
      const second = digits(bytes, from + 17, 2);
      if (hour > 23 || minute > 59 || second > 60) {
        this.unusual = true;
        return NaN;
      }
      return this.midnight + hour * 3600 + minute * 60 + second;
    }
    return this.slowTime(bytes, from, to);
  }

  private slowTime(bytes: Buffer, from: number, to: number): number {
    const value = slurmTime(bytes.toString('latin1', from, to));
    if (value === null) return NaN;
    if (value !== value) this.unusual = true;
    return value;
  }
}

/**
 * Strings of byte ranges, each distinct text made once while it keeps coming: a table of 4096
 * slots by a hash of the bytes, a slot holding the last text that fell into it. Bounded however
 * many distinct values the file has (unique ones simply replace each other).
 */
export class ByteStrings {
  private readonly slots: string[] = new Array<string>(4096).fill('');

  get(bytes: Buffer, from: number, to: number): string {
    if (from === to) return '';
    let hash = 0x811c9dc5;
    for (let i = from; i < to; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
    const slot = (hash ^ (hash >>> 12)) & 4095;
    const known = this.slots[slot];
    if (sameText(bytes, from, to, known)) return known;
    const made = bytes.toString('latin1', from, to);
    this.slots[slot] = made;
    return made;
  }
}

/** Whether `bytes[from, to)` is the text `text` (ASCII). */
function sameText(bytes: Buffer, from: number, to: number, text: string): boolean {
  if (to - from !== text.length) return false;
  for (let i = from, k = 0; i < to; i++, k++) if (bytes[i] !== text.charCodeAt(k)) return false;
  return true;
}

function isDigit(byte: number): boolean {
  return byte >= 48 && byte <= 57;
}

/** `YYYY-MM-DD?HH:MM:SS` with `T` or a space between date and time, all digits where digits go. */
function isLayout(bytes: Buffer, at: number): boolean {
  const sep = bytes[at + 10];
  if (bytes[at + 4] !== 45 || bytes[at + 7] !== 45 || (sep !== 84 && sep !== 32) || bytes[at + 13] !== 58 || bytes[at + 16] !== 58) return false;
  for (const k of DIGIT_PLACES) if (!isDigit(bytes[at + k])) return false;
  return true;
}

const DIGIT_PLACES = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

function digits(bytes: Buffer, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) value = value * 10 + (bytes[i] - 48);
  return value;
}
