/**
 * Live updates: with Today (and then the queue) open, a tablet docks over the real device
 * API and the screen changes by itself — no reload, no navigation.
 */
import { expect, test } from '@playwright/test';
import { Dashboard } from './pages/dashboard.ts';
import { signInByApi } from './support/api.ts';
import { saveScreen } from './support/evidence.ts';
import { journeyEvents, startStation, type E2eStation, type E2eTablet } from './support/station.ts';

const SUPERVISOR = { username: 'lee.okafor', password: 'wellhead-pressure-5' };

let station: E2eStation;
let tabA: E2eTablet;
let tabB: E2eTablet;

test.beforeAll(async () => {
  station = await startStation();
  station.addUser(SUPERVISOR.username, 'supervisor', SUPERVISOR.password);
  tabA = await station.tablet('tab-a');
  tabB = await station.tablet('tab-b');
});

test.afterAll(async () => {
  // Undefined when the station did not start: that error is the one to read.
  await station?.stop();
});

test('a dock changes the pending count on Today without reload', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await signInByApi(page, station.ui, SUPERVISOR.username, SUPERVISOR.password);
  await app.today.open();
  await app.shell.expectLive();
  await expect(app.today.pending).toHaveText('0');
  await app.shell.expectPending(0);
  // A marker that a reload or a new document would wipe out.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });

  await tabA.sync([journeyEvents.inspection('live-a1', 'PASS', 15)]);
  await expect(app.today.dock('tab-a')).toContainText('1 event');
  await tabB.sync([journeyEvents.inspection('live-b1', 'FAIL', 16), journeyEvents.production('live-b2', 95, 16)]);

  await expect(app.today.pending).toHaveText('1');
  await app.shell.expectPending(1);
  await expect(app.today.dock('tab-b')).toContainText('conflict');
  await expect(app.shell.liveStatus).toContainText('docked');
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  expect(navigations).toBe(0);
  await saveScreen(page, '08-today-after-live-dock');
});

test('the open queue gains the new conflict without reload', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await signInByApi(page, station.ui, SUPERVISOR.username, SUPERVISOR.password);
  await app.conflicts.open();
  await app.shell.expectLive();
  const before = await app.conflicts.rows.count();
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  await tabA.sync([journeyEvents.inspection('live-a2', 'PASS', 17, { equipmentId: 'SEP-1' })]);
  const answer = await tabB.sync([journeyEvents.inspection('live-b3', 'FAIL', 18, { equipmentId: 'SEP-1' })]);
  const conflictId = answer.results[0]?.conflictId ?? '';
  expect(conflictId).not.toBe('');

  await expect(app.conflicts.row(conflictId)).toBeVisible();
  await expect(app.conflicts.rows).toHaveCount(before + 1);
  await app.shell.expectPending(2);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});
