/**
 * The store's side of provenance: runs keep what ingest gives them (fields and --meta pairs),
 * findRuns selects exactly what matchesFilter (src/run/run-filter.ts, the reference semantics)
 * selects, LIKE's wildcards in a commit prefix are taken literally, editRun sets and removes,
 * a replaced run keeps its provenance, deleting a run deletes its pairs.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_PROVENANCE, type Provenance } from '../../src/run/provenance.js';
import { matchesFilter, type RunFilter, type WhereField } from '../../src/run/run-filter.js';
import type { StoredRun } from '../../src/run/stored-run.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/cli.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { writeRepeatedRuns } from '../helpers/synthetic-runs.js';

let store: SqliteStore;
let files: string[];

const provenances: Provenance[] = [
  { ...NO_PROVENANCE, commit: '1F2A90154a7e5c3b1b7ad05e8e2b5f7a41c3e0d9', branch: 'main', ci: 'github-actions', meta: { gpu: 'a100' } },
  { ...NO_PROVENANCE, commit: '1f2a9aaaa', branch: 'feature', ci: 'gitlab-ci', meta: { gpu: 'h100', queue: 'short' } },
  { ...NO_PROVENANCE, commit: 'ab%_cdef', branch: 'main', host: "o'brien", meta: { "it's": 'a "quote"' } },
  { ...NO_PROVENANCE, commit: 'abXYcdef', branch: null, meta: {} },
  NO_PROVENANCE,
];

beforeAll(async () => {
  store = memoryStore();
  files = writeRepeatedRuns(path.join(tempDir(), 'runs'), 'run', { runs: provenances.length, seed: 3 });
  for (const [i, file] of files.entries()) await ingestInto(store, [file], { label: i < 3 ? 'nightly' : 'other', provenance: () => provenances[i] });
});

afterAll(() => store.close());

function facts(run: StoredRun) {
  const p = run.provenance;
  const fields: Record<WhereField, string | null> = {
    id: run.id, label: run.label, mode: run.mode, workflow: run.workflow, format: run.format,
    commit: p.commit, commit_title: p.commit_title, branch: p.branch, ci: p.ci, job_url: p.job_url, host: p.host, asyncscope_version: p.asyncscope_version,
  };
  return { importedAt: run.importedAt, fields, meta: p.meta };
}

describe('runs with provenance in the store', () => {
  it('come back with the provenance and pairs they were stored with', async () => {
    const runs = await store.listRuns();
    expect(runs.map((r) => r.provenance)).toEqual(provenances.map((p) => ({ ...p, meta: { ...p.meta } })));
  });

  it('findRuns selects what matchesFilter selects', async () => {
    const all = await store.listRuns();
    const filters: RunFilter[] = [
      { where: [{ field: 'branch', value: 'main' }], since: null },
      { where: [{ field: 'commit', value: '1f2a' }], since: null },
      { where: [{ field: 'commit', value: '1F2A9' }, { field: 'branch', value: 'feature' }], since: null },
      { where: [{ field: 'commit', value: 'ab%_' }], since: null },
      { where: [{ field: 'commit', value: 'ab__' }], since: null },
      { where: [{ meta: 'gpu', value: 'h100' }], since: null },
      { where: [{ meta: "it's", value: 'a "quote"' }], since: null },
      { where: [{ field: 'host', value: "o'brien" }], since: null },
      { where: [{ field: 'label', value: 'other' }], since: null },
      { where: [{ field: 'branch', value: '' }], since: null },
      { where: [], since: '2000-01-01T00:00:00.000Z' },
      { where: [], since: '2999-01-01T00:00:00.000Z' },
      { where: [{ field: 'ci', value: 'gitlab-ci' }, { meta: 'gpu', value: 'a100' }], since: null },
    ];
    for (const filter of filters) {
      const expected = all.filter((r) => matchesFilter(facts(r), filter)).map((r) => r.id);
      expect((await store.findRuns(filter)).map((r) => r.id), JSON.stringify(filter)).toEqual(expected);
    }
    // the literal prefix: only the commit that holds % and _, not the one with other characters there
    expect((await store.findRuns({ where: [{ field: 'commit', value: 'ab%_' }], since: null })).map((r) => r.id)).toEqual(['run-2']);
    expect((await store.findRuns({ where: [{ field: 'branch', value: 'main' }], since: null }, 'nightly')).map((r) => r.id)).toEqual(['run-0', 'run-2']);
    expect(await store.findRuns({ where: [], since: null }, 'nobody')).toEqual([]);
  });

  it('editRun sets and removes fields and pairs', async () => {
    const run = (await store.findRunById('run-1'))!;
    const edited = await store.editRun(run, { provenance: { fields: { branch: 'main', host: 'runner-7' }, meta: { gpu: null, rack: 'b2' } } });
    expect(edited.provenance).toMatchObject({ branch: 'main', host: 'runner-7', commit: '1f2a9aaaa', meta: { queue: 'short', rack: 'b2' } });
    expect(edited.provenance.meta.gpu).toBeUndefined();
    const cleared = await store.editRun(edited, { provenance: { fields: { host: null }, meta: {} } });
    expect(cleared.provenance.host).toBeNull();
  });

  it('a replaced run keeps its provenance; a deleted run takes its pairs along', async () => {
    const [replaced] = await ingestInto(store, [files[0]], { label: 'nightly', replace: true });
    expect(replaced.provenance.meta).toEqual({ gpu: 'a100' });
    expect(replaced.provenance.branch).toBe('main');
    const pairs = () => store.db.prepare('SELECT COUNT(*) FROM run_meta WHERE run_pk = ?').pluck().get(replaced.pk);
    expect(pairs()).toBe(1);
    await store.deleteRuns([replaced]);
    expect(pairs()).toBe(0);
  });
});

describe('a store from before provenance', () => {
  it('is upgraded in place: its runs come back without provenance, and can be given one', async () => {
    const { MIGRATIONS } = await import('../../src/store/sqlite/schema.js');
    const { fileStore } = await import('../helpers/store.js');
    const file = path.join(tempDir(), 'old.db');
    // A run stored, then the store taken back to the version before provenance: provenance's
    // migration and every later one undone (the columns and tables they add dropped).
    const provenance = MIGRATIONS.findIndex((migration) => migration.includes('run_meta'));
    const later = MIGRATIONS.slice(provenance + 1).join('\n');
    const laterColumns = [...later.matchAll(/ALTER TABLE (\w+) ADD COLUMN (\w+)/g)].map(([, table, column]) => `ALTER TABLE ${table} DROP COLUMN ${column};`);
    const laterViews = [...later.matchAll(/CREATE VIEW (\w+)/g)].map(([, view]) => `DROP VIEW ${view};`);
    const laterTables = [...later.matchAll(/CREATE TABLE (\w+)/g)].map(([, table]) => `DROP TABLE ${table};`);
    const laterRenames = [...later.matchAll(/ALTER TABLE (\w+) RENAME TO (\w+)/g)].map(([, from, to]) => `ALTER TABLE ${to} RENAME TO ${from};`);
    const old = fileStore(file);
    await ingestInto(old, [files[3]], { label: 'old' });
    old.db.exec(`DROP TABLE run_meta; DROP INDEX runs_branch;
      ${['commit_sha', 'commit_title', 'branch', 'ci', 'job_url', 'host', 'asyncscope_version'].map((c) => `ALTER TABLE runs DROP COLUMN ${c};`).join('\n')}
      ${[...laterViews, ...laterColumns, ...laterTables, ...laterRenames].join('\n')}
      PRAGMA user_version = ${provenance};`);
    await old.close();
    const upgraded = fileStore(file, { access: 'write' });
    const [run] = await upgraded.listRuns();
    expect(run.provenance).toEqual({ ...NO_PROVENANCE, meta: {} });
    const edited = await upgraded.editRun(run, { provenance: { fields: { branch: 'main' }, meta: { gpu: 'a100' } } });
    expect((await upgraded.findRuns({ where: [{ field: 'branch', value: 'main' }, { meta: 'gpu', value: 'a100' }], since: null })).map((r) => r.id)).toEqual([edited.id]);
    await upgraded.close();
  });
});
