/**
 * A viewer sees everything and decides nothing: the decision controls are disabled, the
 * digit keys pick nothing, and a direct API call from the page's own context is refused
 * with 403 — the station enforces the role, not just the dashboard.
 */
import { expect, test, type Page } from '@playwright/test';
import { Dashboard } from './pages/dashboard.ts';
import { apiValue } from './support/api.ts';
import { saveScreen } from './support/evidence.ts';
import { journeyEvents, startStation, type E2eStation } from './support/station.ts';

const VIEWER = { username: 'field.viewer', password: 'read-only-please-9' };

let station: E2eStation;
let inspectionId = '';
let productionId = '';

test.beforeAll(async () => {
  station = await startStation();
  station.addUser(VIEWER.username, 'viewer', VIEWER.password);
  const a = await station.tablet('tab-a');
  const b = await station.tablet('tab-b');
  await a.sync([journeyEvents.inspection('insp-a', 'PASS', 15), journeyEvents.production('prod-a', 120, 15)]);
  const answer = await b.sync([journeyEvents.inspection('insp-b', 'FAIL', 16), journeyEvents.production('prod-b', 110, 16)]);
  inspectionId = answer.results.find((r) => r.eventId === 'insp-b')?.conflictId ?? '';
  productionId = answer.results.find((r) => r.eventId === 'prod-b')?.conflictId ?? '';
  expect(inspectionId).not.toBe('');
  expect(productionId).not.toBe('');
});

test.afterAll(async () => {
  // Undefined when the station did not start: that error is the one to read.
  await station?.stop();
});

/** What a script in the dashboard's page would send: same origin, session cookie. */
async function postFromPage(page: Page, method: string, args: unknown): Promise<{ status: number; body: { ok: boolean; error?: { code: string } } }> {
  return page.evaluate(
    async ({ method, args }) => {
      const r = await fetch(`/api/v1/${method}`, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
      return { status: r.status, body: (await r.json()) as { ok: boolean; error?: { code: string } } };
    },
    { method, args },
  );
}

test('a viewer cannot decide: controls disabled, and the API answers 403', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.visit();
  await app.login.waitFor();
  await app.login.signIn(VIEWER.username, VIEWER.password);
  await app.today.waitFor();
  await app.shell.expectSignedInAs(VIEWER.username, 'viewer');
  await app.shell.expectPending(1);

  // A pending review: everything visible, nothing usable.
  await app.conflict.open(inspectionId);
  await expect(app.conflict.cards).toHaveCount(2);
  await expect(app.conflict.viewerNote).toBeVisible();
  for (const choose of await page.getByTestId('candidate-choose').all()) await expect(choose).toBeDisabled();
  await expect(app.conflict.comment).toBeDisabled();
  await expect(app.conflict.confirm).toBeDisabled();
  await page.keyboard.press('1');
  await expect(app.conflict.cards.first()).toHaveAttribute('data-selected', 'false');
  await expect(app.conflict.choiceSummary).toHaveCount(0);
  await saveScreen(page, '07-viewer-conflict');

  // An automatic decision: no override either.
  await app.conflict.open(productionId);
  await expect(app.conflict.viewerNote).toBeVisible();
  await expect(app.conflict.override).toBeDisabled();
  await expect(app.conflict.chooseCorrection).toBeDisabled();

  // The station refuses the same calls made directly from the page.
  const resolve = await postFromPage(page, 'resolveConflict', { conflictId: inspectionId, choice: { choose: 'insp-b' }, comment: 'viewer trying anyway' });
  expect(resolve.status).toBe(403);
  expect(resolve.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) as unknown } });
  const override = await postFromPage(page, 'overrideResolution', { conflictId: productionId, choice: { choose: 'prod-b' }, comment: 'viewer trying anyway' });
  expect(override.status).toBe(403);
  const pairing = await postFromPage(page, 'createPairingCode', {});
  expect(pairing.status).toBe(403);
  // Reading is allowed.
  const read = await postFromPage(page, 'getConflict', { conflictId: inspectionId });
  expect(read.status).toBe(200);

  const after = await apiValue(page.request, station.ui, 'getConflict', { conflictId: inspectionId });
  expect(after.status).toBe('PENDING_REVIEW');
  expect(after.decision).toBeNull();
});

test('a viewer cannot pair tablets or change settings', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.visit();
  await app.login.signIn(VIEWER.username, VIEWER.password);
  await app.today.waitFor();
  await app.shell.goTo('tablets');
  await expect(app.tablets.pairButton).toBeDisabled();
  for (const revoke of await page.getByTestId('revoke-tablet').all()) await expect(revoke).toBeDisabled();
  await app.shell.goTo('settings');
  await expect(app.settings.timeZone).toBeDisabled();
  await expect(app.settings.save).toBeDisabled();
});
