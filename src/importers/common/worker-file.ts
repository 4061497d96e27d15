/**
 * Where a worker thread's script is. A module that starts a worker names the script by its path
 * under dist/, and the script is found from the package's root (the nearest folder above with a
 * package.json), not from the module's own location: the command line runs the modules bundled
 * into chunks (dist/bundle/, made by scripts/bundle-cli.mjs), where a path relative to the module
 * would point into the bundle, while the workers run from dist/ as tsc wrote them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The compiled worker script `dist/<relative>` of the package `moduleUrl` belongs to, or null when
 * the module runs from TypeScript sources (the test runner), where no compiled script pairs with
 * the module and the work runs in the calling thread, or when the script is missing.
 *
 * @example compiledWorkerFile(import.meta.url, 'importers/tabular/parse-worker.js') // => '/pkg/dist/importers/tabular/parse-worker.js'
 */
export function compiledWorkerFile(moduleUrl: string, relative: string): string | null {
  const modulePath = fileURLToPath(moduleUrl);
  if (!modulePath.endsWith('.js')) return null;
  for (let dir = path.dirname(modulePath); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      const script = path.join(dir, 'dist', relative);
      return fs.existsSync(script) ? script : null;
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * The worker script to start for an input of `size()` bytes, or null to do the work in this thread:
 * a worker for inputs of at least `minBytes`, unless ASYNCSCOPE_PARSE_WORKER says `always` or
 * `never` (the tests cover both paths with it). `always` without a compiled script is an error, so
 * that a test asking for the worker never passes by running in the calling thread instead.
 */
export function workerScript(script: string | null, size: () => number, minBytes: number): string | null {
  const forced = process.env.ASYNCSCOPE_PARSE_WORKER;
  if (forced === 'never') return null;
  if (forced === 'always') {
    if (script === null) throw new Error('ASYNCSCOPE_PARSE_WORKER=always, but there is no compiled worker script (running from TypeScript sources, or dist/ is not built)');
    return script;
  }
  return script !== null && size() >= minBytes ? script : null;
}
