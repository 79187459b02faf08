// End-to-end tests: a real browser (Debian's chromium via playwright-core) against the dashboard.
// Run: npx vitest run --config test/e2e/vitest.config.ts
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One browser at a time: CI machines have two cores.
    fileParallelism: false,
    globalSetup: ['test/e2e/support/build-dashboard.ts'],
  },
});
