/**
 * Which runs a listing or a history takes: `--where KEY=VALUE` (repeatable, all must hold) on
 * a run's metadata and provenance, and `--since` on when it was stored. The store turns a filter
 * into parameterised SQL; commands parse the flags here.
 *
 *   --where branch=main          a provenance field: commit, commit_title, branch, ci, job_url, host, asyncscope_version
 *   --where mode=async           a run field: id, label, mode, workflow, format
 *   --where gpu=a100             any other key: a --meta pair (meta.gpu=a100 says so explicitly)
 *   --where commit=1f2a901       commits match by prefix (at least 4 characters), ignoring case
 *   --since 30d                  stored in the last 30 days (also 12h, 90m, 2w, or a date 2026-01-31 / ISO time)
 */
import { InputError } from '../errors.js';

export const WHERE_FIELDS = ['id', 'label', 'mode', 'workflow', 'format', 'commit', 'commit_title', 'branch', 'ci', 'job_url', 'host', 'asyncscope_version'] as const;
export type WhereField = (typeof WHERE_FIELDS)[number];

export type WhereClause = { field: WhereField; value: string } | { meta: string; value: string };

export interface RunFilter {
  where: WhereClause[];
  /** Stored at or after this instant (ISO 8601 UTC), or null. */
  since: string | null;
}

export const NO_FILTER: RunFilter = { where: [], since: null };

const META_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * @example parseWhere('branch=main') // => { field: 'branch', value: 'main' }
 * @example parseWhere('meta.gpu=a100') // => { meta: 'gpu', value: 'a100' }
 */
export function parseWhere(text: string): WhereClause {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(`--where ${JSON.stringify(text)}: expected KEY=VALUE, e.g. --where branch=main`);
  const key = text.slice(0, eq).trim();
  const value = text.slice(eq + 1);
  if ((WHERE_FIELDS as readonly string[]).includes(key)) {
    if (key === 'commit' && value.length < 4) throw new InputError(`--where commit=${value}: give at least 4 characters of the commit`);
    return { field: key as WhereField, value };
  }
  const meta = key.startsWith('meta.') ? key.slice(5) : key;
  if (!META_KEY.test(meta)) throw new InputError(`--where ${JSON.stringify(key)}: not a field (${WHERE_FIELDS.join(', ')}) nor a --meta key`);
  return { meta, value };
}

/**
 * `30d`, `12h`, `90m`, `2w` before `now`, or an ISO date or time (a date is its midnight UTC).
 *
 * @example parseSince('30d', new Date('2026-03-01T00:00:00Z')) // => '2026-01-30T00:00:00.000Z'
 */
export function parseSince(text: string, now: Date): string {
  const relative = /^\s*(\d+(?:\.\d+)?)\s*(m|h|d|w)\s*$/i.exec(text);
  if (relative) {
    const unit = { m: 60, h: 3600, d: 86400, w: 604800 }[relative[2].toLowerCase() as 'm' | 'h' | 'd' | 'w'];
    return new Date(now.getTime() - Number(relative[1]) * unit * 1000).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    const trimmed = text.trim();
    const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed.replace(' ', 'T'));
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  throw new InputError(`--since ${JSON.stringify(text)}: give a duration (30d, 12h, 90m, 2w) or a date (2026-01-31, 2026-01-31T12:00Z)`);
}

/** The filter as the user wrote it, for titles and messages: `branch=main, since 2026-01-30`. */
export function filterText(filter: RunFilter): string[] {
  return [
    ...filter.where.map((w) => `${'field' in w ? w.field : `meta.${w.meta}`}=${w.value}`),
    ...(filter.since ? [`since ${filter.since.slice(0, 16).replace('T', ' ')}`] : []),
  ];
}

/** Whether a run matches (for stores that filter in memory, and for tests of the SQL). */
export function matchesFilter(
  run: { importedAt: string; fields: Record<WhereField, string | null>; meta: Readonly<Record<string, string>> },
  filter: RunFilter,
): boolean {
  if (filter.since !== null && run.importedAt < filter.since) return false;
  return filter.where.every((w) => {
    if ('meta' in w) return run.meta[w.meta] === w.value;
    const actual = run.fields[w.field];
    if (actual === null) return false;
    return w.field === 'commit' ? actual.toLowerCase().startsWith(w.value.toLowerCase()) : actual === w.value;
  });
}
