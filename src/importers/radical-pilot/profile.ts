/**
 * RADICAL-Pilot profiles: CSV-like lines `time,event,comp,thread,uid,state,msg` written by every
 * component, with `#` header and comment lines.
 *
 * RADICAL writes these with a plain join, never quoting, so the last field (msg) may itself hold
 * commas; a line is therefore split at its first separators only, not with a general CSV parser.
 * The header line names the columns, so older layouts are read too.
 */
import { lines } from '../common/streams.js';

export interface ProfileEvent {
  time: number;
  event: string;
  uid: string;
  state: string;
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

export async function readProfile(
  file: string,
  content: AsyncIterable<Buffer>,
  onEvent: (event: ProfileEvent) => void,
): Promise<ProfileStats> {
  const stats: ProfileStats = { lines: 0, events: 0, malformed: 0, firstMalformed: null };
  let columns = DEFAULT_COLUMNS;
  let at = indexes(columns);
  const event: ProfileEvent = { time: 0, event: '', uid: '', state: '' };

  for await (const [line, number] of lines(content)) {
    stats.lines = number;
    if (line === '') continue;
    if (line.charCodeAt(0) === 35 /* # */) {
      const header = line.slice(1).split(',').map((name) => name.trim());
      if (header.includes('time') && header.includes('event')) {
        columns = header;
        at = indexes(columns);
      }
      continue;
    }
    const fields = splitFields(line, columns.length);
    const time = fields.length > at.time ? Number(fields[at.time]) : NaN;
    if (!Number.isFinite(time) || fields.length < columns.length - 1 || !fields[at.event]) {
      stats.malformed++;
      stats.firstMalformed ??= `${file}:${number}`;
      continue;
    }
    event.time = time;
    event.event = fields[at.event];
    event.uid = at.uid >= 0 ? (fields[at.uid] ?? '') : '';
    event.state = at.state >= 0 ? (fields[at.state] ?? '') : '';
    stats.events++;
    onEvent(event);
  }
  return stats;
}

function indexes(columns: string[]): { time: number; event: number; uid: number; state: number } {
  return {
    time: columns.indexOf('time'),
    event: columns.indexOf('event'),
    uid: columns.indexOf('uid'),
    state: columns.indexOf('state'),
  };
}

/** Splits at the first `count - 1` commas; the last field keeps any further commas. */
export function splitFields(line: string, count: number): string[] {
  const fields: string[] = [];
  let from = 0;
  while (fields.length < count - 1) {
    const comma = line.indexOf(',', from);
    if (comma === -1) break;
    fields.push(line.slice(from, comma));
    from = comma + 1;
  }
  fields.push(line.slice(from));
  return fields;
}
