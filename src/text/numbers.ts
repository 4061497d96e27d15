/**
 * Number formats of every output (command-line tables, check messages, HTML reports), so that a
 * figure reads the same in `analyze`, `compare`, `check` and the report.
 */

/** Seconds with millisecond precision: `1800.123`. */
export function seconds(value: number | null | undefined): string | null {
  return value === null || value === undefined || Number.isNaN(value) ? null : value.toFixed(3);
}

/** A fraction as a percentage with one decimal: `0.5275` -> `52.8%`. */
export function percent(value: number | null | undefined, digits = 1): string | null {
  return value === null || value === undefined || Number.isNaN(value) ? null : `${(value * 100).toFixed(digits)}%`;
}

/**
 * An improvement (1 - async / sync) as a speed: "26.0% faster", or "0.3% slower" when negative
 * (never "-0.3% faster"); `bare` leaves "faster" out of the positive case, for "... predicted".
 */
export function fasterOrSlower(improvement: number | null, bare = false): string {
  if (improvement === null || Number.isNaN(improvement)) return '-';
  if (improvement < 0) return `${percent(-improvement)} slower`;
  return bare ? percent(improvement)! : `${percent(improvement)} faster`;
}

/** A number with at most `digits` decimals, trailing zeros removed: 2688, 0.6844, 1.5. */
export function decimal(value: number | null | undefined, digits = 4): string | null {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  return Number(value.toFixed(digits)).toString();
}

/** A number with its sign, always: `+0.22`, `-0.58`. */
export function signedFixed(value: number, digits = 1): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

/** `text` (a magnitude, already formatted) with the sign of `value`: `+35.1%`, `-0.225`. */
export function signed(text: string, value: number): string {
  return value < 0 ? `-${text}` : `+${text}`;
}

/** A signed relative error as a percentage: `+0.2%`, `-0.6%`. */
export function signedPercent(value: number, digits = 1): string {
  return `${signedFixed(100 * value, digits)}%`;
}

/** A signed difference in percentage points: `+0.6 pp`. */
export function signedPoints(value: number, digits = 1): string {
  return `${signedFixed(value, digits)} pp`;
}

/** Cores or GPUs per task as the analyzer gives them: `4`, a range `0-1`, or `unknown` when not known. */
export function perTask(value: number | { min: number; max: number } | null, unknown: string): string {
  if (value === null) return unknown;
  if (typeof value === 'number') return decimal(value) ?? unknown;
  return `${decimal(value.min)}-${decimal(value.max)}`;
}

/** A p-value with two significant digits, or `< 0.0001`: `= 0.032`. */
export function pValue(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  return `= ${Number(p.toPrecision(2))}`;
}

/** A count with thousands separators: `1,000,000`. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** `1.2 MB`, `830 kB`. */
export function bytes(value: number): string {
  return value >= 1e6 ? `${(value / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(value / 1e3))} kB`;
}

/**
 * The calendar date (UTC) of a run's time zero, when it is a plausible Unix time (1990 to 2100);
 * traces whose clock starts elsewhere (profilers count from boot) have no date.
 */
export function runDate(epoch: number | null): string | null {
  if (epoch === null || !(epoch > 631152000 && epoch < 4102444800)) return null;
  return `${new Date(epoch * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Capacity as `16 nodes, 2688 cores, 96 GPUs`, or `unknown`. */
export function capacityText(capacity: { nodes: number | null; cores: number | null; gpus: number | null }): string {
  const parts: string[] = [];
  if (capacity.nodes !== null) parts.push(`${capacity.nodes} nodes`);
  if (capacity.cores !== null) parts.push(`${decimal(capacity.cores)} cores`);
  if (capacity.gpus !== null) parts.push(`${decimal(capacity.gpus)} GPUs`);
  return parts.length > 0 ? parts.join(', ') : 'unknown';
}
