/**
 * Deciding conflicts against a real station: a PASS/FAIL inspection resolved with a
 * comment using only the keyboard, and automatic production decisions overridden (with
 * the lower entry, and with a corrected value). Every decision is checked through the API.
 */
import { expect, test } from '@playwright/test';
import { Dashboard } from './pages/dashboard.ts';
import { apiValue, signInByApi } from './support/api.ts';
import { saveScreen } from './support/evidence.ts';
import { journeyEvents, startStation, type E2eStation } from './support/station.ts';

test.describe.configure({ mode: 'serial' });

const SUPERVISOR = { username: 'dana.whitfield', password: 'separator-tank-77' };

let station: E2eStation;
/** Conflict ids by journey, from the tablets' sync answers. */
const ids = { inspection: '', lowerEntry: '', corrected: '' };

function conflictIdOf(results: { eventId: string | null; conflictId?: string }[], eventId: string): string {
  const id = results.find((r) => r.eventId === eventId)?.conflictId;
  if (id === undefined) throw new Error(`event ${eventId} opened no conflict`);
  return id;
}

test.beforeAll(async () => {
  station = await startStation();
  station.addUser(SUPERVISOR.username, 'supervisor', SUPERVISOR.password);
  const a = await station.tablet('tab-a');
  const b = await station.tablet('tab-b');
  await a.sync([journeyEvents.inspection('insp-a', 'PASS', 15), journeyEvents.production('prod-a', 120, 15), journeyEvents.production('prod-c', 200, 16, { wellId: 'W-103' })]);
  const second = await b.sync([journeyEvents.inspection('insp-b', 'FAIL', 16), journeyEvents.production('prod-b', 110, 16), journeyEvents.production('prod-d', 190, 17, { wellId: 'W-103' })]);
  ids.inspection = conflictIdOf(second.results, 'insp-b');
  ids.lowerEntry = conflictIdOf(second.results, 'prod-b');
  ids.corrected = conflictIdOf(second.results, 'prod-d');
});

test.afterAll(async () => {
  // Undefined when the station did not start: that error is the one to read.
  await station?.stop();
});

test('a PASS/FAIL inspection is resolved with a comment using only the keyboard', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  const keys = page.keyboard;

  // Sign in with the keyboard: the username box has the focus.
  await app.visit();
  await app.login.waitFor();
  await app.login.signInWithKeyboard(SUPERVISOR.username, SUPERVISOR.password);
  await app.today.waitFor();
  await expect(app.today.pending).toHaveText('1');
  await expect(page.getByTestId('today-pending-note')).toContainText('1 safety-critical');

  // The queue takes the focus as soon as it has rows: j/k move the selection.
  await page.goto(`${station.ui}/#/conflicts`);
  await app.conflicts.waitFor();
  await expect(app.conflicts.grid).toBeFocused();
  await expect(app.conflicts.rows).toHaveCount(3);
  const order = await app.conflicts.renderedIds();
  expect(order).toHaveLength(3);
  await app.conflicts.expectSelected(order[0] ?? '');
  await keys.press('j');
  await app.conflicts.expectSelected(order[1] ?? '');
  await keys.press('j');
  await app.conflicts.expectSelected(order[2] ?? '');
  await keys.press('k');
  await app.conflicts.expectSelected(order[1] ?? '');
  await keys.press('k');
  await app.conflicts.expectSelected(order[0] ?? '');
  await expect(app.conflicts.grid).toHaveAttribute('aria-activedescendant', /.+/);

  // ? shows the shortcuts; Esc closes them.
  await keys.press('?');
  await expect(app.shell.helpDialog).toBeVisible();
  await saveScreen(page, '03-keyboard-help');
  await keys.press('Escape');
  await expect(app.shell.helpDialog).toBeHidden();

  // Walk to the inspection and open it with Enter.
  const at = order.indexOf(ids.inspection);
  expect(at, 'the inspection is in the queue').toBeGreaterThanOrEqual(0);
  for (let i = 0; i < at; i++) await keys.press('j');
  await app.conflicts.expectSelected(ids.inspection);
  // The safety review leads the queue and says so.
  expect(at).toBe(0);
  await expect(app.conflicts.row(ids.inspection).getByTestId('safety-tag')).toHaveText('Safety');
  await expect(page.getByTestId('safety-tag')).toHaveCount(1);
  await saveScreen(page, '04-conflicts-queue');
  await keys.press('Enter');
  await app.conflict.waitFor(ids.inspection);
  await expect(app.conflict.status).toContainText(/decision/i);
  await expect(app.conflict.cards).toHaveCount(2);
  await expect(app.conflict.field('insp-b', 'result')).toHaveAttribute('data-differs', 'true');

  // Enter before choosing says what to do; the FAIL entry is picked by its number.
  await keys.press('Enter');
  await expect(app.conflict.error).toContainText('Choose an entry first');
  const fail = await app.conflict.numberOf('insp-b');
  await keys.press(String(fail));
  await expect(app.conflict.card('insp-b')).toHaveAttribute('data-selected', 'true');
  await expect(app.conflict.comment).toBeFocused();
  await expect(app.conflict.choiceSummary).toContainText(`entry ${fail}`);

  // A safety record needs a comment: Ctrl+Enter without one is refused, with the reason.
  await keys.press('Control+Enter');
  await expect(app.conflict.error).toContainText('comment');
  // Enter in the comment is a new line, never the decision.
  await keys.type('Belts were frayed;');
  await keys.press('Enter');
  await keys.type('FAIL confirmed by the lead operator.');
  await expect(app.conflict.comment).toHaveValue('Belts were frayed;\nFAIL confirmed by the lead operator.');
  await saveScreen(page, '05-conflict-decide');
  await keys.press('Control+Enter');

  // It was the only one waiting: back to the queue, where it is gone, with a notice saying what was decided.
  await app.conflicts.waitFor();
  await expect(page.getByTestId('decision-notice')).toContainText(/Decided Inspection: .*kept entry \d — /);
  await saveScreen(page, '05b-decided-notice');
  await expect(app.conflicts.row(ids.inspection)).toHaveCount(0);
  await app.shell.expectPending(0);

  const detail = await apiValue(page.request, station.ui, 'getConflict', { conflictId: ids.inspection });
  expect(detail.status).toBe('RESOLVED');
  expect(detail.isOpen).toBe(false);
  expect(detail.decision).toMatchObject({ decidedBy: SUPERVISOR.username, chosenEventId: 'insp-b', comment: 'Belts were frayed;\nFAIL confirmed by the lead operator.' });
  const pending = await apiValue(page.request, station.ui, 'listConflicts', { status: 'PENDING_REVIEW' });
  expect(pending.map((c) => c.conflictId)).not.toContain(ids.inspection);
});

test('an automatic production decision is overridden with the lower entry and a comment', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await signInByApi(page, station.ui, SUPERVISOR.username, SUPERVISOR.password);
  await app.today.open();
  await expect(app.today.auto).toHaveText('2');
  await app.today.autoLink.click();
  await app.conflicts.waitFor();
  await expect(app.conflicts.filterStatus).toHaveValue('AUTO_RESOLVED');
  await expect(app.conflicts.rows).toHaveCount(2);
  await app.conflicts.row(ids.lowerEntry).click();

  await app.conflict.waitFor(ids.lowerEntry);
  await expect(app.conflict.status).toContainText(/automatic/i);
  await expect(app.conflict.card('prod-a')).toContainText('Chosen automatically');
  await expect(app.conflict.field('prod-a', 'oilBbl')).toHaveAttribute('data-differs', 'true');
  await expect(app.conflict.field('prod-b', 'oilBbl')).toContainText('110');
  await expect(app.conflict.confirm).toHaveCount(0);
  await expect(app.conflict.override).toBeEnabled();
  // The panel names what an override replaces; choosing that same entry says so.
  await expect(app.conflict.stationChoice).toContainText(/The station kept entry \d — .*120/);
  await app.conflict.choose('prod-a');
  await expect(app.conflict.choiceSummary).toContainText('what the station already keeps');

  await app.conflict.choose('prod-b');
  await expect(app.conflict.choiceSummary).toContainText('entry 2 — 110 bbl oil');
  await expect(app.conflict.choiceSummary).not.toContainText('what the station already keeps');
  await app.conflict.comment.fill('Meter ticket reads 110 bbl; 120 was keyed from the wrong tank.');
  await saveScreen(page, '06-conflict-override');
  await app.conflict.override.click();
  // The next automatic decision of the queue opens.
  await app.conflict.waitFor(ids.corrected);

  const detail = await apiValue(page.request, station.ui, 'getConflict', { conflictId: ids.lowerEntry });
  expect(detail.isOpen).toBe(false);
  expect(detail.decision).toMatchObject({ decidedBy: SUPERVISOR.username, chosenEventId: 'prod-b', comment: 'Meter ticket reads 110 bbl; 120 was keyed from the wrong tank.' });
  expect(detail.recordValue).toMatchObject({ oilBbl: 110 });
  const records = await apiValue(page.request, station.ui, 'listRecords', { wellId: 'W-102', type: 'PRODUCTION_LOGGED' });
  expect(records[0]?.value).toMatchObject({ oilBbl: 110 });

  // Opened again, the conflict shows the decision instead of the controls.
  await app.conflict.open(ids.lowerEntry);
  await expect(app.conflict.decisionMade).toContainText(SUPERVISOR.username);
  await expect(app.conflict.decisionMade).toContainText('Meter ticket reads 110 bbl');
  await expect(app.conflict.override).toHaveCount(0);
});

test('an automatic production decision is overridden with a corrected value', async ({ page }) => {
  const app = new Dashboard(page, station.ui);
  await signInByApi(page, station.ui, SUPERVISOR.username, SUPERVISOR.password);
  await app.conflict.open(ids.corrected);
  await expect(app.conflict.override).toBeEnabled();

  await app.conflict.chooseCorrection.check();
  await expect(app.conflict.correctionForm).toBeVisible();
  await expect(app.conflict.correction('oilBbl')).toBeFocused();
  await app.conflict.correction('oilBbl').fill('195');
  await app.conflict.comment.fill('Both tablets were off; the gauge sheet says 195 bbl.');
  await expect(app.conflict.choiceSummary).toContainText('a corrected value');
  await app.conflict.override.click();
  await app.conflicts.waitFor();

  const detail = await apiValue(page.request, station.ui, 'getConflict', { conflictId: ids.corrected });
  expect(detail.isOpen).toBe(false);
  expect(detail.decision).toMatchObject({ chosenEventId: null, comment: 'Both tablets were off; the gauge sheet says 195 bbl.' });
  expect(detail.recordValue).toMatchObject({ oilBbl: 195, gasMcf: 80, waterBbl: 12 });
  await expect(app.conflicts.empty).toBeVisible();
});
