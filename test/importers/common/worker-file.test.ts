/**
 * Worker scripts are found from the package's root, so that the command line's bundle (dist/bundle/,
 * where the modules that start workers sit in chunks) starts the same compiled workers as dist/ does.
 * A wrong path would not fail: the work would silently run in the calling thread.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { compiledWorkerFile, workerScript } from '../../../src/importers/common/worker-file.js';
import { ROOT } from '../../helpers/cli.js';

const WORKERS = ['importers/tabular/parse-worker.js', 'importers/read-worker.js', 'importers/radical-pilot/profile-worker.js'];

/** Every module file of the built bundle (`npm test` builds first). */
function bundleModules(): string[] {
  const bundle = path.join(ROOT, 'dist', 'bundle');
  return fs
    .readdirSync(bundle, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => path.join(bundle, file));
}

describe('compiledWorkerFile', () => {
  it('finds each worker in dist/ from every file of the bundle, at any depth, and from dist/ itself', () => {
    const modules = bundleModules();
    expect(modules.some((file) => file.includes(`${path.sep}chunks${path.sep}`))).toBe(true);
    expect(modules.some((file) => file.includes(`${path.sep}commands${path.sep}runs${path.sep}`))).toBe(true);
    for (const worker of WORKERS) {
      const expected = path.join(ROOT, 'dist', worker);
      expect(fs.existsSync(expected), expected).toBe(true);
      for (const module of modules) expect(compiledWorkerFile(pathToFileURL(module).href, worker), module).toBe(expected);
      expect(compiledWorkerFile(pathToFileURL(path.join(ROOT, 'dist', 'importers', 'tabular', 'stream-table.js')).href, worker)).toBe(expected);
    }
  });

  it('gives none to a module running from TypeScript sources: the work stays in its thread', () => {
    expect(compiledWorkerFile(pathToFileURL(path.join(ROOT, 'src', 'importers', 'tabular', 'stream-table.ts')).href, WORKERS[0])).toBeNull();
  });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-worker-file-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('gives none when the package has no such script', () => {
    fs.mkdirSync(path.join(tmp, 'dist', 'bundle', 'chunks'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'package.json'), '{}');
    const chunk = pathToFileURL(path.join(tmp, 'dist', 'bundle', 'chunks', 'chunk-X.js')).href;
    expect(compiledWorkerFile(chunk, 'importers/read-worker.js')).toBeNull();
    fs.mkdirSync(path.join(tmp, 'dist', 'importers'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'dist', 'importers', 'read-worker.js'), '');
    expect(compiledWorkerFile(chunk, 'importers/read-worker.js')).toBe(path.join(tmp, 'dist', 'importers', 'read-worker.js'));
  });
});

describe('workerScript', () => {
  afterEach(() => vi.unstubAllEnvs());
  const size = (bytes: number) => () => bytes;

  it('starts a worker for inputs of at least the threshold, when there is a script', () => {
    vi.stubEnv('ASYNCSCOPE_PARSE_WORKER', '');
    expect(workerScript('/pkg/dist/w.js', size(4096), 4096)).toBe('/pkg/dist/w.js');
    expect(workerScript('/pkg/dist/w.js', size(4095), 4096)).toBeNull();
    expect(workerScript(null, size(1e9), 4096)).toBeNull();
  });

  it('follows ASYNCSCOPE_PARSE_WORKER, and refuses `always` without a script rather than run in this thread', () => {
    vi.stubEnv('ASYNCSCOPE_PARSE_WORKER', 'always');
    expect(workerScript('/pkg/dist/w.js', size(1), 4096)).toBe('/pkg/dist/w.js');
    expect(() => workerScript(null, size(1), 4096)).toThrow(/no compiled worker script/);
    vi.stubEnv('ASYNCSCOPE_PARSE_WORKER', 'never');
    expect(workerScript('/pkg/dist/w.js', size(1e9), 4096)).toBeNull();
  });
});
