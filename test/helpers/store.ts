/**
 * In-process access to the store for tests: import real traces straight into a store without
 * spawning the CLI. The stores are SQLite (the one backend), so tests may also look at the tables.
 */
import { ingest, type IngestOutcome, type IngestRequest } from '../../src/importers/ingest.js';
import type { StoredRun } from '../../src/run/stored-run.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { OpenOptions, Store } from '../../src/store/store.js';

export async function ingestInto(store: Store, paths: string[], request: Partial<IngestRequest> = {}): Promise<StoredRun[]> {
  const outcomes = await ingest(store, { paths, format: 'auto', replace: false, ...request });
  const failed = outcomes.filter((o): o is Extract<IngestOutcome, { kind: 'failed' }> => o.kind === 'failed');
  if (failed.length > 0) throw failed[0].error;
  return outcomes.flatMap((o) => (o.kind === 'saved' ? [o.result.run] : []));
}

/** A fresh store in memory. */
export function memoryStore(): SqliteStore {
  return SqliteStore.open(':memory:', { access: 'write', create: true });
}

/** The SQLite store in `file`, created when missing unless reading. */
export function fileStore(file: string, options: OpenOptions = { access: 'write', create: true }): SqliteStore {
  return SqliteStore.open(file, options);
}
