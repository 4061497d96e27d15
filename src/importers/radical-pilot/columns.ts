/**
 * Columns that grow in blocks of 64 Ki values, without copying what they hold: a session of a
 * million tasks fills columns of millions of values, and fresh memory is what costs most on the
 * machines measured (4-7 ms per MB); an array that doubles touches twice as much, and copies.
 *
 * Three small classes rather than one generic one: `push` runs tens of millions of times, and a
 * method shared by columns of different element kinds is slower (its property accesses see
 * several shapes).
 */
const BLOCK_BITS = 16;
export const BLOCK = 1 << BLOCK_BITS;
const IN_BLOCK = BLOCK - 1;

/** How many values block `b` of a column of `length` values holds. */
export function blockLength(length: number, b: number): number {
  return Math.min(BLOCK, length - b * BLOCK);
}

export class ChunkedInt32 {
  readonly blocks: Int32Array[] = [];
  length = 0;
  private block = new Int32Array(0);

  push(value: number): void {
    const at = this.length & IN_BLOCK;
    if (at === 0) this.blocks.push((this.block = new Int32Array(BLOCK)));
    this.block[at] = value;
    this.length++;
  }

  get(i: number): number {
    return this.blocks[i >>> BLOCK_BITS][i & IN_BLOCK];
  }
}

export class ChunkedFloat64 {
  readonly blocks: Float64Array[] = [];
  length = 0;
  private block = new Float64Array(0);

  push(value: number): void {
    const at = this.length & IN_BLOCK;
    if (at === 0) this.blocks.push((this.block = new Float64Array(BLOCK)));
    this.block[at] = value;
    this.length++;
  }

  get(i: number): number {
    return this.blocks[i >>> BLOCK_BITS][i & IN_BLOCK];
  }
}

export class ChunkedArray<T> {
  readonly blocks: T[][] = [];
  length = 0;
  private block: T[] = [];

  push(value: T): void {
    if ((this.length & IN_BLOCK) === 0) this.blocks.push((this.block = []));
    this.block.push(value);
    this.length++;
  }

  get(i: number): T {
    return this.blocks[i >>> BLOCK_BITS][i & IN_BLOCK];
  }
}
