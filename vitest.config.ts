import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The shared traces' check, and a real PostgreSQL server for the store tests on both backends.
    globalSetup: ['test/global-setup.ts'],
    // CLI tests spawn bin/run.js (the built dist/); `npm test` builds first (pretest).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Three test files at a time: vitest's default on 2 cores is one (cores - 1), which left the second
    // core idle while a file waited on the command lines it starts. The whole suite on this machine,
    // nothing else running: 795 s one at a time, 590 s three at a time (both cores busy: 19 CPU
    // minutes in 10). Tests of timing allow for the load (see test/commands/sweep-measure.test.ts).
    poolOptions: { forks: { maxForks: 3 } },
  },
});
