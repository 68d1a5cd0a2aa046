/**
 * Playwright e2e in Debian's Chromium (`apt-get install -y chromium`): the
 * Playwright browser download is not reachable from the build machines
 * (stack.md §5). The dashboard is tested against the real headless station:
 * each spec file starts its own `wellos-station serve` (test/e2e/support/station.ts),
 * so there is no `webServer` entry. Build the renderer first (`npm run build`).
 *
 * The JSON report is what `.ci/run` hands to scripts/ci-summary.mjs (CI passes
 * `--reporter=list,json` with PLAYWRIGHT_JSON_OUTPUT_NAME set to the same path).
 */
import { defineConfig } from '@playwright/test';

const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CI = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  forbidOnly: CI,
  retries: 0,
  // Two cores: one spec file (its station and its browser) per core. Tests inside a file run in order.
  workers: 2,
  fullyParallel: false,
  // Spawning a station, pairing tablets and docking take seconds, not milliseconds.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    locale: 'en-US',
    viewport: { width: 1366, height: 900 },
    actionTimeout: 15_000,
    navigationTimeout: 20_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
