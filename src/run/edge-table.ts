/**
 * Task-level dependencies (a parent must end before its child starts), as task indexes.
 */
export class EdgeTable {
  readonly parent: number[] = [];
  readonly child: number[] = [];

  get length(): number {
    return this.parent.length;
  }

  push(parent: number, child: number): void {
    this.parent.push(parent);
    this.child.push(child);
  }
}
