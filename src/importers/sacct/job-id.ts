/**
 * Slurm job ids as sacct prints them:
 *
 *   123            a job                       123.batch, 123.extern, 123.0   its steps
 *   123_7          element 7 of job array 123  123_7.batch
 *   123_[4-8%3]    elements 4..8 of array 123, still pending as one record (at most 3 running)
 *   123+1          component 1 of heterogeneous job 123   123+1.0
 *
 * (src/common/slurm_protocol_defs.c, slurm_get_selected_step_id / log_build_job_id_str).
 */

export interface JobId {
  /** The allocation part, as printed: `123`, `123_7`, `123_[4-8%3]`, `123+1`. */
  allocation: string;
  /** The step part after the first `.`: `batch`, `extern`, `0`; null for an allocation. */
  step: string | null;
  /** The job id before any `_` or `+`. */
  base: string;
  /** Array element index (`123_7`); null otherwise. */
  arrayIndex: number | null;
  /** The bracketed index expression of a pending array record (`4-8%3`); null otherwise. */
  arrayPending: string | null;
  /** Heterogeneous job component (`123+1`); null otherwise. */
  hetOffset: number | null;
}

const ALLOCATION = /^(\d+)(?:_(\d+)|_\[([^\]]*)\]|\+(\d+))?$/;

/** Parses a JobID; null when it is not one. */
export function parseJobId(text: string): JobId | null {
  // The step is after the first dot outside brackets (a pending range has no dots anyway).
  const dot = text.indexOf('.');
  const allocation = dot < 0 ? text : text.slice(0, dot);
  const step = dot < 0 ? null : text.slice(dot + 1);
  if (step === '') return null;
  const m = ALLOCATION.exec(allocation);
  if (!m) return null;
  return {
    allocation,
    step,
    base: m[1],
    arrayIndex: m[2] === undefined ? null : Number(m[2]),
    arrayPending: m[3] === undefined ? null : m[3],
    hetOffset: m[4] === undefined ? null : Number(m[4]),
  };
}

/**
 * The indexes of an array expression: `4-8%3`, `1,3,5-7`, `0-15:4` (every 4th), `4-8%3` (the `%`
 * limit is not an index). Throws when the expression is not one, or names more than `limit`
 * indexes (a hostile `1-4000000000` would otherwise fill the memory).
 */
export function arrayIndexes(expression: string, limit: number): number[] {
  const withoutLimit = expression.replace(/%\d+$/, '');
  const indexes: number[] = [];
  for (const part of withoutLimit.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part.trim());
    if (!m) throw new Error(`"${expression}" is not an array index expression`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    const stride = m[3] === undefined ? 1 : Number(m[3]);
    if (to < from || stride < 1) throw new Error(`"${expression}" is not an array index expression`);
    if (indexes.length + Math.floor((to - from) / stride) + 1 > limit) throw new Error(`array expression "${expression}" names more than ${limit} elements`);
    for (let i = from; i <= to; i += stride) indexes.push(i);
  }
  return indexes;
}

/**
 * The indexes of a hexadecimal bitmap, as `sacct --json` gives a pending array record's
 * `array.task` in Slurm 22.05 (`0x1F0`: bits 4 to 8, i.e. indexes 4..8).
 */
export function bitmapIndexes(hex: string, limit: number): number[] {
  const digits = hex.replace(/^0x/i, '');
  if (!/^[0-9a-f]+$/i.test(digits)) throw new Error(`"${hex}" is not a hexadecimal bitmap`);
  const indexes: number[] = [];
  for (let d = 0; d < digits.length; d++) {
    const value = parseInt(digits[digits.length - 1 - d], 16);
    for (let bit = 0; bit < 4; bit++) {
      if (value & (1 << bit)) {
        if (indexes.length >= limit) throw new Error(`array bitmap "${hex}" names more than ${limit} elements`);
        indexes.push(d * 4 + bit);
      }
    }
  }
  return indexes;
}

/**
 * The event name of a step's phase: `batch`, `extern`, `interactive` stay as they are, a numbered
 * step `15.0` is `step0` (so that `durations --from step0_start --to step0_end` reads naturally).
 */
export function stepPhase(step: string): string {
  return /^\d+$/.test(step) ? `step${step}` : step;
}
