import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // CLI tests spawn bin/run.js (the built dist/); `npm test` builds first (pretest).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
