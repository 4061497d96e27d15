/**
 * Number formats of the report: those of the command-line tables (src/cli/format.ts), so a figure
 * reads the same in `analyze`, `compare` and the report; plus a few for prose.
 */
import { decimal, perTask as perTaskOr, percent, seconds, signedPercent, signedPoints } from '../cli/format.js';

export { decimal, percent, seconds, signedPercent, signedPoints };

/** A count with thousands separators: `1,000,000`. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** Cores or GPUs per task: a number, a range, or `-` when unknown. */
export function perTask(value: number | { min: number; max: number } | null): string {
  return perTaskOr(value, '-');
}

/**
 * The calendar date (UTC) of a run's time zero, when it is a plausible Unix time (1990 to 2100);
 * traces whose clock starts elsewhere (profilers count from boot) have no date.
 */
export function runDate(epoch: number | null): string | null {
  if (epoch === null || !(epoch > 631152000 && epoch < 4102444800)) return null;
  return `${new Date(epoch * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `1.2 MB`, `830 kB`. */
export function bytes(value: number): string {
  return value >= 1e6 ? `${(value / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(value / 1e3))} kB`;
}
