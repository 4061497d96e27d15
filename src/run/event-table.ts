/**
 * Raw profile events of a run's tasks (RADICAL-Pilot's `exec_start`, `schedule_ok`, ...), column
 * by column like a TaskTable. `task` is the task's index in its TaskTable; times in seconds.
 */
export class EventTable {
  readonly task: number[] = [];
  readonly event: string[] = [];
  readonly state: (string | null)[] = [];
  readonly time: number[] = [];

  get length(): number {
    return this.task.length;
  }

  push(task: number, event: string, state: string | null, time: number): void {
    this.task.push(task);
    this.event.push(event);
    this.state.push(state);
    this.time.push(time);
  }
}
