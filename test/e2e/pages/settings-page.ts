/** Settings: zone, gauge day, policy per type (safety types locked), limits, HQ link. */
import { expect, type Locator, type Page } from '@playwright/test';

export class SettingsPage {
  readonly heading: Locator;
  readonly timeZone: Locator;
  readonly gaugeHour: Locator;
  readonly plausibility: Locator;
  readonly skew: Locator;
  readonly budget: Locator;
  readonly photoFrom: Locator;
  readonly photoTo: Locator;
  readonly hqUrl: Locator;
  readonly hqKey: Locator;
  readonly save: Locator;
  readonly saved: Locator;

  constructor(
    readonly page: Page,
    readonly ui: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Settings' });
    this.timeZone = page.getByTestId('settings-timezone');
    this.gaugeHour = page.getByTestId('settings-gauge-hour');
    this.plausibility = page.getByTestId('settings-plausibility');
    this.skew = page.getByTestId('settings-skew');
    this.budget = page.getByLabel('Daily limit on the satellite link (MB)');
    this.photoFrom = page.getByLabel('From hour');
    this.photoTo = page.getByLabel('To hour');
    this.hqUrl = page.getByTestId('settings-hq-url');
    this.hqKey = page.getByTestId('settings-hq-key');
    this.save = page.getByTestId('settings-save');
    this.saved = page.getByTestId('settings-saved');
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.ui}/#/settings`);
    await expect(this.heading).toBeVisible();
    await expect(this.timeZone).toBeVisible();
  }

  policy(eventType: string): Locator {
    return this.page.getByTestId(`settings-policy-${eventType}`);
  }
}
