/**
 * RADICAL-Pilot profiles: CSV-like lines `time,event,comp,thread,uid,state,msg` written by every
 * component, with `#` header and comment lines.
 *
 * RADICAL writes these with a plain join, never quoting, so the last field (msg) may itself hold
 * commas; a line is therefore split at its first separators only, not with a general CSV parser.
 * The header line names the columns, so older layouts are read too.
 *
 * A session of a million tasks has tens of millions of profile lines. They are read as bytes, not
 * as text: decoding a 256 kB chunk makes a string that is fresh memory every time (4-7 ms per MB
 * on the machines measured), and each field cut out of it is another string. Here the fields are
 * found by their commas in the bytes, the uid and the (event, state) pair are looked up by their
 * bytes (profile-events.ts), and the time is read from its bytes too (decimal-bytes.ts; a short
 * string for `Number` where that cannot be exact). Bytes outside ASCII are decoded as text, exactly
 * as a UTF-8 decoder of the whole file would (commas and line ends never occur inside a multi-byte
 * character).
 */
import { exactDecimal } from './decimal-bytes.js';

/** Where the events of a profile go: uid and (event, state) are byte ranges of `line`. */
export interface ProfileSink {
  addEvent(
    line: Buffer,
    uidStart: number,
    uidEnd: number,
    eventStart: number,
    eventEnd: number,
    stateStart: number,
    stateEnd: number,
    time: number,
  ): void;
}

export interface ProfileStats {
  lines: number;
  events: number;
  /** Lines that could not be read (a run cut short mid-write leaves a partial last line). */
  malformed: number;
  /** Where the first malformed line is, `file:line`. */
  firstMalformed: string | null;
}

const DEFAULT_COLUMNS = ['time', 'event', 'comp', 'thread', 'uid', 'state', 'msg'];
const LF = 10;
const CR = 13;
const COMMA = 44;
const HASH = 35;

/** Decodes bytes outside ASCII as the old whole-file decoder did (invalid bytes become U+FFFD). */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

export function decodeField(line: Buffer, start: number, end: number): string {
  return utf8.decode(line.subarray(start, end));
}

/**
 * Reads one profile into `sink`; events without a uid (the component's own) are counted but not
 * passed on.
 */
export async function readProfile(file: string, content: AsyncIterable<Buffer>, sink: ProfileSink): Promise<ProfileStats> {
  const reader = new ProfileLines(file, sink);
  for await (const chunk of content) reader.bytes(chunk);
  return reader.end();
}

export class ProfileLines {
  private readonly stats: ProfileStats = { lines: 0, events: 0, malformed: 0, firstMalformed: null };
  private columns = DEFAULT_COLUMNS.length;
  private timeAt = 0;
  private eventAt = 1;
  private uidAt = 4;
  private stateAt = 5;
  /** Start and end of each field of the current line. */
  private starts = new Int32Array(DEFAULT_COLUMNS.length);
  private ends = new Int32Array(DEFAULT_COLUMNS.length);
  /** The start of a line not yet ended at the end of the previous chunk(s). */
  private rest: Buffer[] = [];

  constructor(
    private readonly file: string,
    private readonly sink: ProfileSink,
  ) {}

  bytes(chunk: Buffer): void {
    let from = 0;
    if (this.rest.length > 0) {
      const nl = chunk.indexOf(LF);
      if (nl === -1) {
        this.rest.push(Buffer.from(chunk));
        return;
      }
      const line = Buffer.concat([...this.rest, chunk.subarray(0, nl + 1)]);
      this.rest = [];
      this.scan(line, 0);
      from = nl + 1;
    }
    from = this.scan(chunk, from);
    if (from < chunk.length) this.rest.push(Buffer.from(chunk.subarray(from)));
  }

  end(): ProfileStats {
    if (this.rest.length > 0) {
      const line = Buffer.concat([...this.rest, Buffer.of(LF)]);
      this.rest = [];
      this.scan(line, 0);
    }
    return this.stats;
  }

  /**
   * Reads the whole lines of `bytes` from `from`, finding line ends and the commas of the fields
   * in one pass; returns where the unfinished last line begins.
   */
  private scan(bytes: Buffer, from: number): number {
    const n = bytes.length;
    let { starts, ends, columns } = this;
    let lineStart = from;
    let fields = 1;
    starts[0] = from;
    for (let i = from; i < n; i++) {
      const c = bytes[i];
      if (c === COMMA) {
        if (fields < columns) {
          ends[fields - 1] = i;
          starts[fields++] = i + 1;
        }
      } else if (c === LF) {
        this.line(bytes, lineStart, i, fields);
        ({ starts, ends, columns } = this); // a header line changes them
        lineStart = i + 1;
        fields = 1;
        starts[0] = lineStart;
      }
    }
    return lineStart;
  }

  /** The line `bytes[start, end)` (its LF excluded), with the starts of its first `fields` fields found. */
  private line(bytes: Buffer, start: number, end: number, fields: number): void {
    const number = ++this.stats.lines;
    const { starts, ends, columns } = this;
    // A byte order mark opens the file: the whole-file decoder dropped it.
    if (number === 1 && end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) starts[0] = start += 3;
    if (end > start && bytes[end - 1] === CR) end--;
    if (end === start) return;
    if (bytes[start] === HASH) {
      this.header(decodeField(bytes, start + 1, end));
      return;
    }
    ends[fields - 1] = end;
    const { timeAt, eventAt } = this;
    const time = fields > timeAt ? parseTime(bytes, starts[timeAt], ends[timeAt]) : NaN;
    if (!Number.isFinite(time) || fields < columns - 1 || eventAt >= fields || starts[eventAt] === ends[eventAt]) {
      this.stats.malformed++;
      this.stats.firstMalformed ??= `${this.file}:${number}`;
      return;
    }
    this.stats.events++;
    const { uidAt, stateAt } = this;
    if (uidAt < 0 || uidAt >= fields || starts[uidAt] === ends[uidAt]) return;
    const hasState = stateAt >= 0 && stateAt < fields;
    this.sink.addEvent(bytes, starts[uidAt], ends[uidAt], starts[eventAt], ends[eventAt], hasState ? starts[stateAt] : 0, hasState ? ends[stateAt] : 0, time);
  }

  private header(names: string): void {
    const header = names.split(',').map((name) => name.trim());
    if (!(header.includes('time') && header.includes('event'))) return; // a comment
    this.columns = header.length;
    this.timeAt = header.indexOf('time');
    this.eventAt = header.indexOf('event');
    this.uidAt = header.indexOf('uid');
    this.stateAt = header.indexOf('state');
    this.starts = new Int32Array(header.length);
    this.ends = new Int32Array(header.length);
  }
}

/** `Number` of the field's text (which trims blanks, and takes '' as 0): from its bytes when that is exact. */
function parseTime(bytes: Buffer, start: number, end: number): number {
  const exact = exactDecimal(bytes, start, end);
  if (exact === exact) return exact;
  let ascii = true;
  for (let i = start; i < end; i++) if (bytes[i] > 0x7f) ascii = false;
  return Number(ascii ? bytes.toString('latin1', start, end) : decodeField(bytes, start, end));
}
