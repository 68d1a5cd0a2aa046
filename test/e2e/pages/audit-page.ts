/** The audit log (search, verify the chain, CSV) and the rejected-input screen. */
import { expect, type Locator, type Page } from '@playwright/test';

export class AuditPage {
  readonly heading: Locator;
  readonly search: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly more: Locator;
  readonly verify: Locator;
  readonly verifyResult: Locator;
  readonly exportCsv: Locator;

  constructor(
    readonly page: Page,
    readonly ui: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Audit log' });
    this.search = page.getByTestId('audit-search');
    this.table = page.getByTestId('audit-table');
    this.rows = page.getByTestId('audit-row');
    this.more = page.getByTestId('audit-more');
    this.verify = page.getByTestId('verify-chain');
    this.verifyResult = page.getByTestId('verify-result');
    this.exportCsv = page.getByTestId('export-audit');
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.ui}/#/audit`);
    await expect(this.heading).toBeVisible();
    await expect(this.table).toBeVisible();
  }

  async verifyChain(): Promise<void> {
    await this.verify.click();
    await expect(this.verifyResult).toHaveAttribute('data-ok', /true|false/);
  }
}

export class QuarantinePage {
  readonly heading: Locator;
  readonly rows: Locator;
  readonly raw: Locator;
  readonly exportCsv: Locator;

  constructor(
    readonly page: Page,
    readonly ui: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Rejected input' });
    this.rows = page.getByTestId('quarantine-row');
    this.raw = page.getByTestId('quarantine-raw');
    this.exportCsv = page.getByTestId('export-quarantine');
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.ui}/#/quarantine`);
    await expect(this.heading).toBeVisible();
  }
}
