/** Today: conflicts waiting, inspections that found a problem, rejected input, what each tablet brought, clocks, HQ link. */
import { expect, type Locator, type Page } from '@playwright/test';

export class TodayPage {
  readonly heading: Locator;
  readonly pending: Locator;
  readonly pendingLink: Locator;
  readonly auto: Locator;
  readonly autoLink: Locator;
  readonly rejected: Locator;
  readonly rejectedLink: Locator;
  readonly docks: Locator;
  readonly inspections: Locator;
  readonly skewed: Locator;
  readonly linkState: Locator;
  readonly lanes: Locator;

  constructor(
    readonly page: Page,
    readonly ui: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Today' });
    this.pending = page.getByTestId('today-pending');
    this.pendingLink = page.getByTestId('today-pending-link');
    this.auto = page.getByTestId('today-auto');
    this.autoLink = page.getByTestId('today-auto-link');
    this.rejected = page.getByTestId('today-rejected');
    this.rejectedLink = page.getByTestId('today-rejected-link');
    this.docks = page.getByTestId('today-dock');
    this.inspections = page.getByTestId('today-inspection');
    this.skewed = page.getByTestId('today-skewed');
    this.linkState = page.getByTestId('today-link-state');
    this.lanes = page.getByTestId('today-lane');
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.ui}/#/today`);
    await this.waitFor();
  }

  async waitFor(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.pending).toBeVisible();
  }

  dock(deviceId: string): Locator {
    return this.page.locator(`[data-testid="today-dock"][data-device-id="${deviceId}"]`);
  }

  lane(lane: string): Locator {
    return this.page.locator(`[data-testid="today-lane"][data-lane="${lane}"]`);
  }

  /** The number on the "conflicts need your decision" card. */
  async pendingCount(): Promise<number> {
    return Number((await this.pending.innerText()).replaceAll(',', ''));
  }
}
