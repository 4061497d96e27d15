/**
 * The profile events of every uid of a session, held until the session description says which
 * uids are tasks (an archive may store the profiles before the description).
 *
 * A session of a million tasks has millions of events, so they are kept in typed columns: the
 * uid's number, the number of the (event, state) pair, and the time; 16 bytes an event. Each uid's
 * first exec_start, last exec_stop and last state are kept as the events arrive.
 */
import type { ProfileSink } from './profile.js';

const NO_STATE = -1;
const EXEC_START = 1;
const EXEC_STOP = 2;

export class ProfileEvents implements ProfileSink {
  readonly uidIndex = new Map<string, number>();
  readonly uids: string[] = [];
  /** Per uid, NaN when never seen. */
  firstExecStart = new Float64Array(1024);
  lastExecStop = new Float64Array(1024);
  /** Per uid: the pair whose state came last (NO_STATE when none), and when. */
  private lastStatePair = new Int32Array(1024);
  private lastStateTime = new Float64Array(1024);

  /** Per event. */
  eventUid = new Int32Array(4096);
  eventPair = new Int32Array(4096);
  eventTime = new Float64Array(4096);
  length = 0;

  /** The distinct (event, state) pairs; state null when the line had none. */
  readonly pairEvent: string[] = [];
  readonly pairState: (string | null)[] = [];
  private pairKind: number[] = [];
  private readonly pairs = new Map<string, Map<string, number>>();

  add(uid: string, event: string, state: string, time: number): void {
    let u = this.uidIndex.get(uid);
    if (u === undefined) u = this.newUid(uid);
    let byState = this.pairs.get(event);
    if (byState === undefined) {
      byState = new Map();
      this.pairs.set(ownCopy(event), byState);
    }
    let pair = byState.get(state);
    if (pair === undefined) pair = this.newPair(byState, event, state);

    const n = this.length;
    if (n === this.eventTime.length) this.growEvents();
    this.eventUid[n] = u;
    this.eventPair[n] = pair;
    this.eventTime[n] = time;
    this.length = n + 1;

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

  /** The last state the profiles gave uid `u`, if any. */
  lastState(u: number): string | null {
    const pair = this.lastStatePair[u];
    return pair === NO_STATE ? null : this.pairState[pair];
  }

  private newUid(uid: string): number {
    const u = this.uids.length;
    if (u === this.firstExecStart.length) this.growUids();
    const own = ownCopy(uid);
    this.uidIndex.set(own, u);
    this.uids.push(own);
    this.firstExecStart[u] = NaN;
    this.lastExecStop[u] = NaN;
    this.lastStatePair[u] = NO_STATE;
    this.lastStateTime[u] = -Infinity;
    return u;
  }

  private newPair(byState: Map<string, number>, event: string, state: string): number {
    const pair = this.pairEvent.length;
    const ownEvent = this.pairEvent.find((known) => known === event) ?? ownCopy(event);
    this.pairEvent.push(ownEvent);
    this.pairState.push(state === '' ? null : ownCopy(state));
    this.pairKind.push(event === 'exec_start' ? EXEC_START : event === 'exec_stop' ? EXEC_STOP : 0);
    byState.set(ownCopy(state), pair);
    return pair;
  }

  private growUids(): void {
    const size = this.firstExecStart.length * 2;
    this.firstExecStart = grown(this.firstExecStart, size);
    this.lastExecStop = grown(this.lastExecStop, size);
    this.lastStatePair = grown(this.lastStatePair, size);
    this.lastStateTime = grown(this.lastStateTime, size);
  }

  private growEvents(): void {
    const size = this.eventTime.length * 2;
    this.eventUid = grown(this.eventUid, size);
    this.eventPair = grown(this.eventPair, size);
    this.eventTime = grown(this.eventTime, size);
  }
}

function grown<T extends Float64Array | Int32Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (size: number) => T)(size);
  bigger.set(array);
  return bigger;
}

/**
 * A copy of a string cut out of a profile chunk that does not keep the chunk alive: V8 cuts
 * substrings of 13 characters or more as views into their parent, so a uid kept from every chunk
 * would keep every decoded chunk, the whole profiles, in memory.
 */
function ownCopy(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}
