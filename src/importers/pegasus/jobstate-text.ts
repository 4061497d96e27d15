/**
 * The jobstate rows of a range of job instances, parsed from the one string that
 * `ForeignDatabase.rangeText` gives (`id US state US timestamp US seq`, rows separated by RS) into
 * columns that are reused from range to range. At 7 x 10^6 rows this is where the Pegasus reader
 * spent most of its time with `split` and `Number` (an array and four strings per row, and the
 * garbage collector after them); here a row costs no allocation: numbers are read digit by
 * digit, and a state is found in a small table by a hash of its characters.
 *
 * The numbers are the ones `Number()` gives for the same text, so that this path stores exactly
 * what the row-by-row path (`groups()`) stores. SQLite (3.53) prints a REAL in the shortest
 * digits that read back as the same double; a decimal of at most 15 digits is an integer below
 * 2^53 divided by a power of ten, both exact as doubles, and one division rounds correctly, as
 * `Number()` does. Other forms (16 or 17 digits, an exponent) go through `Number()`: a timestamp
 * with microseconds has 16 or 17. (Tried: SQLite writing such a REAL as two exact integers, whole
 * part and fraction x 2^52; SQLite's extra work and the longer text cost more than `Number()`.)
 */
import { GROUP_SEPARATORS } from '../../store/foreign-sqlite.js';

const PART = GROUP_SEPARATORS.part.charCodeAt(0);
const ROW = GROUP_SEPARATORS.row.charCodeAt(0);
const POWERS = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** A row the parser cannot take (a non-numeric id, a missing state, ...): what and where. */
export interface BadStateRow {
  instance: unknown;
  column: 'job_instance_id' | 'state' | 'timestamp' | 'jobstate_submit_seq' | 'row';
  state: string | null;
  value: unknown;
}

export class StateRows {
  count = 0;
  instance = new Float64Array(8192);
  state: string[] = [];
  time = new Float64Array(8192);
  seq = new Float64Array(8192);
  /** Interned states by the hash of their characters (open addressing). */
  private names: (string | undefined)[] = new Array<string | undefined>(256);
  private hashes = new Int32Array(256);
  private size = 0;

  /** Parses `text` (replacing what was parsed before); returns a bad row, or null. */
  parse(text: string): BadStateRow | null {
    this.count = 0;
    const end = text.length;
    let i = 0;
    while (i < end) {
      if (this.count === this.instance.length) this.grow();
      const n = this.count;
      // id
      const idStart = i;
      const id = readNumber(text, i);
      i = scanned;
      if (text.charCodeAt(i) !== PART || !Number.isInteger(id)) {
        const raw = text.slice(idStart, i);
        return { instance: raw, column: 'job_instance_id', state: null, value: Number.isFinite(Number(raw)) && raw.trim() !== '' ? Number(raw) : raw };
      }
      i++;
      // state
      const stateStart = i;
      let hash = 0;
      let c = text.charCodeAt(i);
      while (i < end && c !== PART && c !== ROW) {
        hash = (Math.imul(hash, 31) + c) | 0;
        c = text.charCodeAt(++i);
      }
      if (c !== PART) return { instance: id, column: 'row', state: null, value: text.slice(idStart, i) };
      if (i === stateStart) return { instance: id, column: 'state', state: null, value: null };
      const state = this.intern(text, stateStart, i, hash);
      i++;
      // timestamp: empty (NULL) is unknown; anything else must be a finite number
      const timeStart = i;
      const time = readNumber(text, i);
      i = scanned;
      if (text.charCodeAt(i) !== PART) return { instance: id, column: 'row', state, value: text.slice(idStart, i) };
      if (i > timeStart && (!Number.isFinite(time) || (usedNumber && text.slice(timeStart, i).trim() === ''))) {
        return splitRow(text, idStart, id) ?? { instance: id, column: 'timestamp', state, value: text.slice(timeStart, i) };
      }
      i++;
      // submit sequence: empty is 0
      const seqStart = i;
      const seq = readNumber(text, i);
      const seqEnd = (i = scanned);
      if (i < end && text.charCodeAt(i) !== ROW) return { instance: id, column: 'row', state, value: text.slice(idStart, i) };
      i++;
      this.instance[n] = id;
      this.state[n] = state;
      this.time[n] = time; // NaN when empty (NULL)
      this.seq[n] = seqEnd === seqStart ? 0 : seq;
      this.count++;
    }
    return null;
  }

  private intern(text: string, from: number, to: number, hash: number): string {
    const mask = this.names.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const known = this.names[slot];
      if (known === undefined) break;
      if (this.hashes[slot] === hash && known.length === to - from && text.startsWith(known, from)) return known;
    }
    const name = text.slice(from, to);
    if (this.size * 2 >= this.names.length) this.rehash();
    this.insert(name, hash);
    return name;
  }

  private insert(name: string, hash: number): void {
    const mask = this.names.length - 1;
    let slot = hash & mask;
    while (this.names[slot] !== undefined) slot = (slot + 1) & mask;
    this.names[slot] = name;
    this.hashes[slot] = hash;
    this.size++;
  }

  private rehash(): void {
    const names = this.names;
    const hashes = this.hashes;
    this.names = new Array<string | undefined>(names.length * 2);
    this.hashes = new Int32Array(names.length * 2);
    this.size = 0;
    for (let k = 0; k < names.length; k++) if (names[k] !== undefined) this.insert(names[k]!, hashes[k]);
  }

  private grow(): void {
    const grown = (old: Float64Array) => {
      const array = new Float64Array(old.length * 2);
      array.set(old);
      return array;
    };
    this.instance = grown(this.instance);
    this.time = grown(this.time);
    this.seq = grown(this.seq);
  }
}

/** The error for a row of more than 4 columns (a state that holds the column separator), else null. */
function splitRow(text: string, from: number, instance: number): BadStateRow | null {
  let parts = 0;
  let i = from;
  for (let c = text.charCodeAt(i); c === c && c !== ROW; c = text.charCodeAt(++i)) if (c === PART) parts++;
  return parts > 3 ? { instance, column: 'row', state: null, value: text.slice(from, i) } : null;
}

/** Where `readNumber` stopped, and whether it went through `Number()` (second return values without an object per call). */
let scanned = 0;
let usedNumber = false;

/**
 * The number written at `from` up to the next separator (or the end), as `Number()` reads it
 * (NaN for an empty field). Sets `scanned` to the separator's index.
 */
function readNumber(text: string, from: number): number {
  let i = from;
  let c = text.charCodeAt(i);
  const negative = c === 45; // '-'
  if (negative) c = text.charCodeAt(++i);
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (;;) {
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 && decimals < 0) {
      decimals = 0;
    } else break;
    c = text.charCodeAt(++i);
  }
  usedNumber = false;
  if ((c === PART || c === ROW || c !== c) && digits > 0 && digits <= 15 && decimals !== 0) {
    scanned = i;
    const value = decimals > 0 ? mantissa / POWERS[decimals] : mantissa;
    return negative ? -value : value;
  }
  // Anything else (an exponent, more digits, text): up to the separator, through Number().
  while (c === c && c !== PART && c !== ROW) c = text.charCodeAt(++i);
  scanned = i;
  if (i === from) return NaN;
  usedNumber = true;
  return Number(text.slice(from, i));
}
