/** Wells list (latest values, disputed highlighted) and one well's page (charts, history). */
import { expect, type Locator, type Page } from '@playwright/test';

export class WellsPage {
  readonly heading: Locator;
  readonly search: Locator;
  readonly disputedOnly: Locator;
  readonly table: Locator;
  readonly rows: Locator;

  constructor(
    readonly page: Page,
    readonly ui: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Wells' });
    this.search = page.getByTestId('wells-search');
    this.disputedOnly = page.getByTestId('wells-disputed-only');
    this.table = page.getByTestId('wells-table');
    this.rows = page.getByTestId('well-row');
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.ui}/#/wells`);
    await expect(this.heading).toBeVisible();
  }

  row(wellId: string): Locator {
    return this.page.locator(`[data-testid="well-row"][data-well-id="${wellId}"]`);
  }

  async openWell(wellId: string): Promise<WellPage> {
    await this.row(wellId).getByRole('link', { name: wellId, exact: true }).click();
    const well = new WellPage(this.page, this.ui);
    await well.waitFor(wellId);
    return well;
  }
}

export class WellPage {
  readonly heading: Locator;
  readonly days30: Locator;
  readonly days90: Locator;
  readonly productionChart: Locator;
  readonly pressureChart: Locator;
  readonly history: Locator;
  readonly historyRows: Locator;

  constructor(
    readonly page: Page,
    readonly ui: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.days30 = page.getByTestId('well-days-30');
    this.days90 = page.getByTestId('well-days-90');
    this.productionChart = page.getByTestId('chart-production');
    this.pressureChart = page.getByTestId('chart-pressure');
    this.history = page.getByTestId('well-history');
    this.historyRows = page.getByTestId('history-row');
  }

  async open(wellId: string, days: 30 | 90 = 30): Promise<void> {
    await this.page.goto(`${this.ui}/#/wells/${encodeURIComponent(wellId)}${days === 90 ? '?days=90' : ''}`);
    await this.waitFor(wellId);
  }

  async waitFor(wellId: string): Promise<void> {
    await expect(this.heading).toContainText(`Well ${wellId}`);
    await expect(this.history).toBeVisible();
  }
}
