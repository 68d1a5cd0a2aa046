/** Tablets: paired devices, last dock, clock, revoke; pairing a new one with a code and a QR code. */
import { expect, type Locator, type Page } from '@playwright/test';

export class TabletsPage {
  readonly heading: Locator;
  readonly pairButton: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly pairingPanel: Locator;
  readonly pairingCode: Locator;
  readonly pairingUrl: Locator;
  readonly pairingExpiry: Locator;
  readonly pairingQr: Locator;
  readonly pairingDone: Locator;
  readonly revokeDialog: Locator;
  readonly revokeConfirm: Locator;
  readonly revokeCancel: Locator;

  constructor(
    readonly page: Page,
    readonly ui: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Tablets' });
    this.pairButton = page.getByTestId('pair-tablet');
    this.table = page.getByTestId('tablets-table');
    this.rows = page.getByTestId('tablet-row');
    this.pairingPanel = page.getByTestId('pairing-panel');
    this.pairingCode = page.getByTestId('pairing-code');
    this.pairingUrl = page.getByTestId('pairing-url');
    this.pairingExpiry = page.getByTestId('pairing-expiry');
    this.pairingQr = page.getByTestId('pairing-qr');
    this.pairingDone = page.getByTestId('pairing-done');
    this.revokeDialog = page.getByTestId('revoke-dialog');
    this.revokeConfirm = page.getByTestId('revoke-dialog-confirm');
    this.revokeCancel = page.getByTestId('revoke-dialog-cancel');
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.ui}/#/tablets`);
    await expect(this.heading).toBeVisible();
  }

  row(deviceId: string): Locator {
    return this.page.locator(`[data-testid="tablet-row"][data-device-id="${deviceId}"]`);
  }

  async pairNew(): Promise<string> {
    await this.pairButton.click();
    await expect(this.pairingPanel).toBeVisible();
    await expect(this.pairingQr).toBeVisible();
    return (await this.pairingCode.innerText()).trim();
  }

  /** Opens the revoke question for a tablet (the caller confirms or cancels). */
  async askRevoke(deviceId: string): Promise<void> {
    await this.row(deviceId).getByTestId('revoke-tablet').click();
    await expect(this.revokeDialog).toBeVisible();
  }
}
