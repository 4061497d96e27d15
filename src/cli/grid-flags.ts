/**
 * Values of the what-if grid and scale flags: `4,8,16`, ranges `1..10` and `4..32/4`, and
 * `TYPE=2x`; one-line errors naming the flag.
 */
import { InputError } from '../errors.js';

/** More grid values than this in one flag is refused (a typo like `1..1e9`). */
const MAX_VALUES = 10_000;

/** `4,8,16`, `1..10` (step 1) or `4..32/4`; every value positive (`integers` for node counts). */
export function parseNumberList(flag: string, text: string, options: { integers?: boolean; allowZero?: boolean } = {}): number[] {
  const out: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = /^([^.]+)\.\.([^/]+)(?:\/(.+))?$/.exec(part);
    if (range) {
      const [from, to, step] = [range[1], range[2], range[3] ?? '1'].map((v) => Number(v));
      if (![from, to, step].every(Number.isFinite) || step <= 0 || to < from) throw new InputError(`--${flag}: expected FROM..TO or FROM..TO/STEP with FROM <= TO and STEP > 0, got "${part}"`);
      if ((to - from) / step + 1 > MAX_VALUES) throw new InputError(`--${flag}: "${part}" gives more than ${MAX_VALUES} values`);
      for (let v = from; v <= to + 1e-9; v += step) out.push(Number(v.toFixed(9)));
    } else {
      const v = Number(part);
      if (part === '' || !Number.isFinite(v)) throw new InputError(`--${flag}: expected numbers separated by commas, or FROM..TO[/STEP], got "${part}"`);
      out.push(v);
    }
  }
  for (const v of out) {
    if (v < 0 || (v === 0 && !options.allowZero)) throw new InputError(`--${flag}: expected ${options.allowZero ? 'non-negative' : 'positive'} values, got ${v}`);
    if (options.integers && !Number.isInteger(v)) throw new InputError(`--${flag}: expected whole numbers, got ${v}`);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/** `T3T6=2x` (or `=2`, `=0.5x`): every task of type T3T6 twice as long. */
export function parseScales(values: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const value of values) {
    const match = /^(.+)=([0-9.eE+-]+)x?$/.exec(value.trim());
    const factor = match ? Number(match[2]) : NaN;
    if (!match || !Number.isFinite(factor) || factor <= 0) throw new InputError(`--scale: expected TYPE=FACTORx with a positive factor (e.g. T3T6=2x), got "${value}"`);
    out.set(match[1], factor);
  }
  return out;
}

/** `5%` or `0.05` as a fraction. */
export function parseFraction(flag: string, text: string): number {
  const trimmed = text.trim();
  const n = trimmed.endsWith('%') ? Number(trimmed.slice(0, -1)) / 100 : Number(trimmed);
  if (trimmed === '' || !Number.isFinite(n) || n < 0) throw new InputError(`--${flag}: expected a percentage like 5% (or a fraction like 0.05), got "${text}"`);
  return n;
}
