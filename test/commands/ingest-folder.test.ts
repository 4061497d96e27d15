/**
 * Ingesting an unpacked session folder walks it and stats its files once, not once per chunk read
 * (issue 13: a 2,117-file folder took 3.5 minutes, its archive 17 s). Counted, not timed: the CLI
 * runs with a preload that counts fs.statSync, fs.readdirSync and fs.openSync calls.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentHash, folderFiles, listFiles } from '../../src/importers/common/hash.js';
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
    const { statSync, fstatSync, readdirSync, openSync } = JSON.parse(fs.readFileSync(counts, 'utf8')) as Record<string, number>;
    const files = tasks + 1;
    const folders = tasks + 2; // the session, pilot.0000, one per task
    // One walk serves the hash, the size and the reading: a readdir per folder, and a few more for
    // finding the input. Once per chunk read was over 10,000 stats here; a walk for the hash and
    // another for the reading, 3 stats per file.
    expect(readdirSync).toBeLessThanOrEqual(folders + 10);
    // No file is looked up by its path twice: its size comes from the open file (fstat), not from a
    // stat by path before the open (one stat per file until issue 13's last folder figure).
    expect(statSync).toBeLessThanOrEqual(10);
    expect(fstatSync).toBeGreaterThanOrEqual(files);
    expect(fstatSync).toBeLessThanOrEqual(files + 10);
    // And each file is opened once: the bytes hashed are the bytes the importer reads (twice before).
    expect(openSync).toBeGreaterThanOrEqual(files);
    expect(openSync).toBeLessThanOrEqual(files + 10);
  });

  it('stores the same run whether the profiles are read in a worker thread (given the bytes read for the hash) or in the main thread', async () => {
    const sid = 'rp.session.folder-worker';
    const dir = path.join(writeFolder(path.join(work, 'worker'), taskProfileSession(sid, 40)), sid);
    const stored = async (mode: 'always' | 'never') => {
      const db = path.join(work, `worker-${mode}.db`);
      const ingest = await cli(['ingest', dir, '--db', db, '--json'], { env: { ASYNCSCOPE_PARSE_WORKER: mode } });
      expect(ingest.code, ingest.stderr).toBe(0);
      const analyze = await cli(['analyze', sid, '--db', db, '--json']);
      expect(analyze.code, analyze.stderr).toBe(0);
      const tasks = await cli(['export', sid, '--format', 'csv', '--out', '-', '--db', db]);
      return { run: JSON.parse(ingest.stdout)[0], analyze: JSON.parse(analyze.stdout), tasks: tasks.stdout };
    };
    const [worker, main] = [await stored('always'), await stored('never')];
    expect(worker.run.executed).toBe(40);
    expect(worker.tasks.split('\n').length).toBe(42); // header, 40 tasks, last newline
    expect(worker.analyze).toEqual(main.analyze);
    expect(worker.tasks).toBe(main.tasks);
    expect({ ...worker.run, source: null }).toEqual({ ...main.run, source: null });
  });

  it("hashes a folder as before: each file's relative path, size and bytes, in path order", async () => {
    const sid = 'rp.session.folder-hash';
    const dir = path.join(writeFolder(path.join(work, 'hashed'), taskProfileSession(sid, 5)), sid);
    const expected = crypto.createHash('sha256');
    for (const relative of listFiles(dir)) {
      const bytes = fs.readFileSync(path.join(dir, relative));
      expected.update(`${relative}\0${bytes.length}\0`).update(bytes);
    }
    const hex = expected.digest('hex');
    const input = { path: dir, display: sid, kind: 'dir' as const, explicit: true };
    expect(await contentHash(input)).toBe(hex);
    // Again once the importer has taken the kept bytes: read from the files then.
    for (const file of folderFiles(input)) file.content = undefined;
    expect(await contentHash(input)).toBe(hex);
  });
});
