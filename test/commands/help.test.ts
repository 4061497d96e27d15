/**
 * Every command documents itself: --help exits 0 and shows a description, examples and the shared
 * --db and --json flags. Commands are listed from the build's manifest, so new commands are covered too.
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

  for (const id of ids) {
    it(`documents ${id}`, async () => {
      const result = await cli([...id.split(' '), '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('EXAMPLES');
      expect(result.stdout).toContain('--db=PATH|URL');
      expect(result.stdout).toContain('--json');
    });
  }

  it('reports an unknown command with exit 2', async () => {
    const result = await cli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/command frobnicate not found/);
  });
});
