/**
 * Playwright e2e in Debian's Chromium (`apt-get install -y chromium`): the
 * Playwright browser download is not reachable from the build machines
 * (stack.md §5). The dashboard is tested against the headless station; its
 * `webServer` entry lands with the headless shell.
 */
import { defineConfig } from '@playwright/test';

const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

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
  outputDir: 'test-results/e2e',
  reporter: 'list',
  forbidOnly: process.env['CI'] !== undefined,
  retries: 0,
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
