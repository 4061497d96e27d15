/**
 * The runs commands as a user runs them: list, show, edit, rm; output, JSON fields, one-line errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { SUMMIT } from '../helpers/traces.js';
import { describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describeWithShared('asyncscope runs', () => {
  const db = path.join(work, 'runs.db');

  it('lists, shows, edits and removes runs', async () => {
    await cli(['ingest', SUMMIT.ddmdSync.file, SUMMIT.ddmdAsync.file, '--db', db]);
    const list = await cli(['runs', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+LABEL\s+MODE\s+FORMAT\s+TASKS\s+MAKESPAN_S\s+CAPACITY\s+COMMIT\s+BRANCH\s+SOURCE$/);
    expect(list.stdout).toMatch(/019224\.0001.*radical-pilot\s+627\s+1660\.215\s+16 nodes, 2688 cores, 96 GPUs/);

    const edit = await cliJson<Record<string, unknown>>(['runs', 'edit', SUMMIT.ddmdSync.id, '--label', 'ddmd-sync', '--mode', 'sync', '--workflow', 'DeepDriveMD', '--db', db]);
    expect(edit.json).toMatchObject({ id: SUMMIT.ddmdSync.id, label: 'ddmd-sync', mode: 'sync', workflow: 'DeepDriveMD' });

    const show = await cliJson<Record<string, unknown> & { types: { type: string; tasks: number; cores: string; gpus: string }[] }>(['runs', 'show', 'ddmd-sync', '--db', db]);
    expect(show.json).toMatchObject({ id: SUMMIT.ddmdSync.id, cores_per_node: 168, gpus_per_node: 6, scheduled: true, started_at: expect.stringMatching(/^2022-08-/), outcomes: { done: 627 } });
    expect(show.json.types.map((t) => [t.type, t.tasks, t.cores, t.gpus])).toEqual([
      ['Simulation', 288, '4', '1'],
      ['Preprocessing', 48, '32', '0'],
      ['MachineLearning', 3, '4', '1'],
      ['Agent', 288, '16', '1'],
    ]);
    const showText = await cli(['runs', 'show', 'ddmd-sync', '--db', db]);
    expect(showText.stdout).toMatch(/tasks:\s+627 \(627 executed, 0 incomplete, 0 never started\)/);
    expect(showText.stdout).toMatch(/outcomes:\s+done 627\n/);

    const rm = await cli(['runs', 'rm', 'ddmd-sync', '--db', db]);
    expect(rm.stdout).toBe(`deleted run ${SUMMIT.ddmdSync.id} (627 tasks)\n`);
    const after = await cliJson<{ id: string }[]>(['runs', '--db', db]);
    expect(after.json.map((r) => r.id)).toEqual([SUMMIT.ddmdAsync.id]);
  });

  it('reports unknown runs, empty edits and missing databases in one line with exit 2', async () => {
    for (const args of [
      ['runs', 'show', 'nope', '--db', db],
      ['runs', 'rm', SUMMIT.ddmdAsync.id, 'nope', '--db', db],
      ['runs', 'edit', SUMMIT.ddmdAsync.id, '--db', db],
      ['runs', '--db', path.join(work, 'missing.db')],
      ['runs', 'show', '--db', db],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/^asyncscope: error: [^\n]+\n$/);
    }
    // A failed rm deletes nothing, not even the runs it could resolve.
    const runs = await cliJson<{ id: string }[]>(['runs', '--db', db]);
    expect(runs.json.map((r) => r.id)).toEqual([SUMMIT.ddmdAsync.id]);
  });
});
