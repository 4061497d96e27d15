/**
 * The floors of src/ (.dependency-cruiser.cjs): imports run one way, top to bottom, SQL stays in
 * store/, the command-line framework in commands/ and cli/. dependency-cruiser checks the real
 * import graph, TypeScript `import type` included; the second test shows the rules catch what
 * they are for, on small trees that break them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runProcess, tempDir } from './helpers/cli.js';

const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function depcruise(cwd: string) {
  return runProcess(process.execPath, [DEPCRUISE, 'src', '--config', CONFIG, '--output-type', 'err'], { cwd, env: process.env });
}

/** A tree of TypeScript files (path -> content) with this project's tsconfig. */
function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  fs.copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  return dir;
}

describe('the layering of src/', () => {
  it('holds: no module imports one on a floor above it, nor a neighbour on its floor', async () => {
    const result = await depcruise(ROOT);
    expect(result.stdout + result.stderr).toMatch(/no dependency violations found/);
    expect(result.code).toBe(0);
  }, 60_000);

  it('is broken by an upward import, a neighbour, SQL or the CLI framework outside their rooms, and a cycle', async () => {
    const dir = tree('broken', {
      'src/commands/run.ts': "export const run = 1;\n",
      'src/store/store.ts': "import { run } from '../commands/run.js';\nexport const store = run;\n",
      'src/report/report.ts': "import { check } from '../check/check.js';\nexport const report = check;\n",
      'src/check/check.ts': "export const check = 1;\n",
      'src/model/model.ts': "import Database from 'better-sqlite3';\nimport { Flags } from '@oclif/core';\nexport const model = [Database, Flags];\n",
      'src/analysis/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/analysis/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const result = await depcruise(dir);
    const output = result.stdout + result.stderr;
    expect(result.code).not.toBe(0);
    expect(output).toMatch(/error floor-store: src\/store\/store\.ts → src\/commands\/run\.ts/);
    expect(output).toMatch(/error floor-report: src\/report\/report\.ts → src\/check\/check\.ts/);
    expect(output).toMatch(/error sql-in-store: src\/model\/model\.ts → .*node_modules\/better-sqlite3/);
    expect(output).toMatch(/error oclif-in-commands: src\/model\/model\.ts → .*node_modules\/@oclif\/core/);
    expect(output).toMatch(/error no-circular: src\/analysis\/(a|b)\.ts/);
  }, 60_000);
});
