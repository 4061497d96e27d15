/**
 * The values in Slurm's accounting output (`sacct`), as Slurm prints them (src/common/parse_time.c,
 * src/sacct/print.c): times, elapsed times, trackable resources (TRES) and node names.
 */
import { parseDateTime } from '../common/date-time.js';

/**
 * A time column (Submit, Eligible, Start, End): a date-time in the machine's local time, or a
 * number of seconds when SLURM_TIME_FORMAT made sacct print epochs. `Unknown` (not yet), `None`
 * (never), an empty field and `N/A` are unset: null. NaN when the text is none of these.
 */
export function slurmTime(text: string): number | null {
  if (text === '' || text === 'Unknown' || text === 'None' || text === 'N/A') return null;
  return parseDateTime(text);
}

/**
 * Elapsed times: `[D-]HH:MM:SS` (secs2time_str), also `MM:SS` and `MM:SS.mmm` as sacct prints
 * CPU times; `UNLIMITED` and `INVALID` are unset (null). NaN when not an elapsed time.
 */
export function slurmElapsed(text: string): number | null {
  if (text === '' || text === 'UNLIMITED' || text === 'INVALID' || text === 'Partition_Limit') return null;
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(text);
  if (!m) return NaN;
  const [, days = '0', hours = '0', minutes, seconds] = m;
  return Number(days) * 86400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/** A count (AllocCPUS, NNodes, ElapsedRaw): null when empty, NaN when not a non-negative number. */
export function slurmCount(text: string): number | null {
  if (text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : NaN;
}

/** What a TRES string says about CPUs, GPUs and nodes (NaN: not stated). */
export interface Tres {
  cpus: number;
  gpus: number;
  nodes: number;
}

/**
 * `billing=1,cpu=1,gres/gpu:a100=1,gres/gpu=1,mem=4G,node=1`. GPUs are counted once: Slurm lists
 * the untyped total `gres/gpu=N` beside the typed counts `gres/gpu:a100=N` when both are tracked
 * (AccountingStorageTRES=gres/gpu,gres/gpu:a100), so the total wins; without it, the typed counts
 * add up. No `gres/gpu` at all is 0 GPUs. Null for an empty string (a job that got nothing
 * allocated); NaN fields when a count is not a number.
 */
export function parseTres(text: string): Tres | null {
  if (text === '') return null;
  let cpus = NaN;
  let nodes = NaN;
  let total: number | null = null;
  let typed = 0;
  for (const item of text.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const key = item.slice(0, eq);
    const value = Number(item.slice(eq + 1));
    if (key === 'cpu') cpus = value;
    else if (key === 'node') nodes = value;
    else if (key === 'gres/gpu') total = value;
    else if (key.startsWith('gres/gpu:')) typed += value;
  }
  return { cpus, gpus: total ?? typed, nodes };
}

/** The same from `sacct --json`: `[{type: "gres", name: "gpu:a100", count: 1}, ...]`. */
export function tresFromList(list: readonly { type?: unknown; name?: unknown; count?: unknown }[]): Tres | null {
  if (list.length === 0) return null;
  let cpus = NaN;
  let nodes = NaN;
  let total: number | null = null;
  let typed = 0;
  for (const item of list) {
    const count = typeof item.count === 'number' ? item.count : NaN;
    if (item.type === 'cpu') cpus = count;
    else if (item.type === 'node') nodes = count;
    else if (item.type === 'gres' && item.name === 'gpu') total = count;
    else if (item.type === 'gres' && typeof item.name === 'string' && item.name.startsWith('gpu:')) typed += count;
  }
  return { cpus, gpus: total ?? typed, nodes };
}

/** `None assigned` (a job that never ran) and `(null)` name no node. */
export function nodeListOf(text: string): string | null {
  return text === '' || text === 'None assigned' || text === '(null)' || text === 'None' ? null : text;
}
