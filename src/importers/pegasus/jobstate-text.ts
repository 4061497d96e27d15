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
 * digits that read back as the same double; a decimal whose digits make an integer of at most
 * 2^53 (all of 15 digits, most of 16) is that integer divided by a power of ten, both exact as
 * doubles, and one division rounds correctly, as `Number()` does (Clinger's fast path). A
 * longer decimal whose whole part is large beside its fraction's precision (a timestamp with
 * microseconds: 17 digits) is its whole part plus its fraction, with one rounding that lands
 * where `Number()` does (see readNumber). Other forms (an exponent, a long fraction of a small
 * number) go through `Number()`. (Tried: SQLite writing such a REAL as two exact integers, whole
 * part and fraction x 2^52; SQLite's extra work and the longer text cost more than `Number()`.)
 */
import { GROUP_SEPARATORS } from '../../store/foreign-sqlite.js';

const PART = GROUP_SEPARATORS.part.charCodeAt(0);
const ROW = GROUP_SEPARATORS.row.charCodeAt(0);
/** 10^0 to 10^22: every power of ten a double holds exactly. */
const POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);
const EXACT = 2 ** 53;

/** A row the parser cannot take (a non-numeric id, a missing state, ...): what and where. */
export interface BadStateRow {
  instance: unknown;
  column: 'job_instance_id' | 'state' | 'timestamp' | 'jobstate_submit_seq' | 'row';
  state: string | null;
  value: unknown;
}

export class StateRows {
  count = 0;
  instance: Float64Array;
  /** Each row's state, as an index into `names`. */
  code: Int32Array;
  time: Float64Array;
  seq: Float64Array;
  /** The distinct states, by code, in the order they first came. */
  readonly names: string[] = [];
  /** Codes of the states (+1; 0 for an empty slot) by the hash of their characters (open addressing). */
  private slots = new Int32Array(256);
  private hashes = new Int32Array(256);

  constructor(capacity = 8192) {
    this.instance = new Float64Array(capacity);
    this.code = new Int32Array(capacity);
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
  }

  /** Parses `text` (replacing what was parsed before); returns a bad row, or null. */
  parse(text: string): BadStateRow | null {
    this.count = 0;
    return this.append(text);
  }

  /** Parses `text` after the rows held; returns a bad row (the rows before it are kept), or null. */
  append(text: string): BadStateRow | null {
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
      const code = this.intern(text, stateStart, i, hash);
      const state = this.names[code];
      i++;
      // timestamp: empty (NULL) is unknown; anything else must be a finite number
      const timeStart = i;
      const time = readNumber(text, i);
      i = scanned;
      if (text.charCodeAt(i) !== PART) return { instance: id, column: 'row', state, value: text.slice(idStart, i) };
      if (i > timeStart && (!Number.isFinite(time) || (usedNumber && isBlank(text, timeStart, i)))) {
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
      this.code[n] = code;
      this.time[n] = time; // NaN when empty (NULL)
      this.seq[n] = seqEnd === seqStart ? 0 : seq;
      this.count++;
    }
    return null;
  }

  /**
   * Hands over the rows' columns (to send them to another thread: their buffers are then
   * transferred) and starts again empty, with new columns of `capacity` rows. The states keep
   * their codes.
   */
  take(capacity: number): StateColumns {
    const taken = { count: this.count, instance: this.instance, code: this.code, time: this.time, seq: this.seq };
    this.count = 0;
    this.instance = new Float64Array(capacity);
    this.code = new Int32Array(capacity);
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    return taken;
  }

  private intern(text: string, from: number, to: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const code = this.slots[slot] - 1;
      if (code < 0) break;
      const known = this.names[code];
      if (this.hashes[slot] === hash && known.length === to - from && text.startsWith(known, from)) return code;
    }
    if (this.names.length * 2 >= this.slots.length) this.rehash();
    const code = this.names.push(text.slice(from, to)) - 1;
    this.insert(code, hash);
    return code;
  }

  private insert(code: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = code + 1;
    this.hashes[slot] = hash;
  }

  private rehash(): void {
    const slots = this.slots;
    const hashes = this.hashes;
    this.slots = new Int32Array(slots.length * 2);
    this.hashes = new Int32Array(slots.length * 2);
    for (let k = 0; k < slots.length; k++) if (slots[k] !== 0) this.insert(slots[k] - 1, hashes[k]);
  }

  private grow(): void {
    const grown = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const array = make(old.length * 2);
      array.set(old);
      return array;
    };
    this.instance = grown(this.instance, (n) => new Float64Array(n));
    this.code = grown(this.code, (n) => new Int32Array(n));
    this.time = grown(this.time, (n) => new Float64Array(n));
    this.seq = grown(this.seq, (n) => new Float64Array(n));
  }
}

/** Parsed jobstate rows, as columns (StateRows.take): the states as codes into StateRows.names. */
export interface StateColumns {
  count: number;
  instance: Float64Array;
  code: Int32Array;
  time: Float64Array;
  seq: Float64Array;
}

/** The error for a row of more than 4 columns (a state that holds the column separator), else null. */
function splitRow(text: string, from: number, instance: number): BadStateRow | null {
  let parts = 0;
  let i = from;
  for (let c = text.charCodeAt(i); c === c && c !== ROW; c = text.charCodeAt(++i)) if (c === PART) parts++;
  return parts > 3 ? { instance, column: 'row', state: null, value: text.slice(from, i) } : null;
}

/** Whether text[from, to) is only white space (Number() reads that as 0). A number's first character says no at once. */
function isBlank(text: string, from: number, to: number): boolean {
  const c = text.charCodeAt(from);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) return false;
  return text.slice(from, to).trim() === '';
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
  let whole = 0;
  let fraction = 0;
  let digits = 0;
  let decimals = -1;
  for (;;) {
    if (c >= 48 && c <= 57) {
      const digit = c - 48;
      mantissa = mantissa * 10 + digit;
      digits++;
      if (decimals >= 0) {
        decimals++;
        fraction = fraction * 10 + digit;
      } else whole = whole * 10 + digit;
    } else if (c === 46 && decimals < 0) {
      decimals = 0;
    } else break;
    c = text.charCodeAt(++i);
  }
  usedNumber = false;
  if ((c === PART || c === ROW || c !== c) && digits > 0 && decimals !== 0) {
    if (digits <= 15 || (digits === 16 && mantissa <= EXACT)) {
      scanned = i;
      const value = decimals > 0 ? mantissa / POWERS[decimals] : mantissa;
      return negative ? -value : value;
    }
    // More digits (a time with microseconds: 17): the whole part and the fraction's digits are
    // exact integers, and W + F/10^d lands where Number() does when 2 * 10^d <= W. F/10^d is off
    // by at most 2^-54; the double nearest v = W + F/10^d changes only at midpoints between
    // doubles, which sit at odd multiples of 2^-(t+1) above W (2^-t the spacing of doubles at v,
    // 2^(t+1) * 10^d < 2^54 by that condition), so v is either one of them (F/10^d then a short
    // dyadic fraction, exact, and the sum rounds to even as Number() does) or at least
    // 1 / (10^d * 2^(t+1)) > 2^-54 away from each: the sum then rounds to the same double.
    if (decimals <= 22 && whole <= EXACT && fraction <= EXACT && whole >= 2 * POWERS[decimals]) {
      scanned = i;
      const value = whole + fraction / POWERS[decimals];
      return negative ? -value : value;
    }
  }
  // Anything else (an exponent, more digits, text): up to the separator, through Number().
  while (c === c && c !== PART && c !== ROW) c = text.charCodeAt(++i);
  scanned = i;
  if (i === from) return NaN;
  usedNumber = true;
  return Number(text.slice(from, i));
}
