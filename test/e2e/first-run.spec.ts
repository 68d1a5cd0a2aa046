/**
 * First run: a fresh station with no account shows "create the first supervisor" (from
 * the station computer itself); the account it creates is signed in and lands on Today,
 * and from then on the front door is the sign-in screen.
 */
import { expect, test } from '@playwright/test';
import { Dashboard } from './pages/dashboard.ts';
import { expectNoSeriousA11yViolations, saveScreen } from './support/evidence.ts';
import { startStation, type E2eStation } from './support/station.ts';

test.describe.configure({ mode: 'serial' });

let station: E2eStation;

test.beforeAll(async () => {
  station = await startStation();
});

test.afterAll(async () => {
  // Undefined when the station did not start: that error is the one to read.
  await station?.stop();
});

test('a fresh station asks for the first supervisor and signs them in', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.visit();
  await app.firstRun.waitFor();
  await expect(app.firstRun.notLocal).toHaveCount(0);
  await expect(app.login.username).toHaveCount(0);
  await saveScreen(page, '01-first-run');

  await app.firstRun.create('maria.lopez', 'correct horse battery', 'correct horse battery!');
  await expect(app.firstRun.error).toContainText('not the same');
  await expectNoSeriousA11yViolations(page, 'first run');

  await app.firstRun.create('maria.lopez', 'correct horse battery');
  await app.today.waitFor();
  await app.shell.expectSignedInAs('maria.lopez', 'supervisor');
  await expect(page).toHaveTitle(/Today/);
});

test('once a supervisor exists the front door is the sign-in screen', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.visit();
  await app.login.waitFor();
  await expect(app.firstRun.heading).toHaveCount(0);

  // The setup route refuses a second "first" supervisor even from the station computer.
  const again = await page.request.post(`${station.ui}/api/v1/setup`, { data: { username: 'intruder', password: 'whatever-1234' } });
  expect(again.status()).toBe(403);

  await app.login.signIn('maria.lopez', 'correct horse battery');
  await app.today.waitFor();
  await app.shell.expectSignedInAs('maria.lopez', 'supervisor');
});
