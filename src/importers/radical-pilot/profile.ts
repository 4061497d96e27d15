/**
 * RADICAL-Pilot profiles: CSV-like lines `time,event,comp,thread,uid,state,msg` written by every
 * component, with `#` header and comment lines.
 *
 * RADICAL writes these with a plain join, never quoting, so the last field (msg) may itself hold
 * commas; a line is therefore split at its first separators only, not with a general CSV parser.
 * The header line names the columns, so older layouts are read too.
 *
 * A session of a million tasks has millions of profile lines, so lines are not cut out one by one:
 * each chunk is decoded once (as Latin-1 when it is pure ASCII, which is the same text and several
 * times faster than UTF-8 decoding), and only the fields needed (time, event, uid, state) are cut
 * out of it, by position.
 */
import { isAscii } from 'node:buffer';

/** Where the events of a profile go. `state` is '' when the line has none. */
export interface ProfileSink {
  add(uid: string, event: string, state: string, time: number): void;
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
const HASH = 35;
const CR = 13;

/**
 * Reads one profile into `sink`; events without a uid (the component's own) are counted but not
 * passed on.
 */
export async function readProfile(file: string, content: AsyncIterable<Buffer>, sink: ProfileSink): Promise<ProfileStats> {
  const reader = new ProfileLines(file, sink);
  let decoder: InstanceType<typeof TextDecoder> | null = null;
  let started = false;
  for await (const chunk of content) {
    // Once a chunk was not pure ASCII, the decoder keeps any character split across chunks. It
    // drops a byte order mark only at the very start of the file, as when it decodes all of it.
    if (decoder === null && isAscii(chunk)) {
      reader.text(chunk.toString('latin1'));
    } else {
      decoder ??= new TextDecoder('utf-8', { ignoreBOM: started });
      reader.text(decoder.decode(chunk, { stream: true }));
    }
    started = true;
  }
  if (decoder) reader.text(decoder.decode());
  return reader.end();
}

class ProfileLines {
  private readonly stats: ProfileStats = { lines: 0, events: 0, malformed: 0, firstMalformed: null };
  private columns = DEFAULT_COLUMNS.length;
  private timeAt = 0;
  private eventAt = 1;
  private uidAt = 4;
  private stateAt = 5;
  /** Start and end of each field of the current line. */
  private starts = new Int32Array(DEFAULT_COLUMNS.length);
  private ends = new Int32Array(DEFAULT_COLUMNS.length);
  /** A line not yet ended at the end of the previous chunk. */
  private rest = '';

  constructor(
    private readonly file: string,
    private readonly sink: ProfileSink,
  ) {}

  text(text: string): void {
    let from = 0;
    if (this.rest !== '') {
      const nl = text.indexOf('\n');
      if (nl === -1) {
        this.rest += text;
        return;
      }
      const line = this.rest + text.slice(0, nl);
      this.rest = '';
      this.line(line, 0, line.length);
      from = nl + 1;
    }
    for (let nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', from)) {
      this.line(text, from, nl);
      from = nl + 1;
    }
    if (from < text.length) this.rest = text.slice(from);
  }

  end(): ProfileStats {
    if (this.rest !== '') {
      const line = this.rest;
      this.rest = '';
      this.line(line, 0, line.length);
    }
    return this.stats;
  }

  /** The line `text[start, end)`, its line end excluded (a CR before it is dropped here). */
  private line(text: string, start: number, end: number): void {
    const number = ++this.stats.lines;
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    if (end === start) return;
    if (text.charCodeAt(start) === HASH) {
      this.header(text.slice(start + 1, end));
      return;
    }
    // Fields: split at the first `columns - 1` commas; the last keeps any further commas.
    const { starts, ends, columns } = this;
    let fields = 1;
    starts[0] = start;
    let from = start;
    while (fields < columns) {
      const comma = text.indexOf(',', from);
      if (comma === -1 || comma >= end) break;
      ends[fields - 1] = comma;
      starts[fields] = from = comma + 1;
      fields++;
    }
    ends[fields - 1] = end;
    const { timeAt, eventAt } = this;
    const time = fields > timeAt ? Number(text.slice(starts[timeAt], ends[timeAt])) : NaN;
    if (!Number.isFinite(time) || fields < columns - 1 || eventAt >= fields || starts[eventAt] === ends[eventAt]) {
      this.stats.malformed++;
      this.stats.firstMalformed ??= `${this.file}:${number}`;
      return;
    }
    this.stats.events++;
    const { uidAt, stateAt } = this;
    if (uidAt < 0 || uidAt >= fields || starts[uidAt] === ends[uidAt]) return;
    const state = stateAt >= 0 && stateAt < fields ? text.slice(starts[stateAt], ends[stateAt]) : '';
    this.sink.add(text.slice(starts[uidAt], ends[uidAt]), text.slice(starts[eventAt], ends[eventAt]), state, time);
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
