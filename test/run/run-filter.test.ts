/** --where and --since: parsing, the errors that name the flag, and matching. */
import { describe, expect, it } from 'vitest';
import { filterText, matchesFilter, parseSince, parseWhere, type WhereField } from '../../src/run/run-filter.js';

describe('--where', () => {
  it('reads fields, meta keys and values holding =', () => {
    expect(parseWhere('branch=main')).toEqual({ field: 'branch', value: 'main' });
    expect(parseWhere('gpu=a100')).toEqual({ meta: 'gpu', value: 'a100' });
    expect(parseWhere('meta.branch=x')).toEqual({ meta: 'branch', value: 'x' });
    expect(parseWhere('note=a=b')).toEqual({ meta: 'note', value: 'a=b' });
    expect(parseWhere('branch=')).toEqual({ field: 'branch', value: '' });
  });

  it('refuses what is not a filter', () => {
    expect(() => parseWhere('main')).toThrow(/KEY=VALUE/);
    expect(() => parseWhere('bad key=1')).toThrow(/not a field/);
    expect(() => parseWhere('commit=ab')).toThrow(/at least 4/);
  });
});

describe('--since', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  it('reads durations before now and dates', () => {
    expect(parseSince('30d', now)).toBe('2026-01-30T00:00:00.000Z');
    expect(parseSince('12h', now)).toBe('2026-02-28T12:00:00.000Z');
    expect(parseSince('2w', now)).toBe('2026-02-15T00:00:00.000Z');
    expect(parseSince('90m', now)).toBe('2026-02-28T22:30:00.000Z');
    expect(parseSince('2026-01-31', now)).toBe('2026-01-31T00:00:00.000Z');
    expect(parseSince('2026-01-31T12:00Z', now)).toBe('2026-01-31T12:00:00.000Z');
  });
  it('refuses the rest', () => {
    expect(() => parseSince('last week', now)).toThrow(/--since "last week"/);
    expect(() => parseSince('2026-13-45', now)).toThrow(/--since/);
  });
});

describe('matching', () => {
  const fields = (o: Partial<Record<WhereField, string>>) =>
    Object.fromEntries(['id', 'label', 'mode', 'workflow', 'format', 'commit', 'commit_title', 'branch', 'ci', 'job_url', 'host', 'asyncscope_version'].map((k) => [k, o[k as WhereField] ?? null])) as Record<WhereField, string | null>;
  const run = { importedAt: '2026-02-01T00:00:00.000Z', fields: fields({ branch: 'main', commit: '1F2A90154a7e5c3b1b7ad05e8e2b5f7a41c3e0d9' }), meta: { gpu: 'a100' } };
  it('needs every clause; commits by prefix, ignoring case', () => {
    expect(matchesFilter(run, { where: [{ field: 'branch', value: 'main' }, { field: 'commit', value: '1f2a' }], since: null })).toBe(true);
    expect(matchesFilter(run, { where: [{ field: 'branch', value: 'Main' }], since: null })).toBe(false);
    expect(matchesFilter(run, { where: [{ meta: 'gpu', value: 'a100' }], since: '2026-01-01T00:00:00.000Z' })).toBe(true);
    expect(matchesFilter(run, { where: [], since: '2026-02-02T00:00:00.000Z' })).toBe(false);
    expect(matchesFilter(run, { where: [{ field: 'host', value: 'x' }], since: null })).toBe(false);
  });
  it('prints as written', () => {
    expect(filterText({ where: [{ field: 'branch', value: 'main' }, { meta: 'gpu', value: 'a100' }], since: '2026-01-30T00:00:00.000Z' })).toEqual(['branch=main', 'meta.gpu=a100', 'since 2026-01-30 00:00']);
  });
});
