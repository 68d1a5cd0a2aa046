/** One conflict: candidates side by side, the decision panel (choose, correct, comment, confirm or override). */
import { expect, type Locator, type Page } from '@playwright/test';

export class ConflictDetailPage {
  readonly root: Locator;
  readonly heading: Locator;
  readonly status: Locator;
  readonly reason: Locator;
  readonly backToQueue: Locator;
  readonly cards: Locator;
  readonly chooseCorrection: Locator;
  readonly correctionForm: Locator;
  readonly comment: Locator;
  readonly confirm: Locator;
  readonly override: Locator;
  readonly error: Locator;
  readonly choiceSummary: Locator;
  readonly stationChoice: Locator;
  readonly viewerNote: Locator;
  readonly decisionMade: Locator;

  constructor(
    readonly page: Page,
    readonly ui: string,
  ) {
    this.root = page.getByTestId('conflict-detail');
    this.heading = this.root.getByRole('heading', { level: 1 });
    this.status = page.getByTestId('conflict-status');
    this.reason = page.getByTestId('conflict-reason');
    this.backToQueue = page.getByTestId('back-to-queue');
    this.cards = page.getByTestId('candidate-card');
    this.chooseCorrection = page.getByTestId('choose-correction');
    this.correctionForm = page.getByTestId('correction-form');
    this.comment = page.getByRole('textbox', { name: /^Comment/ });
    this.confirm = page.getByRole('button', { name: 'Confirm decision' });
    this.override = page.getByRole('button', { name: 'Override automatic decision' });
    this.error = page.getByTestId('decision-error');
    this.choiceSummary = page.getByTestId('choice-summary');
    this.stationChoice = page.getByTestId('station-choice');
    this.viewerNote = page.getByTestId('viewer-note');
    this.decisionMade = page.getByTestId('decision-made');
  }

  async open(conflictId: string): Promise<void> {
    await this.page.goto(`${this.ui}/#/conflicts/${encodeURIComponent(conflictId)}`);
    await this.waitFor(conflictId);
  }

  async waitFor(conflictId: string): Promise<void> {
    await expect(this.root).toHaveAttribute('data-conflict-id', conflictId);
  }

  card(eventId: string): Locator {
    return this.page.locator(`[data-testid="candidate-card"][data-event-id="${eventId}"]`);
  }

  field(eventId: string, field: string): Locator {
    return this.card(eventId).locator(`[data-field="${field}"]`);
  }

  chooseButton(eventId: string): Locator {
    return this.card(eventId).getByTestId('candidate-choose');
  }

  correction(field: string): Locator {
    return this.page.getByTestId(`correction-${field}`);
  }

  /** The 1-based number of a candidate card (what the digit key picks). */
  async numberOf(eventId: string): Promise<number> {
    return Number(await this.card(eventId).getAttribute('data-index'));
  }

  async choose(eventId: string): Promise<void> {
    await this.chooseButton(eventId).check();
    await expect(this.card(eventId)).toHaveAttribute('data-selected', 'true');
  }
}
