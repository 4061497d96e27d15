/**
 * Lanes: placing intervals on as few rows as possible so that no two on one row overlap
 * (greedy interval colouring, which is optimal: it uses as many lanes as the largest number of
 * intervals open at one instant).
 *
 * Intervals are visited by start; each takes the lowest-numbered lane free at its start, a lane
 * being free once its last interval has ended (an interval ending at t frees its lane for one
 * starting at t). Two heaps keep this O(n log n): busy lanes by end time, free lanes by number.
 *
 * Example: [0,10) [2,5) [5,8) [10,12) -> lanes 0, 1, 1, 0 (2 lanes).
 */

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
  const busy = new MinHeap(); // key: end time, value: lane
  const free = new MinHeap(); // key and value: lane number
  let lanes = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    while (busy.size > 0 && busy.peekKey() <= start[i]) {
      const freed = busy.pop();
      free.push(freed, freed);
    }
    const chosen = free.size > 0 ? free.pop() : lanes++;
    lane[i] = chosen;
    busy.push(end[i], chosen);
  }
  return { lane, lanes };
}

/** A binary min-heap of (key, value) number pairs; ties broken by value, so results are deterministic. */
class MinHeap {
  private readonly keys: number[] = [];
  private readonly values: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  peekKey(): number {
    return this.keys[0];
  }

  push(key: number, value: number): void {
    this.keys.push(key);
    this.values.push(value);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes the smallest pair and returns its value. */
  pop(): number {
    const top = this.values[0];
    const lastKey = this.keys.pop()!;
    const lastValue = this.values.pop()!;
    if (this.keys.length > 0) {
      this.keys[0] = lastKey;
      this.values[0] = lastValue;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.keys.length && this.less(left, smallest)) smallest = left;
        if (right < this.keys.length && this.less(right, smallest)) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    return this.keys[a] < this.keys[b] || (this.keys[a] === this.keys[b] && this.values[a] < this.values[b]);
  }

  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b], this.keys[a]];
    [this.values[a], this.values[b]] = [this.values[b], this.values[a]];
  }
}
