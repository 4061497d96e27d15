/**
 * A binary min-heap of integers (task, stage, class or lane indexes) ordered by a comparison the
 * caller gives, so keys live in the caller's typed arrays instead of one object per entry. The
 * simulator, the DAG's topological order, a stage's time alone and the lanes of timelines use it.
 */
export class MinHeap {
  private items: Int32Array;
  private count = 0;

  /** `less(a, b)`: whether a comes out before b. Must be a strict total order for determinism. */
  constructor(
    private readonly less: (a: number, b: number) => boolean,
    capacity = 16,
  ) {
    this.items = new Int32Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  /** The first item, without removing it; -1 when empty. */
  peek(): number {
    return this.count > 0 ? this.items[0] : -1;
  }

  push(item: number): void {
    if (this.count === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    const items = this.items;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(item, items[parent])) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = item;
  }

  /** Removes and returns the first item; -1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const items = this.items;
    const top = items[0];
    const last = items[--this.count];
    const n = this.count;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.less(items[child + 1], items[child])) child++;
      if (!this.less(items[child], last)) break;
      items[i] = items[child];
      i = child;
    }
    if (n > 0) items[i] = last;
    return top;
  }
}
