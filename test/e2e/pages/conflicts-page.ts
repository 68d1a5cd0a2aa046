/** The review queue: a virtualized ARIA grid with filters; j/k move, Enter opens. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ConflictsPage {
  readonly heading: Locator;
  readonly grid: Locator;
  readonly rows: Locator;
  readonly selectedRow: Locator;
  readonly counts: Locator;
  readonly empty: Locator;
  readonly filterOpen: Locator;
  readonly filterStatus: Locator;
  readonly filterType: Locator;
  readonly filterWell: Locator;
  readonly filterStrategy: Locator;
  readonly filterClear: Locator;

  constructor(
    readonly page: Page,
    readonly ui: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Conflicts' });
    this.grid = page.getByRole('grid', { name: 'Conflicts' });
    this.rows = page.getByTestId('conflict-row');
    this.selectedRow = page.locator('[data-testid="conflict-row"][aria-selected="true"]');
    this.counts = page.getByTestId('conflict-counts');
    this.empty = page.getByTestId('conflicts-empty');
    this.filterOpen = page.getByTestId('filter-open');
    this.filterStatus = page.getByTestId('filter-status');
    this.filterType = page.getByTestId('filter-type');
    this.filterWell = page.getByTestId('filter-well');
    this.filterStrategy = page.getByTestId('filter-strategy');
    this.filterClear = page.getByTestId('filter-clear');
  }

  /** Opens the queue by its address (`query` e.g. `?status=AUTO_RESOLVED`) and waits for the list or the empty state. */
  async open(query = ''): Promise<void> {
    await this.page.goto(`${this.ui}/#/conflicts${query}`);
    await this.waitFor();
  }

  async waitFor(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.counts).toBeVisible();
  }

  row(conflictId: string): Locator {
    return this.page.locator(`[data-testid="conflict-row"][data-conflict-id="${conflictId}"]`);
  }

  /** Conflict ids of the rows in the DOM (the visible window of the virtualized grid), in order. */
  async renderedIds(): Promise<string[]> {
    const rows = await this.rows.all();
    const withPos = await Promise.all(rows.map(async (r) => ({ id: (await r.getAttribute('data-conflict-id')) ?? '', index: Number(await r.getAttribute('aria-rowindex')) })));
    return withPos.sort((a, b) => a.index - b.index).map((r) => r.id);
  }

  async expectSelected(conflictId: string): Promise<void> {
    await expect(this.selectedRow).toHaveAttribute('data-conflict-id', conflictId);
  }
}
