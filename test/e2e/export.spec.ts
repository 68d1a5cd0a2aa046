/** CSV exports download from the dashboard (audit log, rejected input) with their header line. */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { Dashboard } from './pages/dashboard.ts';
import { signInByApi } from './support/api.ts';
import { journeyEvents, startStation, type E2eStation } from './support/station.ts';

const SUPERVISOR = { username: 'ana.gomez', password: 'tank-battery-88' };

let station: E2eStation;

test.beforeAll(async () => {
  station = await startStation();
  station.addUser(SUPERVISOR.username, 'supervisor', SUPERVISOR.password);
  const tablet = await station.tablet('tab-a');
  await tablet.sync([journeyEvents.production('exp-1', 150, 15), journeyEvents.invalidReading('exp-bad')]);
});

test.afterAll(async () => {
  // Undefined when the station did not start: that error is the one to read.
  await station?.stop();
});

async function lines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).split(/\r\n/).filter((l) => l !== '');
}

test('the audit log downloads as CSV', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await signInByApi(page, station.ui, SUPERVISOR.username, SUPERVISOR.password);
  await app.audit.open();
  const shown = await app.audit.rows.count();
  expect(shown).toBeGreaterThan(0);

  const [download] = await Promise.all([page.waitForEvent('download'), app.audit.exportCsv.click()]);
  expect(download.suggestedFilename()).toMatch(/^wellos-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const path = await download.path();
  const csv = await lines(path);
  expect(csv[0]).toBe('seq,at,actor,action,subject,details,prevHash,hash');
  expect(csv.length - 1).toBeGreaterThanOrEqual(shown);
  expect(csv.some((l) => l.includes('user.add') || l.includes('user'))).toBe(true);
});

test('rejected input downloads as CSV', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await signInByApi(page, station.ui, SUPERVISOR.username, SUPERVISOR.password);
  await app.quarantine.open();
  await expect(app.quarantine.rows).toHaveCount(1);

  const [download] = await Promise.all([page.waitForEvent('download'), app.quarantine.exportCsv.click()]);
  expect(download.suggestedFilename()).toMatch(/^wellos-quarantine-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await lines(await download.path());
  expect(csv[0]).toBe('id,eventId,deviceId,code,message,raw,receivedAt');
  expect(csv[1]).toContain('exp-bad');
});
