/**
 * `analyze TRACE`: a trace named on the command line is ingested on the way into the store, once,
 * and measured in the same process; stored runs and labels are still named as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { fileStore } from '../helpers/store.js';
import { HAVE_SHARED_TRACES } from '../helpers/shared-traces.js';
import { SUMMIT } from '../helpers/traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('analyze TRACE', () => {
  it.skipIf(!HAVE_SHARED_TRACES)('stores the trace on the way, measures it, and finds it stored the next time', async () => {
    const db = path.join(work, 'trace.db');
    const first = await cli(['analyze', SUMMIT.ddmdSync.file, '--db', db, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`stored as run ${SUMMIT.ddmdSync.id} in ${db}`);
    const measured = JSON.parse(first.stdout).runs;
    expect(measured).toHaveLength(1);
    expect(measured[0]).toMatchObject({ id: SUMMIT.ddmdSync.id, tasks: SUMMIT.ddmdSync.tasks, executed: SUMMIT.ddmdSync.tasks });
    expect(measured[0].makespan_s).toBeCloseTo(SUMMIT.ddmdSync.makespan, 3);

    const again = await cli(['analyze', SUMMIT.ddmdSync.file, '--db', db, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`already stored as run ${SUMMIT.ddmdSync.id}`);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(first.stdout));

    const byId = await cli(['analyze', SUMMIT.ddmdSync.id, '--db', db, '--json']);
    expect(JSON.parse(byId.stdout)).toEqual(JSON.parse(first.stdout));
    const store = fileStore(db, { access: 'read' });
    expect((await store.listRuns()).map((run) => run.id)).toEqual([SUMMIT.ddmdSync.id]);
    await store.close();
  });

  it('refuses an argument that is neither a stored run nor a trace, and a file that is not a trace', async () => {
    const db = path.join(work, 'refuse.db');
    const missing = await cli(['analyze', 'no-such-run-or-file', '--db', db]);
    expect(missing.code).toBe(2);
    const notTrace = path.join(work, 'notes.txt');
    fs.writeFileSync(notTrace, 'just words\n');
    const refused = await cli(['analyze', notTrace, '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('notes.txt');
  });
});
