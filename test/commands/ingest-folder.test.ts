/**
 * Ingesting an unpacked session folder walks it and stats its files once, not once per chunk read
 * (issue 13: a 2,117-file folder took 3.5 minutes, its archive 17 s). Counted, not timed: the CLI
 * runs with a preload that counts fs.statSync, fs.readdirSync and fs.openSync calls.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from '../helpers/cli.js';
import { PROFILE_HEADER, profLine, sessionJson, writeFolder, type FixtureFile } from '../helpers/rp-session.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A session with one profile per task (as real sessions have), each profile a few read chunks long. */
function taskProfileSession(sid: string, tasks: number): FixtureFile[] {
  const T0 = 1_700_000_000;
  const files: FixtureFile[] = [];
  const described = [];
  for (let i = 0; i < tasks; i++) {
    const uid = `task.${String(i).padStart(6, '0')}`;
    described.push({ uid, state: 'DONE', description: { cpu_processes: 1, cpu_threads: 1, gpu_processes: 0 } });
    const lines = [PROFILE_HEADER, profLine(T0 + i, 'exec_start', uid)];
    // About 150 kB a profile: several 64 kB chunks each.
    for (let k = 0; k < 1500; k++) lines.push(profLine(T0 + i + k / 1000, 'heartbeat', uid, '', 'x'.repeat(40)));
    lines.push(profLine(T0 + i + 10, 'exec_stop', uid));
    files.push({ path: `${sid}/pilot.0000/${uid}/${uid}.prof`, content: lines.join('\n') });
  }
  files.push({ path: `${sid}/${sid}.json`, content: sessionJson(sid, described, { nodes: 1, cores_per_node: 8, gpus_per_node: 0 }) });
  return files;
}

describe('ingest of a session folder', () => {
  it('walks the folder, stats and opens each file once, however many chunks are read', async () => {
    const tasks = 60;
    const sid = 'rp.session.folder-walks';
    const dir = path.join(writeFolder(path.join(work, 'session'), taskProfileSession(sid, tasks)), sid);
    const counts = path.join(work, 'counts.json');
    const result = await cli(['ingest', dir, '--db', path.join(work, 'walks.db')], {
      // The profiles read in this thread (a worker thread reads them for large sessions), where the chunks are counted.
      env: { ASYNCSCOPE_COUNT_FS: counts, ASYNCSCOPE_PARSE_WORKER: 'never', NODE_OPTIONS: `--import=${path.join(ROOT, 'test', 'helpers', 'count-fs-calls.mjs')}` },
    });
    expect(result.code, result.stderr).toBe(0);
    const { statSync, readdirSync, openSync } = JSON.parse(fs.readFileSync(counts, 'utf8')) as Record<string, number>;
    const files = tasks + 1;
    const folders = tasks + 2; // the session, pilot.0000, one per task
    // One walk serves the hash, the size and the reading: a readdir per folder and a stat per file,
    // and a few more for finding the input. Once per chunk read was over 10,000 stats here; a walk
    // for the hash and another for the reading, 3 stats per file.
    expect(statSync).toBeLessThanOrEqual(files + 10);
    expect(readdirSync).toBeLessThanOrEqual(folders + 10);
    // And each file is opened once: the bytes hashed are the bytes the importer reads (twice before).
    expect(openSync).toBeGreaterThanOrEqual(files);
    expect(openSync).toBeLessThanOrEqual(files + 10);
  });
});
