/**
 * Times no real run has (issue 13.7): a value that is no date at all (`end=1e308`, a Chrome `ts` of
 * 1e300), a run that spans more than a year, start times in two clusters orders of magnitude apart
 * (one task timed from 0, another in epoch seconds), times in the future. Such a trace is stored
 * with a warning naming the task (and line), or refused with `ingest --strict`.
 *
 * Importers that stream millions of rows feed it task by task, so it keeps a fixed amount of state:
 * the extremes and, per order of magnitude of the start time, a count, a range and one example.
 */

/** Seconds from 0 beyond which a value is no time at all: about the year 5000 as epoch seconds. */
export const MAX_PLAUSIBLE_S = 1e11;
/** A run longer than this is suspicious: a workflow run takes hours or days, not years. */
export const MAX_SPAN_S = 365.25 * 86400;
/** How far after the import an epoch time may lie (clocks of different hosts disagree a little). */
const FUTURE_SLACK_S = 86400;
/** Times from this value on read as epoch seconds (1973): the future check applies to them only. */
const EPOCH_FROM_S = 1e8;
/** Problems named one by one; beyond this, counted. */
const NAMED_AT_MOST = 3;

/** One problem, with the task it was found in and its line in the trace when the importer knows it. */
export interface TimeFinding {
  message: string;
  line: number | null;
}

interface Example {
  task: string;
  line: number | null;
  time: number;
}

interface Magnitude {
  count: number;
  min: Example;
  max: Example;
}

export class TimeCheck {
  private implausible: Example[] = [];
  private implausibleCount = 0;
  private future: Example | null = null;
  private futureCount = 0;
  private firstStart: Example | null = null;
  private lastEnd: Example | null = null;
  /** Start times by order of magnitude (index = decimal digits of the integer part, sign apart). */
  private readonly magnitudes = new Map<number, Magnitude>();
  /**
   * The magnitude of the last start and its bounds: starts come sorted or nearly, so most fall in
   * the same one and skip the search (a million tasks cross the writer's thread here).
   */
  private current: Magnitude | null = null;
  private currentLow = 0;
  private currentHigh = -1;

  constructor(private readonly now: number = Date.now() / 1000) {}

  /** One task's absolute times (NaN when unknown). */
  observe(task: string, line: number | null, start: number, end: number): void {
    const startOk = plausible(start);
    const endOk = plausible(end);
    if (!startOk || !endOk) {
      this.implausibleCount++;
      if (this.implausible.length < NAMED_AT_MOST) this.implausible.push({ task, line, time: startOk ? end : start });
    }
    if (endOk) this.inFuture(task, line, end);
    else if (startOk) this.inFuture(task, line, start);
    if (startOk && !Number.isNaN(start)) {
      if (this.firstStart === null || start < this.firstStart.time) this.firstStart = { task, line, time: start };
      this.countStart(task, line, start);
    }
    const last = endOk && !Number.isNaN(end) ? end : startOk && !Number.isNaN(start) ? start : NaN;
    if (!Number.isNaN(last)) {
      if (this.lastEnd === null) this.lastEnd = { task, line, time: last };
      else if (last > this.lastEnd.time) set(this.lastEnd, task, line, last);
    }
  }

  /** Counts a start in its order of magnitude, keeping the group's extremes. */
  private countStart(task: string, line: number | null, start: number): void {
    let m = this.current;
    if (m === null || !(start >= this.currentLow && start < this.currentHigh)) {
      const key = magnitudeOf(start);
      m = this.magnitudes.get(key) ?? null;
      if (m === null) {
        this.magnitudes.set(key, (m = { count: 0, min: { task, line, time: start }, max: { task, line, time: start } }));
      }
      this.current = m;
      [this.currentLow, this.currentHigh] = boundsOf(key);
    }
    m.count++;
    // Each group's own example objects, changed in place: no object per task for sorted starts.
    if (start < m.min.time) set(m.min, task, line, start);
    if (start > m.max.time) set(m.max, task, line, start);
  }

  /** What was found, worst first; empty when the times look like a real run's. */
  findings(): TimeFinding[] {
    const out: TimeFinding[] = [];
    if (this.implausibleCount > 0) {
      const named = this.implausible.map((e) => `${where(e)}: ${formatTime(e.time)} s`).join('; ');
      const more = this.implausibleCount > this.implausible.length ? ` and ${this.implausibleCount - this.implausible.length} more` : '';
      out.push({ message: `${this.implausibleCount} task(s) with a time that is no plausible date (beyond ${formatTime(MAX_PLAUSIBLE_S)} s from 0, about the year 5000): ${named}${more}`, line: this.implausible[0].line });
    }
    const clusters = this.clusters();
    if (clusters !== null) {
      const [low, high] = clusters;
      out.push({
        message:
          `start times form two clusters orders of magnitude apart, as if two time bases were mixed (seconds from 0 and epoch seconds?): ` +
          `${low.count} task(s) from ${formatTime(low.min.time)} to ${formatTime(low.max.time)} s (${where(low.min)}), ` +
          `${high.count} from ${formatTime(high.min.time)} to ${formatTime(high.max.time)} s (${where(high.min)})`,
        line: high.min.line,
      });
    } else if (this.firstStart !== null && this.lastEnd !== null && this.lastEnd.time - this.firstStart.time > MAX_SPAN_S) {
      const years = (this.lastEnd.time - this.firstStart.time) / MAX_SPAN_S;
      out.push({
        message: `the run spans ${formatTime(years)} years: from ${where(this.firstStart)} to ${where(this.lastEnd)}, at ${formatTime(this.lastEnd.time)} s`,
        line: this.lastEnd.line,
      });
    }
    if (this.future !== null) {
      const date = new Date(this.future.time * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      out.push({ message: `${this.futureCount} task(s) ending in the future (after the import): ${where(this.future)} at ${date}`, line: this.future.line });
    }
    return out;
  }

  /** Counts epoch times after the import (a host's clock wrong, or a time in other units). */
  private inFuture(task: string, line: number | null, time: number): void {
    if (time >= EPOCH_FROM_S && time > this.now + FUTURE_SLACK_S) {
      this.futureCount++;
      this.future ??= { task, line, time };
    }
  }

  /** The lowest and highest groups of start magnitudes when a gap of 3+ orders of magnitude separates them and the run spans more than a year. */
  private clusters(): [Magnitude, Magnitude] | null {
    const keys = [...this.magnitudes.keys()].sort((a, b) => a - b);
    if (keys.length < 2) return null;
    let split = -1;
    let widest = 0;
    for (let i = 1; i < keys.length; i++) {
      const gap = keys[i] - keys[i - 1];
      if (gap > widest) [widest, split] = [gap, i];
    }
    const low = merge(keys.slice(0, split).map((k) => this.magnitudes.get(k)!));
    const high = merge(keys.slice(split).map((k) => this.magnitudes.get(k)!));
    if (high.min.time - low.max.time <= MAX_SPAN_S || high.min.time < Math.max(1, Math.abs(low.max.time)) * 1000) return null;
    return [low, high];
  }
}

/** Whether a time (NaN: unknown) can be a date. */
function plausible(time: number): boolean {
  return Number.isNaN(time) || Math.abs(time) <= MAX_PLAUSIBLE_S;
}

/**
 * Decimal digits of the integer part, negative for negative times: 0.5 -> 0, 1-9 -> 1, 1.6e9 -> 10.
 * By comparison with powers of ten (exact doubles up to 1e22), so that boundsOf agrees with it.
 */
function magnitudeOf(time: number): number {
  const size = Math.abs(time);
  let digits = 0;
  while (digits < 400 && size >= 10 ** digits) digits++;
  return time < 0 ? -digits : digits;
}

/** The starts of a magnitude, [low, high), for the positive ones; an empty range for the others (rare: every start of theirs is looked up). */
function boundsOf(key: number): [number, number] {
  return key > 0 ? [10 ** (key - 1), 10 ** key] : [0, -1];
}

function set(example: Example, task: string, line: number | null, time: number): void {
  example.task = task;
  example.line = line;
  example.time = time;
}

function merge(groups: Magnitude[]): Magnitude {
  return groups.reduce((a, b) => ({ count: a.count + b.count, min: b.min.time < a.min.time ? b.min : a.min, max: b.max.time > a.max.time ? b.max : a.max }));
}

function where(e: Example): string {
  return `task ${JSON.stringify(e.task)}${e.line === null ? '' : ` on line ${e.line}`}`;
}

function formatTime(value: number): string {
  return Math.abs(value) >= 1e6 ? value.toPrecision(3).replace('+', '').replace(/\.?0+e/, 'e') : String(Math.round(value * 1000) / 1000);
}

/** The findings of a whole task table (importers that read a run whole): absolute time = stored + epoch. */
export function checkTaskTimes(tasks: { uid: readonly string[]; start: readonly number[]; end: readonly number[] }, epoch: number | null): TimeFinding[] {
  const check = new TimeCheck();
  const offset = epoch ?? 0;
  for (let i = 0; i < tasks.uid.length; i++) check.observe(tasks.uid[i], null, tasks.start[i] + offset, tasks.end[i] + offset);
  return check.findings();
}
