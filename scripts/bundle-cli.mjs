#!/usr/bin/env node
/**
 * Bundles the command line after `tsc`: bin/run.js's entry (dist/cli/main.js) and every command
 * (dist/commands/**) into dist/bundle/, ES modules split into shared chunks, so that a command
 * starts by reading a few files instead of resolving and reading some 500 modules (oclif's 250
 * CommonJS files, asyncscope's and its dependencies' ES modules): the DeepDriveMD session's
 * ingest from the command line spent a third of its time loading modules (issue 16).
 *
 * Input is tsc's output (dist/), which stays as it is: the tests, the benchmark's in-process rows
 * and the worker threads (see src/importers/common/worker-file.ts) use it. Left out of the bundle:
 * better-sqlite3 (a native module, found by `bindings` beside its package), what is only loaded
 * on demand and never on a user's path (typescript, which oclif asks for in a TypeScript project;
 * pg-native, which pg tries), and cli-progress, which src/cli/progress.ts requires at run time.
 * oclif.manifest.json points oclif at dist/bundle/commands.
 *
 * One difference from Node: a CommonJS package loaded with `import()` gets a chunk with only a
 * default export (its module.exports), where Node also finds its named exports; so src/ imports
 * such packages statically, or reads them through `.default` (papaparse, tar-stream).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const out = path.join(dist, 'bundle');

const commands = fs
  .readdirSync(path.join(dist, 'commands'), { recursive: true })
  .filter((file) => file.endsWith('.js'))
  .map((file) => path.join(dist, 'commands', file));

// Written beside and moved into place at the end, so that a CLI started during a rebuild (a test
// run in another terminal) finds the old bundle or the new one, not half of one.
const staging = `${out}.${process.pid}`;
fs.rmSync(staging, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: [path.join(dist, 'cli', 'main.js'), ...commands],
  outbase: dist,
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['better-sqlite3', 'typescript', 'pg-native', 'cli-progress'],
  // CommonJS dependencies call require(); an ES module has none, so each output file makes one.
  banner: { js: "import { createRequire as __asyncscopeRequire } from 'node:module'; const require = __asyncscopeRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
if (process.env.ASYNCSCOPE_BUNDLE_META) fs.writeFileSync(process.env.ASYNCSCOPE_BUNDLE_META, JSON.stringify(result.metafile));
fs.rmSync(out, { recursive: true, force: true });
fs.renameSync(staging, out);
const files = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
const bytes = files.reduce((sum, file) => sum + result.metafile.outputs[file].bytes, 0);
console.log(`dist/bundle: ${commands.length} commands in ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB`);
