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
  },
});
