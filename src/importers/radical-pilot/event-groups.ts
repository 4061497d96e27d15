/**
 * The tasks' events in the order they are stored: grouped by task, by time within a task (ties in
 * the order read), from time zero, with exact repeats marked. A pure function of typed columns, so
 * that the profile reader thread can run it while the main thread writes the tasks (profiles.ts):
 * at a million tasks it sorts five million events, most of a second.
 */
import { blockLength } from './columns.js';

/** The profiles' event columns (ProfileEventsState's), in blocks of columns.ts. */
export interface EventColumns {
  length: number;
  eventUid: Int32Array[];
  eventPair: Int32Array[];
  eventTime: Float64Array[];
}

/** Events by task: task `t`'s are `[bucketStart[t], bucketStart[t + 1])` of `time` and `pair`. */
export interface GroupedEvents {
  bucketStart: Uint32Array;
  /** Seconds from time zero. */
  time: Float64Array;
  /** The (event, state) pair of each event; -1 for a repeat, which is not stored. */
  pair: Int32Array;
}

/** The buffers a thread hands over (transfers) with a GroupedEvents. */
export function groupedBuffers(grouped: GroupedEvents): ArrayBuffer[] {
  return [grouped.bucketStart.buffer, grouped.time.buffer, grouped.pair.buffer] as ArrayBuffer[];
}

/**
 * Groups the events of the uids that are tasks (`taskOfUid[u]`, -1 for none) by task, times minus
 * `zero`. Exact repeats are removed: profiles of different components record the same event. A
 * repeat may follow a different event of the same instant (profile A: start, advance; profile B:
 * start, advance), so each event is compared with all kept events of its instant.
 */
export function groupEvents(columns: EventColumns, taskOfUid: Int32Array, taskCount: number, zero: number): GroupedEvents {
  const uidBlocks = columns.eventUid;
  const pairBlocks = columns.eventPair;
  const timeBlocks = columns.eventTime;
  const blockSize = (b: number) => blockLength(columns.length, b);
  // Counting sort by task, keeping the order read within a task.
  const bucketStart = new Uint32Array(taskCount + 1);
  for (let b = 0; b < uidBlocks.length; b++) {
    const uids = uidBlocks[b];
    for (let k = 0, size = blockSize(b); k < size; k++) {
      const task = taskOfUid[uids[k]];
      if (task !== -1) bucketStart[task + 1]++;
    }
  }
  for (let t = 1; t <= taskCount; t++) bucketStart[t] += bucketStart[t - 1];
  const count = bucketStart[taskCount];
  const time = new Float64Array(count);
  const pair = new Int32Array(count);
  const fill = bucketStart.slice(0, taskCount);
  for (let b = 0; b < uidBlocks.length; b++) {
    const uids = uidBlocks[b];
    const pairs = pairBlocks[b];
    const times = timeBlocks[b];
    for (let k = 0, size = blockSize(b); k < size; k++) {
      const task = taskOfUid[uids[k]];
      if (task === -1) continue;
      const at = fill[task]++;
      time[at] = times[k] - zero;
      pair[at] = pairs[k];
    }
  }

  for (let t = 0; t < taskCount; t++) {
    const from = bucketStart[t];
    const to = bucketStart[t + 1];
    sortByTime(time, pair, from, to);
    // Kept events of the current instant: [instant, k) holds candidates, compared by pair.
    let instant = from;
    for (let k = from; k < to; k++) {
      if (time[k] !== time[instant]) instant = k;
      for (let m = instant; m < k; m++) {
        if (pair[m] === pair[k]) {
          pair[k] = -1; // a repeat; never equal to a later one
          break;
        }
      }
    }
  }
  return { bucketStart, time, pair };
}

/**
 * Sorts `[from, to)` of the two columns by time, ties in their present order (a stable sort):
 * insertion sort for the few events of most tasks, else an index sort.
 */
function sortByTime(time: Float64Array, pair: Int32Array, from: number, to: number): void {
  if (to - from <= 48) {
    for (let k = from + 1; k < to; k++) {
      const t = time[k];
      const p = pair[k];
      let m = k - 1;
      for (; m >= from && time[m] > t; m--) {
        time[m + 1] = time[m];
        pair[m + 1] = pair[m];
      }
      time[m + 1] = t;
      pair[m + 1] = p;
    }
    return;
  }
  const order = Array.from({ length: to - from }, (_, k) => from + k);
  order.sort((a, b) => time[a] - time[b] || a - b);
  const sortedTime = order.map((k) => time[k]);
  const sortedPair = order.map((k) => pair[k]);
  time.set(sortedTime, from);
  pair.set(sortedPair, from);
}
