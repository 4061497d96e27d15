/**
 * How long each task held its cores and GPUs beyond its execution, from RADICAL-Pilot's profile
 * events: the agent scheduler places a task (`schedule_ok`), the executor launches it
 * (`exec_start` ... `exec_stop`), and the scheduler frees its resources (`unschedule_stop`). For
 * tasks of a few seconds this is a tenth of their time (RADICAL-Pilot's sample session: 0.2 s).
 */
import type { EventTable } from '../run/event-table.js';

/** The events read, for loading only these. */
export const HOLD_EVENTS = ['schedule_ok', 'exec_start', 'exec_stop', 'unschedule_stop'] as const;

/**
 * Per task: (first exec_start - first schedule_ok) + (last unschedule_stop - last exec_stop),
 * NaN when an event is missing or out of order.
 */
export function holdExtraTimes(events: EventTable, taskCount: number): Float64Array {
  const scheduled = new Float64Array(taskCount).fill(NaN);
  const started = new Float64Array(taskCount).fill(NaN);
  const stopped = new Float64Array(taskCount).fill(NaN);
  const freed = new Float64Array(taskCount).fill(NaN);
  for (let k = 0; k < events.length; k++) {
    const t = events.task[k];
    if (t < 0 || t >= taskCount) continue;
    const time = events.time[k];
    switch (events.event[k]) {
      case 'schedule_ok':
        if (!(time >= scheduled[t])) scheduled[t] = time;
        break;
      case 'exec_start':
        if (!(time >= started[t])) started[t] = time;
        break;
      case 'exec_stop':
        if (!(time <= stopped[t])) stopped[t] = time;
        break;
      case 'unschedule_stop':
        if (!(time <= freed[t])) freed[t] = time;
        break;
    }
  }
  const extra = new Float64Array(taskCount);
  for (let t = 0; t < taskCount; t++) {
    const before = started[t] - scheduled[t];
    const after = freed[t] - stopped[t];
    extra[t] = before >= 0 && after >= 0 ? before + after : NaN;
  }
  return extra;
}
