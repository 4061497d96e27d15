/**
 * Walking rows of several tables ordered by the same key side by side (a merge join): the tries
 * and states of task 7 are taken from their ordered streams while task 7 is read, so no table is
 * ever held whole.
 */

export class KeyedCursor {
  private next: IteratorResult<unknown[]>;
  /** Rows passed over because no task asked for their key (rows of tasks the task table lacks). */
  skipped = 0;

  constructor(
    private readonly rows: Iterator<unknown[]>,
    private readonly keyColumn = 0,
  ) {
    this.next = rows.next();
  }

  /** The rows whose key is `key`; rows with smaller keys are skipped (and counted). */
  take(key: number): unknown[][] {
    const taken: unknown[][] = [];
    while (!this.next.done) {
      const row = this.next.value;
      const k = row[this.keyColumn] as number;
      if (k < key) this.skipped++;
      else if (k === key) taken.push(row);
      else break;
      this.next = this.rows.next();
    }
    return taken;
  }

  /** Counts what is left (rows after the last task) and stops reading. */
  finish(): void {
    while (!this.next.done) {
      this.skipped++;
      this.next = this.rows.next();
    }
  }
}
