/**
 * Task details and --type-from on PostgreSQL (store/postgres/task-details.ts): a RADICAL-Pilot
 * session ingested with a rule stores the same task_details rows, types and ranks on both backends,
 * and `--type-from trace` gives the trace's types back.
 */
import path from 'node:path';
import { expect, it } from 'vitest';
import { ingest } from '../../../src/importers/ingest.js';
import { parseTypeRule, retypeBy } from '../../../src/importers/type-rule.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/store.js';
import { describeWithShared } from '../../helpers/shared-traces.js';
import { RP_DIR } from '../../helpers/traces.js';
import { tempDir } from '../../helpers/cli.js';
import { adminQuery, databaseUrl, newDatabase } from '../../helpers/postgres.js';

const SESSION = 'rp.session.login4.okilic1.019489.0010.tgz'; // 320 tasks, untyped uids: typed by program

describeWithShared('task details on PostgreSQL', () => {
  it('match SQLite after an ingest with --type-from executable, and --type-from trace undoes it', { timeout: 180_000 }, async () => {
    const database = await newDatabase();
    const stores: Store[] = [
      await openStore(databaseUrl(database), { access: 'write', create: true }),
      await openStore(path.join(tempDir('asyncscope-details-'), 'store.db'), { access: 'write', create: true }),
    ];
    const seen = [];
    for (const store of stores) {
      const [outcome] = await ingest(store, { paths: [path.join(RP_DIR, SESSION)], format: 'auto', replace: false, typeFrom: parseTypeRule('executable') });
      expect(outcome.kind).toBe('saved');
      const run = outcome.kind === 'saved' ? outcome.result.run : undefined!;
      expect(run.typeFrom).toBe('executable');
      const types = (await store.loadTasks(run)).type.slice();
      const ranks = Array.from(await store.loadTaskRanks(run));
      const typeCount = await store.retypeTasks(run, retypeBy(parseTypeRule('trace')));
      const traceTypes = (await store.loadTasks(run)).type.slice();
      seen.push({ types, ranks, typeCount, traceTypes, typeFrom: (await store.findRunById(run.id))!.typeFrom });
    }
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0].typeFrom).toBeNull();
    const rows = await adminQuery<{ n: string }>('SELECT COUNT(*) AS n FROM task_details WHERE executable IS NOT NULL', [], database);
    expect(Number(rows[0].n)).toBe(320);
    for (const store of stores) await store.close();
  });
});
