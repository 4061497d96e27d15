/**
 * The command line runs from the esbuild bundle (dist/bundle/, scripts/bundle-cli.mjs): oclif and
 * the command come from a few chunk files, not from dist/'s and node_modules' hundreds of modules
 * (issue 16: module loading was a third of a small session's ingest). Nothing breaks when the
 * bundle is bypassed, so this checks what a run loads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from '../helpers/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-bundle-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The files of the ES modules a CLI run resolved, relative to the project. */
async function modulesLoaded(args: string[]): Promise<string[]> {
  const record = path.join(tmp, `modules-${args[0]}.json`);
  const result = await cli(args, {
    env: { ASYNCSCOPE_RECORD_MODULES: record, NODE_OPTIONS: `--import=${path.join(ROOT, 'test', 'helpers', 'record-modules.mjs')}` },
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const urls = JSON.parse(fs.readFileSync(record, 'utf8')) as string[];
  return urls.filter((url) => url.startsWith('file:')).map((url) => path.relative(ROOT, fileURLToPath(url)));
}

describe('the command line bundle', () => {
  it('ingests and analyzes a trace with modules from dist/bundle only (besides bin/run.js, better-sqlite3 and the preloaded recorder)', async () => {
    const csv = path.join(tmp, 'run.csv');
    fs.writeFileSync(csv, 'task_id,type,start,end,cores\na,sim,0,10,1\nb,sim,5,20,1\n');
    const db = path.join(tmp, 'store.db');
    for (const args of [['ingest', csv, '--db', db, '--cores', '2'], ['analyze', '--db', db, '--json']]) {
      const files = await modulesLoaded(args);
      // better-sqlite3 stays outside: a native module, found beside its package.
      const outside = [path.join('test', 'helpers') + path.sep, path.join('node_modules', 'better-sqlite3') + path.sep];
      const own = files.filter((file) => !outside.some((prefix) => file.startsWith(prefix)) && file !== path.join('bin', 'run.js'));
      expect(own.length).toBeGreaterThan(1);
      expect(own.filter((file) => !file.startsWith(path.join('dist', 'bundle') + path.sep))).toEqual([]);
      expect(own).toContain(path.join('dist', 'bundle', 'commands', `${args[0]}.js`));
    }
  });

  it('lists every command the build compiled, and only the bundle, in the oclif manifest', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, { relativePath: string[] }> };
    const compiled = fs.readdirSync(path.join(ROOT, 'dist', 'commands'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    const bundled = Object.values(manifest.commands).map((command) => path.join(...command.relativePath));
    expect(bundled.every((file) => file.startsWith(path.join('dist', 'bundle', 'commands') + path.sep))).toBe(true);
    expect(bundled.map((file) => path.relative(path.join('dist', 'bundle', 'commands'), file)).sort()).toEqual(compiled.sort());
  });
});
