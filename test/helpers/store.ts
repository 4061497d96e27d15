/**
 * In-process access to the store for tests: import real traces straight into a database without
 * spawning the CLI.
 */
import { ingest, type IngestOutcome, type IngestRequest } from '../../src/importers/ingest.js';
import type { StoredRun } from '../../src/run/stored-run.js';
import { openDatabase, type Db } from '../../src/store/database.js';

export async function ingestInto(db: Db, paths: string[], request: Partial<IngestRequest> = {}): Promise<StoredRun[]> {
  const outcomes = await ingest(db, { paths, format: 'auto', replace: false, ...request });
  const failed = outcomes.filter((o): o is Extract<IngestOutcome, { kind: 'failed' }> => o.kind === 'failed');
  if (failed.length > 0) throw failed[0].error;
  return outcomes.flatMap((o) => (o.kind === 'saved' ? [o.result.run] : []));
}

/** A fresh in-memory store. */
export function memoryDb(): Db {
  return openDatabase(':memory:');
}
