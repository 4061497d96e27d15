/**
 * The profile events of every uid of a session, held until the session description says which
 * uids are tasks (an archive may store the profiles before the description).
 *
 * A session of a million tasks has millions of events, so they are kept in typed columns: the
 * uid's number, the number of its (event, state) pair, and the time; 16 bytes an event. Each uid's
 * first exec_start, last exec_stop and last state are kept as the events arrive.
 *
 * Uids and pairs are looked up by their bytes in the profile line (hash tables of our own over
 * byte ranges): making a string of each field of each line, to look it up in a Map, was most of
 * the time spent on profiles. A uid or pair that is not pure ASCII is decoded and looked up as
 * text instead, so that two byte spellings of one text (invalid UTF-8 becomes U+FFFD) stay one.
 */
import { ChunkedFloat64, ChunkedInt32 } from './columns.js';
import { decodeField, type ProfileSink } from './profile.js';

const NO_STATE = -1;
const EXEC_START = 1;
const EXEC_STOP = 2;
const EMPTY = -1;

/** FNV-1a over bytes, continued from `hash`. */
function fnv(bytes: Uint8Array, start: number, end: number, hash: number): number {
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash;
}
const FNV_START = 0x811c9dc5 | 0;

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  let any = 0;
  for (let i = start; i < end; i++) any |= bytes[i];
  return any < 0x80;
}

/** Growable byte pool holding the keys of a table. */
class BytePool {
  bytes = new Uint8Array(1 << 16);
  length = 0;

  append(source: Uint8Array, start: number, end: number): number {
    const at = this.length;
    const size = end - start;
    if (at + size > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, at + size));
      bigger.set(this.bytes.subarray(0, at));
      this.bytes = bigger;
    }
    this.bytes.set(source.subarray(start, end), at);
    this.length = at + size;
    return at;
  }

  equals(at: number, size: number, source: Uint8Array, start: number, end: number): boolean {
    return sameBytes(this.bytes, at, size, source, start, end);
  }
}

/** A uid family of NumberedUids: the bytes before the dot, how many digits follow, and uid numbers by value. */
export interface UidFamily {
  prefix: Uint8Array;
  digits: number;
  /** `index[n]` is 1 + the number of the uid `<prefix>.<n in digits>`, or 0. */
  index: Int32Array;
}

/** Numbers of this size and more are left to the hash table (an array of them would be too big). */
const MAX_NUMBERED = 1 << 24;
const NOT_NUMBERED = -2;

/**
 * RADICAL-Pilot uids are mostly `<kind>.<number>` (task.000042, pilot.0000): such a uid is found by
 * its kind and number in a plain array, without hashing, and tasks numbered in order land next to
 * each other in memory (the hash table's random probes missed the cache on every line).
 */
class NumberedUids {
  readonly families: UidFamily[] = [];
  private last = -1;
  /** The family and number of the uid last looked up (for `add`). */
  private family = -1;
  private number = -1;

  /** The uid's number, -1 when it is of this form but new, NOT_NUMBERED when it is not of this form. */
  find(bytes: Uint8Array, start: number, end: number): number {
    let k = end;
    while (k > start && bytes[k - 1] >= 0x30 && bytes[k - 1] <= 0x39) k--;
    const digits = end - k;
    if (digits === 0 || digits > 9 || k - 1 <= start || bytes[k - 1] !== 0x2e) return NOT_NUMBERED;
    let n = 0;
    for (let i = k; i < end; i++) n = n * 10 + bytes[i] - 0x30;
    if (n >= MAX_NUMBERED) return NOT_NUMBERED;
    const f = this.familyOf(bytes, start, k - 1, digits);
    this.family = f;
    this.number = n;
    const index = this.families[f].index;
    return n < index.length ? index[n] - 1 : -1;
  }

  /** The family of the uid last looked up. */
  lastFamily(): number {
    return this.family;
  }

  /** The number of the uid last looked up. */
  lastNumber(): number {
    return this.number;
  }

  /** Records uid `u` as the one `find` last looked up and did not find. */
  add(u: number): void {
    const family = this.families[this.family];
    if (this.number >= family.index.length) {
      let size = family.index.length;
      while (size <= this.number) size *= 2;
      const bigger = new Int32Array(size);
      bigger.set(family.index);
      family.index = bigger;
    }
    family.index[this.number] = u + 1;
  }

  private familyOf(bytes: Uint8Array, start: number, end: number, digits: number): number {
    const size = end - start;
    const matches = (f: number) => {
      const family = this.families[f];
      return family.digits === digits && sameBytes(family.prefix, 0, family.prefix.length, bytes, start, start + size);
    };
    if (this.last !== -1 && matches(this.last)) return this.last;
    for (let f = 0; f < this.families.length; f++) if (matches(f)) return (this.last = f);
    this.families.push({ prefix: new Uint8Array(bytes.subarray(start, end)), digits, index: new Int32Array(1024) }); // a copy, not a view of the chunk
    return (this.last = this.families.length - 1);
  }
}

/** The number of uid `text` (ASCII) in `families`: -1 when absent, NOT_NUMBERED when not of that form. */
function numberedUid(families: readonly UidFamily[], text: string): number {
  const dot = text.lastIndexOf('.');
  const digits = text.length - dot - 1;
  if (dot <= 0 || digits === 0 || digits > 9) return NOT_NUMBERED;
  let n = 0;
  for (let i = dot + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return NOT_NUMBERED;
    n = n * 10 + c - 0x30;
  }
  if (n >= MAX_NUMBERED) return NOT_NUMBERED;
  const prefix = text.slice(0, dot);
  for (const family of families) {
    if (family.digits !== digits || family.prefix.length !== prefix.length) continue;
    let same = true;
    for (let i = 0; i < prefix.length && same; i++) same = family.prefix[i] === prefix.charCodeAt(i);
    if (same) return n < family.index.length ? family.index[n] - 1 : -1;
  }
  return -1;
}

/**
 * The events read and how to find a uid's number: plain data, so that a worker thread can hand it
 * over. The uids are not strings here: a million of them cost the thread that reads the profiles
 * a string each, and the thread that receives them 0.2 s to copy (structured clone); a uid's text
 * is made from its bytes when asked (ProfileIndex.uid).
 */
export interface ProfileEventsState {
  uidCount: number;
  /** Events read. */
  length: number;
  firstExecStart: Float64Array;
  lastExecStop: Float64Array;
  lastStatePair: Int32Array;
  /** Per event, in blocks (see columns.ts). */
  eventUid: Int32Array[];
  eventPair: Int32Array[];
  eventTime: Float64Array[];
  pairEvent: string[];
  pairState: (string | null)[];
  uidSlots: Int32Array;
  uidHash: Int32Array;
  /**
   * Where each uid's text is, by its size: more than 0, its bytes in `uidPool` from `uidAt`; less
   * than 0, a numbered uid, of family -size - 1 (`numbered`) and number `uidAt`; 0, a uid that is
   * not ASCII (`textUids`).
   */
  uidAt: Int32Array;
  uidSize: Int32Array;
  uidPool: Uint8Array;
  textUids: Map<string, number>;
  numbered: UidFamily[];
}

/** The buffers of a state, to move it to another thread without a copy. */
export function stateBuffers(state: ProfileEventsState): ArrayBuffer[] {
  const arrays = [
    state.firstExecStart,
    state.lastExecStop,
    state.lastStatePair,
    ...state.eventUid,
    ...state.eventPair,
    ...state.eventTime,
    state.uidSlots,
    state.uidHash,
    state.uidAt,
    state.uidSize,
    state.uidPool,
    ...state.numbered.flatMap((family) => [family.prefix, family.index]),
  ];
  return [...new Set(arrays.map((array) => array.buffer as ArrayBuffer))];
}

/** Reading the events of a session's profiles (see ProfileLines): one instance for all profiles. */
export class ProfileEvents implements ProfileSink {
  /** Uids numbered so far (0, 1, ... in the order first seen). */
  private uidCount = 0;
  /** Per uid, NaN when never seen. */
  firstExecStart = new Float64Array(1024);
  lastExecStop = new Float64Array(1024);
  /** Per uid: the pair whose state came last (NO_STATE when none), and when. */
  private lastStatePair = new Int32Array(1024);
  private lastStateTime = new Float64Array(1024);

  /** Per event, in the order read. */
  readonly eventUid = new ChunkedInt32();
  readonly eventPair = new ChunkedInt32();
  readonly eventTime = new ChunkedFloat64();

  /** The distinct (event, state) pairs; state null when the line had none. */
  readonly pairEvent: string[] = [];
  readonly pairState: (string | null)[] = [];
  private readonly pairKind: number[] = [];

  // Uids with ASCII bytes that are not numbered: open addressing over their numbers; their bytes in
  // `uidPool`. Where each uid's text is: ProfileEventsState.uidAt and uidSize.
  private uidSlots = new Int32Array(1 << 12).fill(EMPTY);
  private uidHash = new Int32Array(1024);
  private uidAt = new Int32Array(1024);
  private uidSize = new Int32Array(1024);
  private readonly uidPool = new BytePool();
  private readonly numbered = new NumberedUids();
  /** Uids in the hash table (the others are numbered or not ASCII). */
  private hashedUids = 0;
  /** The uid of the previous ASCII lookup (-1 before the first). */
  private lastUid = -1;
  /** Uids that are not pure ASCII, by text. */
  private readonly textUids = new Map<string, number>();

  // Pairs with ASCII bytes: the same, keyed on event bytes, a separator, and state bytes.
  private pairSlots = new Int32Array(1 << 8).fill(EMPTY);
  private readonly pairHash: number[] = [];
  private readonly pairKey: number[] = []; // event at, event size, state at, state size; per pair
  private readonly pairPool = new BytePool();
  private readonly textPairs = new Map<string, Map<string, number>>();

  get length(): number {
    return this.eventTime.length;
  }

  addEvent(line: Buffer, uidStart: number, uidEnd: number, eventStart: number, eventEnd: number, stateStart: number, stateEnd: number, time: number): void {
    const u = this.uidOf(line, uidStart, uidEnd);
    const pair = this.pairOf(line, eventStart, eventEnd, stateStart, stateEnd);
    this.eventUid.push(u);
    this.eventPair.push(pair);
    this.eventTime.push(time);

    const kind = this.pairKind[pair];
    if (kind === EXEC_START) {
      if (!(time >= this.firstExecStart[u])) this.firstExecStart[u] = time;
    } else if (kind === EXEC_STOP) {
      if (!(time <= this.lastExecStop[u])) this.lastExecStop[u] = time;
    }
    if (this.pairState[pair] !== null && time >= this.lastStateTime[u]) {
      this.lastStatePair[u] = pair;
      this.lastStateTime[u] = time;
    }
  }

  /** What was read, for ProfileIndex (in this thread or another: its buffers can be transferred). */
  finish(): ProfileEventsState {
    const uids = this.uidCount;
    return {
      uidCount: uids,
      length: this.length,
      firstExecStart: this.firstExecStart.subarray(0, uids),
      lastExecStop: this.lastExecStop.subarray(0, uids),
      lastStatePair: this.lastStatePair.subarray(0, uids),
      eventUid: this.eventUid.blocks,
      eventPair: this.eventPair.blocks,
      eventTime: this.eventTime.blocks,
      pairEvent: this.pairEvent,
      pairState: this.pairState,
      uidSlots: this.uidSlots,
      uidHash: this.uidHash.subarray(0, uids),
      uidAt: this.uidAt.subarray(0, uids),
      uidSize: this.uidSize.subarray(0, uids),
      uidPool: this.uidPool.bytes.subarray(0, this.uidPool.length),
      textUids: this.textUids,
      numbered: this.numbered.families,
    };
  }

  private uidOf(line: Buffer, start: number, end: number): number {
    if (!isAscii(line, start, end)) {
      const text = decodeField(line, start, end);
      let u = this.textUids.get(text);
      if (u === undefined) this.textUids.set(text, (u = this.newUid(0, 0, 0)));
      return u;
    }
    const numbered = this.numbered.find(line, start, end);
    if (numbered >= 0) return numbered;
    if (numbered === -1) {
      const u = this.newUid(0, this.numbered.lastNumber(), -1 - this.numbered.lastFamily());
      this.numbered.add(u);
      return u;
    }
    // Consecutive lines are often about the same uid.
    const last = this.lastUid;
    if (last !== -1 && this.uidPool.equals(this.uidAt[last], this.uidSize[last], line, start, end)) return last;
    const hash = fnv(line, start, end, FNV_START);
    const slots = this.uidSlots;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (; ; slot = (slot + 1) & mask) {
      const u = slots[slot];
      if (u === EMPTY) break;
      if (this.uidHash[u] === hash && this.uidPool.equals(this.uidAt[u], this.uidSize[u], line, start, end)) return (this.lastUid = u);
    }
    const u = this.newUid(hash, this.uidPool.append(line, start, end), end - start);
    slots[slot] = u;
    if (++this.hashedUids * 2 > slots.length) this.rehashUids();
    return (this.lastUid = u);
  }

  /** A new uid, its text at `at` and `size` as ProfileEventsState.uidAt and uidSize say. */
  private newUid(hash: number, at: number, size: number): number {
    const u = this.uidCount++;
    if (u === this.firstExecStart.length) this.growUids();
    this.uidHash[u] = hash;
    this.uidAt[u] = at;
    this.uidSize[u] = size;
    this.firstExecStart[u] = NaN;
    this.lastExecStop[u] = NaN;
    this.lastStatePair[u] = NO_STATE;
    this.lastStateTime[u] = -Infinity;
    return u;
  }

  private rehashUids(): void {
    const slots = new Int32Array(this.uidSlots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let u = 0; u < this.uidCount; u++) {
      if (this.uidSize[u] <= 0) continue; // a text or numbered uid
      let slot = this.uidHash[u] & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = u;
    }
    this.uidSlots = slots;
  }

  private pairOf(line: Buffer, eventStart: number, eventEnd: number, stateStart: number, stateEnd: number): number {
    if (!isAscii(line, eventStart, eventEnd) || !isAscii(line, stateStart, stateEnd)) {
      const event = decodeField(line, eventStart, eventEnd);
      const state = decodeField(line, stateStart, stateEnd);
      let byState = this.textPairs.get(event);
      if (!byState) this.textPairs.set(event, (byState = new Map()));
      let pair = byState.get(state);
      if (pair === undefined) byState.set(state, (pair = this.newPair(event, state)));
      return pair;
    }
    const hash = fnv(line, stateStart, stateEnd, Math.imul(fnv(line, eventStart, eventEnd, FNV_START) ^ 0xff, 0x01000193));
    const slots = this.pairSlots;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (; ; slot = (slot + 1) & mask) {
      const p = slots[slot];
      if (p === EMPTY) break;
      const key = 4 * p;
      if (
        this.pairHash[p] === hash &&
        this.pairPool.equals(this.pairKey[key], this.pairKey[key + 1], line, eventStart, eventEnd) &&
        this.pairPool.equals(this.pairKey[key + 2], this.pairKey[key + 3], line, stateStart, stateEnd)
      ) {
        return p;
      }
    }
    const pair = this.newPair(line.toString('latin1', eventStart, eventEnd), line.toString('latin1', stateStart, stateEnd));
    this.pairHash[pair] = hash;
    const key = 4 * pair;
    this.pairKey[key] = this.pairPool.append(line, eventStart, eventEnd);
    this.pairKey[key + 1] = eventEnd - eventStart;
    this.pairKey[key + 2] = this.pairPool.append(line, stateStart, stateEnd);
    this.pairKey[key + 3] = stateEnd - stateStart;
    slots[slot] = pair;
    if (this.pairEvent.length * 2 > slots.length) this.rehashPairs();
    return pair;
  }

  private newPair(event: string, state: string): number {
    const pair = this.pairEvent.length;
    this.pairEvent.push(this.pairEvent.find((known) => known === event) ?? event);
    this.pairState.push(state === '' ? null : state);
    this.pairKind.push(event === 'exec_start' ? EXEC_START : event === 'exec_stop' ? EXEC_STOP : 0);
    this.pairHash[pair] = 0;
    this.pairKey.push(0, -1, 0, -1); // a text pair: never equal to bytes (size -1)
    return pair;
  }

  private rehashPairs(): void {
    const slots = new Int32Array(this.pairSlots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let p = 0; p < this.pairEvent.length; p++) {
      if (this.pairKey[4 * p + 1] === -1) continue; // a text pair
      let slot = this.pairHash[p] & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = p;
    }
    this.pairSlots = slots;
  }

  private growUids(): void {
    const size = this.firstExecStart.length * 2;
    this.firstExecStart = grown(this.firstExecStart, size);
    this.lastExecStop = grown(this.lastExecStop, size);
    this.lastStatePair = grown(this.lastStatePair, size);
    this.lastStateTime = grown(this.lastStateTime, size);
    this.uidHash = grown(this.uidHash, size);
    this.uidAt = grown(this.uidAt, size);
    this.uidSize = grown(this.uidSize, size);
  }
}

function grown<T extends Float64Array | Int32Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (size: number) => T)(size);
  bigger.set(array);
  return bigger;
}

/** The profiles' events once read: per uid, per event, and a uid's number from its text. */
export class ProfileIndex {
  /** Uids the profiles name: numbered 0 to uidCount - 1. */
  readonly uidCount: number;
  readonly length: number;
  readonly firstExecStart: Float64Array;
  readonly lastExecStop: Float64Array;
  readonly eventUid: Int32Array[];
  readonly eventPair: Int32Array[];
  readonly eventTime: Float64Array[];
  readonly pairEvent: string[];
  readonly pairState: (string | null)[];

  constructor(private readonly state: ProfileEventsState) {
    this.uidCount = state.uidCount;
    this.length = state.length;
    this.firstExecStart = state.firstExecStart;
    this.lastExecStop = state.lastExecStop;
    this.eventUid = state.eventUid;
    this.eventPair = state.eventPair;
    this.eventTime = state.eventTime;
    this.pairEvent = state.pairEvent;
    this.pairState = state.pairState;
  }

  /** Uids that are not ASCII, by number (made at the first call of `uid` for one). */
  private textUids: string[] | null = null;
  /** The text of each numbered family's prefix. */
  private readonly prefixes: string[] = [];

  /** The text of uid `u`, as the profile wrote it. */
  uid(u: number): string {
    const { state } = this;
    const size = state.uidSize[u];
    const at = state.uidAt[u];
    if (size > 0) return Buffer.from(state.uidPool.buffer, state.uidPool.byteOffset + at, size).toString('latin1');
    if (size < 0) {
      const f = -1 - size;
      const family = state.numbered[f];
      this.prefixes[f] ??= Buffer.from(family.prefix).toString('latin1');
      return `${this.prefixes[f]}.${String(at).padStart(family.digits, '0')}`;
    }
    if (this.textUids === null) {
      this.textUids = [];
      for (const [text, number] of state.textUids) this.textUids[number] = text;
    }
    return this.textUids[u];
  }

  /** The last state the profiles gave uid `u`, if any. */
  lastState(u: number): string | null {
    const pair = this.state.lastStatePair[u];
    return pair === NO_STATE ? null : this.pairState[pair];
  }

  /** The number of a uid given as text, or -1 when the profiles never name it. */
  uidNumber(uid: string): number {
    const { state } = this;
    let ascii = true;
    for (let i = 0; i < uid.length; i++) if (uid.charCodeAt(i) > 0x7f) ascii = false;
    if (!ascii) return state.textUids.get(uid) ?? -1;
    const numbered = numberedUid(state.numbered, uid);
    if (numbered !== NOT_NUMBERED) return numbered;
    const bytes = Buffer.from(uid, 'latin1');
    const hash = fnv(bytes, 0, bytes.length, FNV_START);
    const mask = state.uidSlots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const u = state.uidSlots[slot];
      if (u === EMPTY) return -1;
      if (state.uidHash[u] === hash && sameBytes(state.uidPool, state.uidAt[u], state.uidSize[u], bytes, 0, bytes.length)) return u;
    }
  }
}

function sameBytes(pool: Uint8Array, at: number, size: number, source: Uint8Array, start: number, end: number): boolean {
  if (end - start !== size) return false;
  for (let k = 0; k < size; k++) if (pool[at + k] !== source[start + k]) return false;
  return true;
}
