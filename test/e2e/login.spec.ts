/** Sign-in: a wrong password says so and lets the person try again; the right one lands on Today; sign-out ends it. */
import { expect, test } from '@playwright/test';
import { Dashboard } from './pages/dashboard.ts';
import { saveScreen } from './support/evidence.ts';
import { startStation, type E2eStation } from './support/station.ts';

let station: E2eStation;

test.beforeAll(async () => {
  station = await startStation();
  station.addUser('sam.reyes', 'supervisor', 'pumpjack-42-sunrise');
});

test.afterAll(async () => {
  // Undefined when the station did not start: that error is the one to read.
  await station?.stop();
});

test('wrong password shows the error; the right one lands on Today', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.visit();
  await app.login.waitFor();

  await app.login.signIn('sam.reyes', 'not-the-password');
  await expect(app.login.error).toBeVisible();
  await expect(app.login.error).toContainText('Wrong username or password');
  await expect(app.today.heading).toHaveCount(0);
  await saveScreen(page, '02-login-error');

  await app.login.signIn('sam.reyes', 'pumpjack-42-sunrise');
  await app.today.waitFor();
  await expect(app.login.error).toHaveCount(0);
  await app.shell.expectSignedInAs('sam.reyes', 'supervisor');
  await expect(app.shell.nav('today')).toHaveAttribute('aria-current', 'page');

  // The session survives a reload (cookie), and signing out comes back to the sign-in screen.
  await page.reload();
  await app.today.waitFor();
  await app.shell.signOut();
  await app.login.waitFor();
  await expect(app.login.notice).toContainText('signed out');
  await page.reload();
  await app.login.waitFor();
});

test('an unknown user gets the same answer as a wrong password', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await app.visit();
  await app.login.waitFor();
  await app.login.signIn('nobody', 'pumpjack-42-sunrise');
  await expect(app.login.error).toContainText('Wrong username or password');
});
