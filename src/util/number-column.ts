/**
 * A column of numbers of unknown length, filled one at a time and then handed over as one typed
 * array. Held in blocks of 64 k numbers: a plain array that grows to a million numbers copies
 * itself again and again (the old copies are large objects that stay until a full collection:
 * some 150 MB of peak RSS for the dozen columns of a 10^6-job Pegasus database), and a COUNT(*)
 * first to size the array costs a scan of its own.
 */
const BLOCK = 1 << 16;

type TypedArray = Int32Array | Float64Array;

class NumberColumn<T extends TypedArray> {
  private readonly blocks: T[] = [];
  private block: T;
  private used = 0;
  length = 0;

  constructor(private readonly make: (length: number) => T) {
    this.block = make(BLOCK);
  }

  push(value: number): void {
    if (this.used === BLOCK) {
      this.blocks.push(this.block);
      this.block = this.make(BLOCK);
      this.used = 0;
    }
    this.block[this.used++] = value;
    this.length++;
  }

  /** The number at `index` (< length). */
  at(index: number): number {
    const full = this.blocks.length * BLOCK;
    return index >= full ? this.block[index - full] : this.blocks[(index / BLOCK) | 0][index % BLOCK];
  }

  /** The numbers as one typed array of `length`. */
  toArray(): T {
    const all = this.make(this.length);
    let at = 0;
    for (const block of this.blocks) {
      all.set(block, at);
      at += BLOCK;
    }
    all.set(this.block.subarray(0, this.used), at);
    return all;
  }
}

export class Int32Column extends NumberColumn<Int32Array> {
  constructor() {
    super((length) => new Int32Array(length));
  }
}

export class Float64Column extends NumberColumn<Float64Array> {
  constructor() {
    super((length) => new Float64Array(length));
  }
}
