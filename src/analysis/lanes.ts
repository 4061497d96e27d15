/**
 * Lanes: placing intervals on as few rows as possible so that no two on one row overlap
 * (greedy interval colouring, which is optimal: it uses as many lanes as the largest number of
 * intervals open at one instant).
 *
 * Intervals are visited by start; each takes the lowest-numbered lane free at its start, a lane
 * being free once its last interval has ended (an interval ending at t frees its lane for one
 * starting at t). Two heaps keep this O(n log n): busy lanes by end time (then by number, so the
 * result is deterministic), free lanes by number.
 *
 * Example: [0,10) [2,5) [5,8) [10,12) -> lanes 0, 1, 1, 0 (2 lanes).
 *
 * The HTML report draws every task of a small run on a lane of its group (report/timeline-data.ts);
 * the Chrome trace export puts each task on a lane (thread) of its type (exporters/chrome.ts).
 */
import { MinHeap } from '../util/min-heap.js';

export interface LaneAssignment {
  /** Lane of each interval (0-based), in the order of the input. */
  lane: Uint32Array;
  /** Number of lanes used. */
  lanes: number;
}

/**
 * `start` and `end` are integers (or any numbers compared exactly); `order` lists the intervals to
 * place, sorted by start. Intervals not in `order` get lane 0 and do not count.
 */
export function assignLanes(start: ArrayLike<number>, end: ArrayLike<number>, order: ArrayLike<number>): LaneAssignment {
  const lane = new Uint32Array(start.length);
  // The end of the interval each lane holds; a lane is in `busy` only while it holds one.
  let laneEnd = new Float64Array(16);
  const busy = new MinHeap((a, b) => laneEnd[a] < laneEnd[b] || (laneEnd[a] === laneEnd[b] && a < b));
  const free = new MinHeap((a, b) => a < b);
  let lanes = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    while (busy.size > 0 && laneEnd[busy.peek()] <= start[i]) free.push(busy.pop());
    let chosen = free.pop();
    if (chosen === -1) {
      chosen = lanes++;
      if (chosen === laneEnd.length) {
        const grown = new Float64Array(laneEnd.length * 2);
        grown.set(laneEnd);
        laneEnd = grown;
      }
    }
    lane[i] = chosen;
    laneEnd[chosen] = end[i];
    busy.push(chosen);
  }
  return { lane, lanes };
}
