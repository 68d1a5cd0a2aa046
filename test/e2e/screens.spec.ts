/**
 * Every screen on a station the device simulator filled (4 tablets × 3 field days, one
 * tablet's clock an hour fast, double visits, photos) plus two photos of one tank, a
 * failed inspection and one rejected entry: each screen
 * shows its real data, is saved as a screenshot under test-results/e2e/screens/, and has
 * no serious or critical axe-core violation.
 */
import { expect, test } from '@playwright/test';
import type { FleetReport } from '../../tools/device-sim/fleet.ts';
import { Dashboard } from './pages/dashboard.ts';
import { apiValue, signInByApi } from './support/api.ts';
import { expectNoSeriousA11yViolations, saveScreen } from './support/evidence.ts';
import { randomPhotoPng } from '../../tools/device-sim/png.ts';
import { rngOf } from '../../tools/device-sim/prng.ts';
import { dockFleet, journeyEvents, startStation, type E2eStation } from './support/station.ts';

const SUPERVISOR = { username: 'chris.baker', password: 'flowline-choke-31' };

let station: E2eStation;
let fleet: FleetReport;
let photoConflictId = '';
/** Tablets docked besides the simulated fleet. */
const EXTRA_TABLETS = 2;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  station = await startStation();
  station.addUser(SUPERVISOR.username, 'supervisor', SUPERVISOR.password);
  fleet = await dockFleet(station, { tablets: 4, days: 3, seed: 7 });
  // Two more tablets: the same tank photographed by both (photos shown inline), and one rejected entry.
  const first = await station.tablet('tab-98');
  const second = await station.tablet('tab-99');
  const photoA = randomPhotoPng(rngOf('e2e-photo-a'));
  const photoB = randomPhotoPng(rngOf('e2e-photo-b'));
  const shaA = await first.putPhoto(photoA, 'image/png');
  const shaB = await second.putPhoto(photoB, 'image/png');
  await first.sync([
    journeyEvents.photo('photo-a', { sha256: shaA, bytes: photoA.length }, 15, { caption: 'Tank 2 thief hatch' }),
    journeyEvents.inspection('insp-failed', 'FAIL', 14, { wellId: 'W-150', equipmentId: 'PUMP-9' }),
  ]);
  const answer = await second.sync([journeyEvents.photo('photo-b', { sha256: shaB, bytes: photoB.length }, 16, { caption: 'Tank 2 thief hatch, closer' }), journeyEvents.invalidReading('bad-reading-1')]);
  photoConflictId = answer.results[0]?.conflictId ?? '';
});

test.afterAll(async () => {
  // Undefined when the station did not start: that error is the one to read.
  await station?.stop();
});

test.beforeEach(async ({ page }) => {
  await signInByApi(page, station.ui, SUPERVISOR.username, SUPERVISOR.password);
});

test('sign-in screen', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const app = new Dashboard(page, station.ui);
  await app.visit();
  await app.login.waitFor();
  await app.login.signIn(SUPERVISOR.username, 'wrong-password');
  await expect(app.login.error).toBeVisible();
  await saveScreen(page, '10-login');
  await expectNoSeriousA11yViolations(page, 'sign-in');
  await context.close();
});

test('Today', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.today.open();
  await expect(app.today.docks).toHaveCount(fleet.tablets + EXTRA_TABLETS);
  expect(await app.today.pendingCount()).toBeGreaterThan(0);
  // tab-03's clock is an hour fast in the simulator.
  await expect(app.today.skewed).toHaveCount(1);
  await expect(app.today.skewed).toContainText(/Tablet 03.*1 h ahead/);
  await expect(app.today.lanes).toHaveCount(5);
  // The failed inspection is listed with its well (a link to it) and who recorded it.
  const failed = app.today.inspections.filter({ hasText: 'W-150' });
  await expect(failed).toContainText(/Failed\s+W-150 · PUMP-9/);
  await expect(failed).toContainText('op-insp-failed');
  await expect(failed.getByRole('link', { name: 'W-150' })).toHaveAttribute('href', /#\/wells\/W-150/);
  await app.shell.expectLive();
  await saveScreen(page, '11-today');
  await expectNoSeriousA11yViolations(page, 'Today');
});

test('conflicts queue', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.conflicts.open();
  const open = await apiValue(page.request, station.ui, 'listConflicts', {});
  expect(open.length).toBeGreaterThan(0);
  await expect(app.conflicts.counts).toContainText(`${open.length} open conflict`);
  await expect(app.conflicts.grid).toBeFocused();
  await expect(app.conflicts.rows.first()).toBeVisible();
  await saveScreen(page, '12-conflicts');
  await expectNoSeriousA11yViolations(page, 'Conflicts');

  await app.conflicts.filterStatus.selectOption('AUTO_RESOLVED');
  await expect(app.conflicts.filterClear).toBeVisible();
  const auto = open.filter((c) => c.status === 'AUTO_RESOLVED').length;
  await expect(app.conflicts.counts).toContainText(`${auto} open conflict`);
});

test('conflict needing a decision', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  const pending = await apiValue(page.request, station.ui, 'listConflicts', { status: 'PENDING_REVIEW' });
  const first = pending[0];
  expect(first, 'the fleet left a conflict for review').toBeDefined();
  await app.conflict.open(first?.conflictId ?? '');
  await expect(app.conflict.cards).toHaveCount(first?.candidates.length ?? 0);
  await expect(app.conflict.confirm).toBeVisible();
  await expect(app.conflict.reason).toBeVisible();
  await saveScreen(page, '13-conflict-pending');
  await expectNoSeriousA11yViolations(page, 'conflict (pending review)');
});

test('automatic decision open to override', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  const auto = await apiValue(page.request, station.ui, 'listConflicts', { status: 'AUTO_RESOLVED', type: 'PRODUCTION_LOGGED' });
  const first = auto[0];
  expect(first, 'the fleet left an automatic production decision').toBeDefined();
  await app.conflict.open(first?.conflictId ?? '');
  await expect(app.conflict.override).toBeVisible();
  await app.conflict.chooseCorrection.check();
  await expect(app.conflict.correctionForm).toBeVisible();
  await saveScreen(page, '14-conflict-override');
  await expectNoSeriousA11yViolations(page, 'conflict (automatic decision, correction form open)');
});

test('conflict with photos', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.conflict.open(photoConflictId);
  const images = page.locator('.candidate-photo img');
  await expect(images).toHaveCount(2);
  for (const image of await images.all()) {
    await image.scrollIntoViewIfNeeded();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  }
  await expect(images.first()).toHaveAttribute('alt', /Tank 2 thief hatch/);
  await expect(app.conflict.decisionMade).toContainText('Nothing to decide');
  await saveScreen(page, '15-conflict-photos');
  await expectNoSeriousA11yViolations(page, 'conflict (photos)');
});

test('wells and a well page', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.wells.open();
  const wells = await apiValue(page.request, station.ui, 'listWells', {});
  await expect(app.wells.rows).toHaveCount(wells.length);
  await saveScreen(page, '16-wells');
  await expectNoSeriousA11yViolations(page, 'Wells');

  await app.wells.disputedOnly.check();
  await expect(app.wells.rows).toHaveCount(wells.filter((w) => w.disputed > 0).length);
  const disputed = wells.find((w) => w.disputed > 0) ?? wells[0];
  const well = await app.wells.openWell(disputed?.wellId ?? '');
  await expect(well.productionChart.locator('canvas').first()).toBeVisible();
  await expect(well.pressureChart.locator('canvas').first()).toBeVisible();
  expect(await well.historyRows.count()).toBeGreaterThan(0);
  // A disputed well has entries waiting in a review, and the history says so now.
  await expect(page.locator('[data-testid=history-standing][data-standing=IN_REVIEW]').first()).toContainText('In review');
  await saveScreen(page, '17-well');
  await expectNoSeriousA11yViolations(page, 'Well page');
  await well.days90.click();
  await expect(well.days90).toHaveAttribute('aria-current', 'true');
  await expect(well.productionChart).toContainText('last 90 days');
});

test('tablets and pairing', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.tablets.open();
  await expect(app.tablets.rows).toHaveCount(fleet.tablets + EXTRA_TABLETS);
  const code = await app.tablets.pairNew();
  expect(code).toMatch(/\S{4,}/);
  // The address a tablet can reach: the LAN port, on a LAN address of this computer.
  await expect(app.tablets.pairingUrl).toHaveText(new RegExp(`^http://[0-9.]+:${new URL(station.lan).port}$`));
  await expect(app.tablets.pairingExpiry).toContainText('left');
  await saveScreen(page, '18-tablets-pairing');
  await expectNoSeriousA11yViolations(page, 'Tablets (pairing panel open)');
  await app.tablets.askRevoke('tab-99');
  await saveScreen(page, '19-tablets-revoke-dialog');
  await expectNoSeriousA11yViolations(page, 'Tablets (revoke dialog)');
  await app.tablets.revokeConfirm.click();
  await expect(app.tablets.row('tab-99')).toContainText('Revoked');
});

test('audit log', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.audit.open();
  expect(await app.audit.rows.count()).toBeGreaterThan(0);
  await app.audit.verifyChain();
  await expect(app.audit.verifyResult).toHaveAttribute('data-ok', 'true');
  await saveScreen(page, '20-audit');
  await expectNoSeriousA11yViolations(page, 'Audit log');
  await app.audit.search.fill('tab-02');
  await expect(app.audit.rows.first()).toContainText('tab-02');
});

test('rejected input', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.quarantine.open();
  await expect(app.quarantine.rows).toHaveCount(1);
  await app.quarantine.rows.first().locator('summary').click();
  await expect(app.quarantine.raw).toContainText('bad-reading-1');
  await saveScreen(page, '21-quarantine');
  await expectNoSeriousA11yViolations(page, 'Rejected input');
});

test('settings', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.settings.open();
  await expect(app.settings.timeZone).toHaveValue('America/Denver');
  await expect(app.settings.policy('EQUIPMENT_INSPECTED')).toHaveAttribute('data-locked', 'true');
  await expect(app.settings.policy('PRODUCTION_LOGGED')).toHaveValue('HIGHEST_VALUE');
  await saveScreen(page, '22-settings');
  await expectNoSeriousA11yViolations(page, 'Settings');
  await app.settings.skew.fill('90');
  await app.settings.budget.fill('50');
  await app.settings.photoFrom.fill('22');
  await app.settings.photoTo.fill('5');
  await app.settings.save.click();
  await expect(app.settings.saved).toContainText('Saved');
  await saveScreen(page, '23-settings-hq-limits');
  const settings = await apiValue(page.request, station.ui, 'getSettings', {});
  expect(settings).toMatchObject({ skewLimitMs: 90_000, dailyByteBudget: 50_000_000, photoWindow: { startHour: 22, endHour: 5 } });
});

test('keyboard help', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.today.open();
  await page.keyboard.press('?');
  await expect(app.shell.helpDialog).toBeVisible();
  await saveScreen(page, '23-help');
  await expectNoSeriousA11yViolations(page, 'Keyboard help');
  await page.keyboard.press('Escape');
  await expect(app.shell.helpDialog).toBeHidden();
});
