/**
 * Joining many small strings into pieces of about 64 KiB before they are written: one write per
 * line would make exporting a million tasks slow, one string for the whole file would not fit.
 */
const PIECE = 1 << 16;

export class Batcher {
  private parts: string[] = [];
  private size = 0;

  add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  /** The batch, if it is big enough to be worth writing. */
  *drain(): Generator<string> {
    if (this.size >= PIECE) yield* this.flush();
  }

  /** Whatever is batched. */
  *flush(): Generator<string> {
    if (this.size === 0) return;
    const piece = this.parts.join('');
    this.parts = [];
    this.size = 0;
    yield piece;
  }
}
