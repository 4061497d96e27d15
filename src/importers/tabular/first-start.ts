/**
 * The earliest start of a large CSV whose rows are not in start order, found before it is parsed.
 *
 * The store writes times relative to time zero, the first start, as the rows stream in; when a
 * later row starts earlier than every row before it, all rows written so far are shifted by an
 * UPDATE at the end (store/sqlite/run-writer.ts): about 0.9 CPU s at a million tasks, after both
 * threads are done. Finding the first start ahead costs a fifth of that (0.17 to 0.25 s: a scan of the bytes of
 * one column), so it is done only when the file looks unsorted: of 32 rows sampled across the
 * file, in file order, one starts before the one sampled before it (or before the earliest start
 * of the first 64 kB). A file in start order, or nearly (rows in completion order), costs 33 small
 * reads.
 *
 * Only for an uncompressed file without quotes (a quoted field may hold the delimiter or a line
 * break, which this scan does not follow): anything else returns null, and the writer shifts as
 * before. The answer is only a hint: a wrong one costs the UPDATE, never a wrong time.
 */
import fs from 'node:fs';
import { parseTime } from '../common/time.js';
import { mapColumns } from './fields.js';

const HEAD_BYTES = 65536;
const SAMPLES = 32;
const SAMPLE_BYTES = 4096;
const CHUNK_BYTES = 1 << 20;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** The earliest start of `file` when its rows are not in start order; null when in order, or when it cannot tell cheaply. */
export function firstStartIfUnsorted(file: string, delimiter: string): number | null {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size <= HEAD_BYTES) return null;
    const head = read(fd, 0, HEAD_BYTES);
    if (head.includes(QUOTE)) return null;
    const headerEnd = head.indexOf(LF);
    if (headerEnd === -1) return null;
    const header = lineText(head, 0, headerEnd).split(delimiter).map((h) => h.trim().replace(/^\uFEFF/, ''));
    const column = mapColumns(header).index.start;
    if (column === undefined) return null;
    const scan = new StartScan(delimiter.charCodeAt(0), column);
    const headEnd = scan.lines(head, headerEnd + 1);
    const headFirst = scan.first;
    if (!(headFirst < Infinity)) return null;

    // Rows in start order (or nearly: completion order) give samples in order; shuffled rows do not.
    let unsorted = false;
    let previous = headFirst;
    for (let k = 0; k < SAMPLES && !unsorted; k++) {
      const at = headEnd + Math.floor(((size - headEnd) * k) / SAMPLES);
      const bytes = read(fd, at, SAMPLE_BYTES);
      if (bytes.includes(QUOTE)) return null;
      const from = bytes.indexOf(LF) + 1; // the first whole line after `at`
      const to = from === 0 ? -1 : bytes.indexOf(LF, from);
      if (to === -1) continue;
      const sample = new StartScan(scan.delimiter, column);
      sample.lines(bytes.subarray(0, to + 1), from);
      if (sample.first < previous) unsorted = true;
      if (sample.first < Infinity) previous = sample.first;
    }
    if (!unsorted) return null;

    // The whole column, a megabyte at a time; a quote anywhere ends the scan without an answer.
    let position = headEnd;
    while (position < size) {
      const chunk = read(fd, position, CHUNK_BYTES);
      if (chunk.includes(QUOTE)) return null;
      const last = position + chunk.length >= size;
      const bytes = last && chunk[chunk.length - 1] !== LF ? Buffer.concat([chunk, Buffer.of(LF)]) : chunk;
      const consumed = scan.lines(bytes, 0);
      if (consumed === 0) return null; // a line longer than a chunk: not a table this scan reads
      position += Math.min(consumed, chunk.length);
    }
    return scan.first < Infinity ? scan.first : null;
  } finally {
    fs.closeSync(fd);
  }
}

/** The smallest start over the lines it is given (blank and unreadable starts are left to the parser). */
class StartScan {
  first = Infinity;

  constructor(
    readonly delimiter: number,
    private readonly column: number,
  ) {}

  /** Reads the whole lines of `bytes` from `from`; returns where the unfinished last line begins. */
  lines(bytes: Buffer, from: number): number {
    const { delimiter, column } = this;
    let lineStart = from;
    for (let end = bytes.indexOf(LF, lineStart); end !== -1; end = bytes.indexOf(LF, lineStart)) {
      let fieldStart = lineStart;
      for (let k = 0; k < column && fieldStart !== -1; k++) {
        const next = bytes.indexOf(delimiter, fieldStart);
        fieldStart = next === -1 || next > end ? -1 : next + 1;
      }
      if (fieldStart !== -1) {
        let fieldEnd = bytes.indexOf(delimiter, fieldStart);
        if (fieldEnd === -1 || fieldEnd > end) fieldEnd = end;
        if (fieldEnd > fieldStart && bytes[fieldEnd - 1] === CR) fieldEnd--;
        let time = decimalAt(bytes, fieldStart, fieldEnd);
        if (time !== time) time = parseTime(lineText(bytes, fieldStart, fieldEnd)); // not plain digits: ISO 8601, spaces, ...
        if (time < this.first) this.first = time; // NaN never is
      }
      lineStart = end + 1;
    }
    return lineStart;
  }
}

const DOT = 46;
const ZERO = 48;
/** Powers of ten that are exact doubles (10^0 to 10^22). */
const EXACT_POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The number written in bytes `start` to `end` when they are plain digits with at most one
 * decimal point (`1700000001.313537`), else NaN. Read from the bytes, without making a string:
 * most of the scan's time went to a string and `Number()` per line. The digits as one integer
 * (exact while below 2^53) divided by an exact power of ten is the correctly rounded value, the
 * double `Number()` gives for the same text; longer numbers return NaN and are parsed as text.
 */
export function decimalAt(bytes: Uint8Array, start: number, end: number): number {
  let digits = 0;
  let mantissa = 0;
  let point = -1;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c === DOT && point === -1) {
      point = i;
      continue;
    }
    const d = c - ZERO;
    if (d < 0 || d > 9) return NaN;
    mantissa = mantissa * 10 + d;
    digits++;
  }
  if (digits === 0 || mantissa > Number.MAX_SAFE_INTEGER) return NaN;
  const decimals = point === -1 ? 0 : end - point - 1;
  return decimals < EXACT_POWERS.length ? mantissa / EXACT_POWERS[decimals] : NaN;
}

function read(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  const n = fs.readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, n);
}

/** Text of a line or field, decoded as the parser decodes it. */
function lineText(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('utf8', start, end);
}
