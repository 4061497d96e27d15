/**
 * Columns that grow in blocks of 64 Ki values, without copying what they hold: a session of a
 * million tasks fills columns of millions of values, and fresh memory is what costs most on the
 * machines measured (4-7 ms per MB); an array that doubles touches twice as much, and copies.
 */
const BLOCK_BITS = 16;
const BLOCK = 1 << BLOCK_BITS;
const IN_BLOCK = BLOCK - 1;

/** Values in blocks; `blocks[b]` holds values `b * BLOCK ...`, the last one partly filled. */
abstract class Chunked<T, Block extends { [i: number]: T; length: number }> {
  readonly blocks: Block[] = [];
  length = 0;

  protected abstract newBlock(): Block;

  push(value: T): void {
    const at = this.length & IN_BLOCK;
    if (at === 0) this.blocks.push(this.newBlock());
    this.blocks[this.blocks.length - 1][at] = value;
    this.length++;
  }

  get(i: number): T {
    return this.blocks[i >>> BLOCK_BITS][i & IN_BLOCK];
  }

  /** How many values block `b` holds. */
  blockLength(b: number): number {
    return Math.min(BLOCK, this.length - b * BLOCK);
  }
}

export class ChunkedInt32 extends Chunked<number, Int32Array> {
  protected newBlock(): Int32Array {
    return new Int32Array(BLOCK);
  }
}

export class ChunkedFloat64 extends Chunked<number, Float64Array> {
  protected newBlock(): Float64Array {
    return new Float64Array(BLOCK);
  }
}

export class ChunkedArray<T> extends Chunked<T, T[]> {
  protected newBlock(): T[] {
    return [];
  }
}
