/**
 * Every command documents itself: --help exits 0 and shows a description, examples and the shared
 * --db and --json flags where the command uses them (demo and gen open no store). `asyncscope help`
 * works as users expect. Commands are listed from the build's manifest, so new commands are covered too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from '../helpers/cli.js';

/** Command ids from the manifest the build writes (oclif.manifest.json). */
function commandIds(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, unknown> };
  return Object.keys(manifest.commands)
    .map((id) => id.split(':').join(' '))
    .sort();
}

describe('--help', () => {
  const ids = commandIds();

  it('finds the commands', () => {
    expect(ids).toEqual(expect.arrayContaining(['ingest', 'runs', 'runs edit', 'runs rm', 'runs show']));
  });

  /** Commands that open no store: --db is not shown (demo writes its own database, gen a file). */
  const NO_STORE = new Set(['demo', 'gen']);

  for (const id of ids.filter((id) => id !== 'help')) {
    it(`documents ${id}`, async () => {
      const result = await cli([...id.split(' '), '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('EXAMPLES');
      if (NO_STORE.has(id)) expect([result.stdout.includes('--db=PATH'), result.stdout.includes('[--db PATH')]).toEqual([false, false]);
      else expect(result.stdout).toContain('--db=PATH|URL');
      expect(result.stdout).toContain('--json');
    });
  }

  it('asyncscope help lists the commands, and help COMMAND shows its --help', async () => {
    const all = await cli(['help']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/COMMANDS\n(.*\n)*  ingest +Load execution traces/);
    const ingest = await cli(['help', 'ingest']);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toBe((await cli(['ingest', '--help'])).stdout);
    const edit = await cli(['help', 'runs', 'edit']);
    expect(edit.stdout).toMatch(/^Change a run's label/);
    const unknown = await cli(['help', 'frobnicate']);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'asyncscope: error: command frobnicate not found: see asyncscope help\n']);
  });

  it('reports an unknown command with exit 2', async () => {
    const result = await cli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/command frobnicate not found/);
  });
});
