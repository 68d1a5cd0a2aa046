/**
 * Comparing entries on the conflict page, as a supervisor must to decide right: a tablet
 * with a wrong clock shows its times corrected first (what its clock said in small print),
 * readings in different units show the comparison unit, and a corrected inspection sets
 * its checklist with its result.
 */
import { expect, test } from '@playwright/test';
import { Dashboard } from './pages/dashboard.ts';
import { apiValue, signInByApi } from './support/api.ts';
import { saveScreen } from './support/evidence.ts';
import { journeyEvents, startStation, type E2eStation } from './support/station.ts';

const SUPERVISOR = { username: 'ruth.calder', password: 'wellhead-gauge-19' };
const HOUR_MS = 3_600_000;
let station: E2eStation;
let conflictId = '';
let readingConflictId = '';

test.beforeAll(async () => {
  station = await startStation();
  station.addUser(SUPERVISOR.username, 'supervisor', SUPERVISOR.password);
  const fast = await station.tablet('tab-fast');
  const right = await station.tablet('tab-right');
  // tab-fast's clock is an hour ahead: its "16:00" was 15:00, before tab-right's 15:30.
  await fast.sync([journeyEvents.inspection('insp-fast', 'PASS', 16, { wellId: 'W-110' })], HOUR_MS);
  const answer = await right.sync([{ ...journeyEvents.inspection('insp-right', 'FAIL', 15, { wellId: 'W-110' }), payload: { ...journeyEvents.inspection('insp-right', 'FAIL', 15, { wellId: 'W-110' }).payload, inspectedAt: '2026-11-28T15:30:00.000Z' } }]);
  conflictId = answer.results.find((r) => r.eventId === 'insp-right')?.conflictId ?? '';
  const reading = (id: string, value: number, unit: string, minute: number) => ({
    id,
    type: 'WELL_READING_RECORDED',
    operatorId: `op-${id}`,
    occurredAt: `2026-11-28T16:${minute}:00.000Z`,
    payload: { wellId: 'W-111', metric: 'TUBING_PRESSURE', value, unit, measuredAt: `2026-11-28T16:${minute}:00.000Z` },
  });
  await fast.sync([reading('rd-psi', 279, 'psi', 10)], HOUR_MS);
  const second = await right.sync([reading('rd-kpa', 1950, 'kPa', 20)]);
  readingConflictId = second.results.find((r) => r.eventId === 'rd-kpa')?.conflictId ?? '';
});

test.afterAll(async () => {
  await station?.stop();
});

test('the skewed entry shows its corrected time first and its tablet clock after it', async ({ page }) => {
  expect(conflictId, 'the two inspections opened a review').not.toBe('');
  await signInByApi(page, station.ui, SUPERVISOR.username, SUPERVISOR.password);
  const app = new Dashboard(page, station.ui);
  await app.conflict.open(conflictId);
  const skewed = app.conflict.field('insp-fast', 'inspectedAt');
  await expect(skewed.getByTestId('skew-corrected-time')).toContainText('corrected');
  await expect(skewed.getByTestId('skew-corrected-time')).toContainText('1 h ahead');
  // The other tablet's clock was right: its time is shown as it wrote it.
  await expect(app.conflict.field('insp-right', 'inspectedAt').getByTestId('skew-corrected-time')).toHaveCount(0);
  await saveScreen(page, 'clock-skew-conflict');
});

test('a corrected inspection sets its checklist too, and a Pass with a failed item is refused before sending', async ({ page }) => {
  await signInByApi(page, station.ui, SUPERVISOR.username, SUPERVISOR.password);
  const app = new Dashboard(page, station.ui);
  await app.conflict.open(conflictId);
  await app.conflict.chooseCorrection.check();
  await page.getByTestId('correction-result').selectOption('PASS');
  await page.getByTestId('correction-checklist.belts').selectOption('FAIL');
  await app.conflict.comment.fill('Re-checked on site');
  await app.conflict.confirm.click();
  await expect(page.getByTestId('correction-form')).toContainText('A passed inspection cannot have a failed checklist item (belts)');
  await saveScreen(page, 'inspection-correction-refused');
  await page.getByTestId('correction-checklist.belts').selectOption('PASS');
  await app.conflict.confirm.click();
  await expect.poll(async () => (await apiValue(page.request, station.ui, 'getConflict', { conflictId })).status).toBe('RESOLVED');
  const [record] = await apiValue(page.request, station.ui, 'listRecords', { wellId: 'W-110' });
  expect(record?.value).toMatchObject({ result: 'PASS', checklist: { belts: 'PASS', oilLevel: 'PASS' } });
});

test('readings in different units show the comparison unit beside the one sent', async ({ page }) => {
  expect(readingConflictId, 'the two readings opened a conflict').not.toBe('');
  await signInByApi(page, station.ui, SUPERVISOR.username, SUPERVISOR.password);
  const app = new Dashboard(page, station.ui);
  await app.conflict.open(readingConflictId);
  await expect(app.conflict.field('rd-kpa', 'value').getByTestId('converted-reading')).toHaveText('≈ 282.8 psi');
  await expect(app.conflict.field('rd-psi', 'value').getByTestId('converted-reading')).toHaveCount(0);
  await saveScreen(page, 'reading-units-conflict');
});
