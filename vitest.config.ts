/**
 * Vitest: unit and integration tests on plain Node. E2E is Playwright's
 * (playwright.config.ts), benchmarks live in bench/ and are not tests.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // better-sqlite3 is a native addon: child processes, not worker threads.
    pool: 'forks',
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
