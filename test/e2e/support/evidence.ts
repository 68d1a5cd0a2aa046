/**
 * What a test leaves behind to be looked at: a full-page screenshot of each screen under
 * `test-results/e2e/screens/`, and the axe-core check of a screen (no serious or critical
 * violation), with a readable list of what is wrong when it fails.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

export const SCREENS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../..', 'test-results', 'e2e', 'screens');

/** Saves `test-results/e2e/screens/{name}.png` (whole page) and returns its path. */
export async function saveScreen(page: Page, name: string): Promise<string> {
  const path = join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

interface Violation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown; failureSummary?: string }[];
}

function describe(violations: readonly Violation[]): string {
  return violations
    .map((v) => `${v.impact ?? '?'} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${JSON.stringify(n.target)} ${(n.failureSummary ?? '').replaceAll('\n', ' ')}`).join('\n')}`)
    .join('\n');
}

/** Runs axe-core on the page as it is now; fails on any violation of impact serious or critical. */
export async function expectNoSeriousA11yViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  // Every finding (minor and moderate too) goes with the test report, for whoever reads it.
  await test.info().attach(`axe-${screen}.json`, { body: JSON.stringify(results.violations, null, 2), contentType: 'application/json' });
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${screen}: serious/critical axe violations\n${describe(serious)}`).toEqual([]);
}
