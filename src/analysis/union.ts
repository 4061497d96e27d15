/**
 * Busy time, idle time and gaps: how much of the makespan had at least one task running.
 *
 * busy = length of the union of the execution intervals; idle = makespan - busy, the time
 * where nothing ran (middleware overhead, waiting on a barrier); gaps = the number of separate
 * idle stretches of positive length within the makespan.
 *
 *   task a  |=====|                 a [0, 4)
 *   task b     |=====|              b [2, 6)
 *   task c                |===|     c [9, 11)
 *           0  2  4  6  8  10       union [0, 6) + [9, 11): busy 8, idle 11 - 8 = 3, gaps 1
 *
 * Summing the durations instead (4 + 4 + 2 = 10) would count [2, 4) twice: the union is what
 * RADICAL-Analytics calls the duration of concurrent components.
 */
import type { Spans } from './intervals.js';
import { timelineOf, type Timeline } from './timeline.js';

export interface Union {
  /** Seconds with at least one interval running. */
  busy: number;
  /** Seconds of the span with nothing running. */
  idle: number;
  /** Separate idle stretches of positive length within the span. */
  gaps: number;
}

/**
 * Busy, idle and gaps over `span` (normally first start to last end of the run; it may begin or
 * end with zero-length tasks, which occupy no time).
 *
 * @example unionOf(timelineOf(spans), { start: 0, end: 11 }) // => { busy: 8, idle: 3, gaps: 1 } for the drawing above
 */
export function unionOf(timeline: Timeline, span: { start: number; end: number }): Union {
  const { time, isStart } = timeline;
  let running = 0;
  let busy = 0;
  let gaps = 0;
  let openedAt = 0;
  let coveredUntil = span.start;
  for (let p = 0; p < timeline.length; p++) {
    const t = time[p];
    if (isStart[p] === 1) {
      if (running === 0) {
        if (t > coveredUntil) gaps++;
        openedAt = t;
      }
      running++;
    } else {
      running--;
      if (running === 0) {
        busy += t - openedAt;
        coveredUntil = t;
      }
    }
  }
  if (span.end > coveredUntil) gaps++;
  return { busy, idle: Math.max(0, span.end - span.start - busy), gaps };
}

/**
 * Length of the union of some intervals: RADICAL-Analytics' `duration()` of a set of ranges.
 *
 * @example unionLength({ length: 2, start: Float64Array.of(0, 2), end: Float64Array.of(4, 6) }) // => 6
 */
export function unionLength(spans: Spans): number {
  const timeline = timelineOf(spans);
  if (timeline.length === 0) return 0;
  return unionOf(timeline, { start: timeline.time[0], end: timeline.time[timeline.length - 1] }).busy;
}

/** The union of some intervals as sorted, disjoint pieces (touching intervals join). */
export function unionPieces(spans: Spans): { start: number[]; end: number[] } {
  const timeline = timelineOf(spans);
  const start: number[] = [];
  const end: number[] = [];
  let running = 0;
  for (let p = 0; p < timeline.length; p++) {
    const t = timeline.time[p];
    if (timeline.isStart[p] === 1) {
      if (running++ === 0) {
        if (end.length > 0 && end[end.length - 1] === t) end.pop(); // continues the previous piece
        else start.push(t);
      }
    } else if (--running === 0) {
      end.push(t);
    }
  }
  return { start, end };
}

/**
 * How long both sets of intervals covered the same time: the length of the intersection of their
 * unions. With a phase's spans and the tasks' execution intervals, the time the phase was hidden
 * behind computation.
 *
 *   transfers  |====|     |==|        [0, 4) [7, 9)
 *   execution     |=========|         [2, 9)
 *              0  2  4  6  8 9        shared: [2, 4) + [7, 9) = 4 s
 *
 * @example sharedLength(transfers, execution) // => 4 for the drawing above
 */
export function sharedLength(a: Spans, b: Spans): number {
  const x = unionPieces(a);
  const y = unionPieces(b);
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < x.start.length && j < y.start.length) {
    const from = Math.max(x.start[i], y.start[j]);
    const to = Math.min(x.end[i], y.end[j]);
    if (to > from) shared += to - from;
    if (x.end[i] < y.end[j]) i++;
    else j++;
  }
  return shared;
}
