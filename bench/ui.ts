/**
 * `npm run bench -- ui [--loads 5] [--resolves 5] [--scroll-seconds 5] [--cpu-throttle 1]
 * [--conflicts 10000] [--records 50000] [--keep]`: issue 4's dashboard benchmark.
 *
 * A real `wellos-station serve` on a database holding 10,000 pending conflicts and
 * 50,000 records (bench/ui-fixture.ts: built through the real `ingestBatch`), driven by
 * Debian's Chromium through playwright-core (not a test). Measured in the page itself
 * (performance.now(), whose origin is the navigation start):
 *
 * - interactiveMs: from navigation to an interactive conflicts list — the first row
 *   visible and the grid focused (the queue takes the focus once it has rows), then one
 *   frame painted. Each load is a fresh browser context (cold HTTP cache), signed in by
 *   cookie. Median of `--loads`; every load is listed.
 * - maxScrollFrameMs: the longest requestAnimationFrame interval while scrolling the
 *   list, `--scroll-seconds` with the mouse wheel and as long with the keyboard (j at
 *   ~30/s, then PageDown at ~10/s). Also p50/p99 and frames over 50 ms.
 * - resolveReflectMs: from the Enter that confirms a decision (entry 1 kept, comment
 *   typed) to the first painted frame where the dashboard shows it gone from the list:
 *   the next conflict is open and the queue counts one fewer ("Conflict 1 of 9,999",
 *   badge 9,999) — the station has accepted the decision. Median of `--resolves`.
 *   Also the optimistic step (the badge alone, before the station answers).
 *
 * Targets (issue 4): interactive ≤ 1.5 s, no frame over 50 ms while scrolling, a
 * resolution reflected in the list ≤ 200 ms. Progress on stderr; the report on stdout,
 * whose last line is `{"bench":"ui","interactiveMs":…,"maxScrollFrameMs":…,"resolveReflectMs":…}`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, request, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { addStationUser, startStation, type RunningStation } from '../tools/device-sim/station-process.ts';
import { buildUiFixture, UI_FIXTURE_DEFAULTS } from './ui-fixture.ts';

const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const VIEWPORT = { width: 1366, height: 768 };
const USER = { username: 'bench.supervisor', password: 'ui-bench-password-1' };
const TARGET = { interactiveMs: 1500, maxScrollFrameMs: 50, resolveReflectMs: 200 } as const;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : '—');
const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * Page-side probes, as plain JavaScript: this file is type-checked without the DOM lib,
 * and what runs in the page is the browser's business. Each stores its findings on window.
 */
const INTERACTIVE_PROBE = `(() => {
  const bench = { readyAt: null, paintedAt: null };
  window.__uiBench = bench;
  const check = () => {
    if (bench.readyAt !== null) return;
    const grid = document.querySelector('[data-testid="conflict-grid"]');
    if (grid === null || document.activeElement !== grid) return;
    const row = grid.querySelector('[data-testid="conflict-row"]');
    if (row === null) return;
    const r = row.getBoundingClientRect();
    if (r.height === 0 || r.bottom <= 0 || r.top >= window.innerHeight) return;
    bench.readyAt = performance.now();
    requestAnimationFrame(() => setTimeout(() => { bench.paintedAt = performance.now(); }, 0));
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  document.addEventListener('focusin', check, true);
})();`;

const START_FRAMES = `(() => {
  const f = { deltas: [], running: true, last: 0, longTasks: [] };
  window.__frames = f;
  const tick = (t) => { if (f.last !== 0) f.deltas.push(t - f.last); f.last = t; if (f.running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  try {
    const po = new PerformanceObserver((list) => { for (const e of list.getEntries()) f.longTasks.push(e.duration); });
    po.observe({ type: 'longtask', buffered: false });
    f.observer = po;
  } catch {}
})()`;

const STOP_FRAMES = `(() => {
  const f = window.__frames;
  f.running = false;
  if (f.observer) f.observer.disconnect();
  const grid = document.querySelector('[data-testid="conflict-grid"]');
  return { deltas: f.deltas, longTasks: f.longTasks, scrollTop: grid ? grid.scrollTop : -1 };
})()`;

/** Watches one decision: Enter (t0), the optimistic badge, then the next conflict with the queue one shorter. */
function resolveProbe(currentId: string, remaining: number): string {
  return `(() => {
    const r = { t0: null, badgeAt: null, reflectedAt: null, paintedAt: null, answeredAt: null, callMs: null };
    window.__resolve = r;
    performance.clearResourceTimings();
    const badgeText = ${JSON.stringify(String(remaining))};
    const ofText = ${JSON.stringify(`of ${remaining.toLocaleString('en-US')}`)};
    const check = () => {
      if (r.t0 === null || r.reflectedAt !== null) return;
      const badge = document.querySelector('[data-testid="nav-pending-count"]');
      const badgeOk = badge !== null && badge.textContent === badgeText;
      if (badgeOk && r.badgeAt === null) r.badgeAt = performance.now();
      const detail = document.querySelector('[data-testid="conflict-detail"]');
      const crumbs = document.querySelector('.crumbs');
      if (badgeOk && detail !== null && detail.getAttribute('data-conflict-id') !== ${JSON.stringify(currentId)} && crumbs !== null && crumbs.textContent.includes(ofText)) {
        r.reflectedAt = performance.now();
        mo.disconnect();
        const calls = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/v1/resolveConflict'));
        const call = calls[calls.length - 1];
        if (call !== undefined) { r.answeredAt = call.responseEnd; r.callMs = call.responseEnd - call.startTime; }
        requestAnimationFrame(() => setTimeout(() => { r.paintedAt = performance.now(); }, 0));
      }
    };
    const mo = new MutationObserver(check);
    mo.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    window.addEventListener('keydown', (e) => { if (e.key === 'Enter' && r.t0 === null) { r.t0 = performance.now(); } }, { capture: true });
  })()`;
}

/** What the probes leave on the page's window (predicates are functions: the dashboard's CSP forbids eval of strings). */
interface Probed {
  __uiBench?: { paintedAt: number | null };
  __resolve?: { paintedAt: number | null };
}

interface Load {
  readyMs: number;
  interactiveMs: number;
  wallMs: number;
}

interface ScrollPhase {
  name: string;
  frames: number;
  maxMs: number;
  p50Ms: number;
  p99Ms: number;
  over50: number;
  longTasks: number;
  longestTaskMs: number;
  scrolledPx: number;
}

interface Resolve {
  badgeMs: number;
  answeredMs: number;
  callMs: number;
  reflectMs: number;
}

async function throttle(page: Page, rate: number): Promise<void> {
  if (rate <= 1) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

async function newSignedInContext(browser: Browser, storageState: Awaited<ReturnType<Awaited<ReturnType<typeof request.newContext>>['storageState']>>): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', storageState });
  await context.addInitScript({ content: INTERACTIVE_PROBE });
  return context;
}

async function measureLoad(page: Page, ui: string): Promise<Load> {
  const t0 = performance.now();
  await page.goto(`${ui}/#/conflicts`);
  await page.waitForFunction(() => (globalThis as unknown as Probed).__uiBench?.paintedAt != null, undefined, { timeout: 60_000, polling: 16 });
  const wallMs = performance.now() - t0;
  const r = (await page.evaluate('window.__uiBench')) as { readyAt: number; paintedAt: number };
  return { readyMs: r.readyAt, interactiveMs: r.paintedAt, wallMs };
}

/** The list really is interactive: j moves the selection to the second row. */
async function checkInteractive(page: Page): Promise<void> {
  const first = await page.locator('[data-testid="conflict-row"][aria-selected="true"]').getAttribute('aria-rowindex');
  await page.keyboard.press('j');
  await page.locator('[data-testid="conflict-row"][aria-selected="true"][aria-rowindex="3"]').waitFor({ timeout: 5_000 });
  await page.keyboard.press('k');
  if (first !== '2') throw new Error(`the first selected row had aria-rowindex ${String(first)}, expected 2`);
}

async function scrollPhase(page: Page, name: string, seconds: number, drive: (until: number) => Promise<void>): Promise<ScrollPhase> {
  await page.evaluate(START_FRAMES);
  await page.waitForTimeout(100);
  const until = performance.now() + seconds * 1000;
  const before = (await page.evaluate('document.querySelector(\'[data-testid="conflict-grid"]\').scrollTop')) as number;
  await drive(until);
  await page.waitForTimeout(200);
  const r = (await page.evaluate(STOP_FRAMES)) as { deltas: number[]; longTasks: number[]; scrollTop: number };
  return {
    name,
    frames: r.deltas.length,
    maxMs: Math.max(...r.deltas),
    p50Ms: percentile(r.deltas, 50),
    p99Ms: percentile(r.deltas, 99),
    over50: r.deltas.filter((d) => d > 50).length,
    longTasks: r.longTasks.length,
    longestTaskMs: r.longTasks.length === 0 ? 0 : Math.max(...r.longTasks),
    scrolledPx: Math.abs(r.scrollTop - before),
  };
}

async function measureScroll(page: Page, seconds: number): Promise<ScrollPhase[]> {
  const grid = page.getByTestId('conflict-grid');
  const box = await grid.boundingBox();
  if (box === null) throw new Error('the conflict grid has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const wheel = await scrollPhase(page, 'wheel', seconds, async (until) => {
    while (performance.now() < until) {
      await page.mouse.wheel(0, 260);
      await page.waitForTimeout(16);
    }
  });
  await grid.focus();
  const keys = await scrollPhase(page, 'keyboard', seconds, async (until) => {
    const half = until - (seconds * 1000) / 2;
    while (performance.now() < half) {
      await page.keyboard.press('j');
      await page.waitForTimeout(33);
    }
    while (performance.now() < until) {
      await page.keyboard.press('PageDown');
      await page.waitForTimeout(100);
    }
  });
  return [wheel, keys];
}

async function measureResolves(page: Page, count: number, pending: number): Promise<{ resolves: Resolve[]; decided: string[] }> {
  const detail = page.getByTestId('conflict-detail');
  await page.getByTestId('conflict-grid').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await detail.waitFor();
  const resolves: Resolve[] = [];
  const decided: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = (await detail.getAttribute('data-conflict-id')) ?? '';
    await page.locator('[data-testid="nav-pending-count"]').filter({ hasText: String(pending - i) }).waitFor();
    await page.locator('.crumbs', { hasText: `of ${(pending - i).toLocaleString('en-US')}` }).waitFor();
    await page.keyboard.press('1');
    await page.getByTestId('decision-comment').waitFor();
    await page.keyboard.type(`Checked on site (bench ${i + 1})`);
    await page.evaluate(resolveProbe(id, pending - i - 1));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (globalThis as unknown as Probed).__resolve?.paintedAt != null, undefined, { timeout: 30_000, polling: 16 });
    const r = (await page.evaluate('window.__resolve')) as { t0: number; badgeAt: number | null; paintedAt: number; answeredAt: number | null; callMs: number | null };
    resolves.push({
      badgeMs: r.badgeAt === null ? Number.NaN : r.badgeAt - r.t0,
      answeredMs: r.answeredAt === null ? Number.NaN : r.answeredAt - r.t0,
      callMs: r.callMs ?? Number.NaN,
      reflectMs: r.paintedAt - r.t0,
    });
    decided.push(id);
    log(`  decision ${i + 1}: ${id} reflected after ${ms(r.paintedAt - r.t0)} (badge after ${ms((r.badgeAt ?? Number.NaN) - r.t0)})`);
    // Let the refetches the decision triggers (and the live feed's) settle before the next one.
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
  }
  return { resolves, decided };
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ')).join('\n');
}

export async function runUiBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      loads: { type: 'string' },
      resolves: { type: 'string' },
      'scroll-seconds': { type: 'string' },
      'cpu-throttle': { type: 'string' },
      conflicts: { type: 'string' },
      records: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write('npm run bench -- ui [--loads 5] [--resolves 5] [--scroll-seconds 5] [--cpu-throttle 1] [--conflicts 10000] [--records 50000] [--keep]\n');
    return 0;
  }
  const whole = (raw: string | undefined, name: string, fallback: number, min: number): number => {
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
    return n;
  };
  const loads = whole(values.loads, 'loads', 5, 1);
  const resolveCount = whole(values.resolves, 'resolves', 5, 1);
  const scrollSeconds = whole(values['scroll-seconds'], 'scroll-seconds', 5, 1);
  const cpuThrottle = whole(values['cpu-throttle'], 'cpu-throttle', 1, 1);
  const inspectionKeys = whole(values.conflicts, 'conflicts', UI_FIXTURE_DEFAULTS.inspectionKeys, 10);
  const records = whole(values.records, 'records', UI_FIXTURE_DEFAULTS.inspectionKeys + UI_FIXTURE_DEFAULTS.productionRecords, inspectionKeys);

  const root = mkdtempSync(join(tmpdir(), 'wellos-ui-bench-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir);
  let station: RunningStation | null = null;
  let browser: Browser | null = null;
  try {
    log(`building the station database in ${dataDir} …`);
    const fixture = buildUiFixture({ dataDir, inspectionKeys, productionRecords: records - inspectionKeys, batchSize: UI_FIXTURE_DEFAULTS.batchSize }, log);
    log(`  ${fixture.events.toLocaleString('en-US')} events through ingestBatch in ${fixture.seconds.toFixed(1)} s: ${fixture.pendingReview.toLocaleString('en-US')} pending conflicts, ${fixture.records.toLocaleString('en-US')} records`);
    if (fixture.pendingReview !== inspectionKeys || fixture.records !== records) throw new Error(`the fixture is not what was asked: ${JSON.stringify(fixture)}`);
    await addStationUser(dataDir, USER.username, 'supervisor', USER.password);
    station = await startStation(['--data-dir', dataDir, '--lan-host', '127.0.0.1', '--lan-port', '0', '--ui-port', '0'], { logFile: join(root, 'station.log') });
    const ui = station.ui;
    log(`station up: ${ui}`);

    const api = await request.newContext({ baseURL: ui });
    const signIn = await api.post('/api/v1/session', { data: USER });
    if (signIn.status() !== 200) throw new Error(`sign-in answered ${signIn.status()}: ${await signIn.text()}`);
    const storageState = await api.storageState();

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    // One unmeasured load: the station's first listConflicts warms SQLite's page cache, as on any running station.
    const results: Load[] = [];
    for (let i = 0; i <= loads; i++) {
      const context = await newSignedInContext(browser, storageState);
      const page = await context.newPage();
      await throttle(page, cpuThrottle);
      const load = await measureLoad(page, ui);
      await checkInteractive(page);
      if (i === 0) log(`  warm-up load: interactive at ${ms(load.interactiveMs)}`);
      else {
        results.push(load);
        log(`  load ${i}: grid ready ${ms(load.readyMs)}, painted ${ms(load.interactiveMs)} (wall ${ms(load.wallMs)})`);
      }
      await context.close();
    }

    const context = await newSignedInContext(browser, storageState);
    const page = await context.newPage();
    await throttle(page, cpuThrottle);
    await measureLoad(page, ui);
    const counts = (await page.getByTestId('conflict-counts').innerText()).trim();
    log(`  queue: ${counts}`);
    log(`scrolling ${scrollSeconds} s with the wheel, ${scrollSeconds} s with the keyboard …`);
    const phases = await measureScroll(page, scrollSeconds);
    for (const p of phases) if (p.scrolledPx < 1000) throw new Error(`the ${p.name} phase scrolled only ${p.scrolledPx} px`);
    log(`resolving ${resolveCount} conflicts with the keyboard …`);
    const { resolves, decided } = await measureResolves(page, resolveCount, fixture.pendingReview);

    // Back in the queue, the decided conflicts are gone; the station agrees.
    await page.keyboard.press('Escape');
    await page.getByTestId('conflict-counts').filter({ hasText: `${(fixture.pendingReview - resolveCount).toLocaleString('en-US')} open conflicts` }).waitFor();
    for (const id of decided) {
      if ((await page.locator(`[data-testid="conflict-row"][data-conflict-id="${id}"]`).count()) !== 0) throw new Error(`${id} is still in the list`);
      const r = await api.post('/api/v1/getConflict', { data: { conflictId: id } });
      const body = (await r.json()) as { ok: boolean; value?: { status: string; isOpen: boolean } };
      if (body.value?.status !== 'RESOLVED' || body.value.isOpen) throw new Error(`${id} is not resolved on the station: ${JSON.stringify(body)}`);
    }
    await context.close();
    await api.dispose();

    const interactiveMs = percentile(results.map((l) => l.interactiveMs), 50);
    const maxScrollFrameMs = Math.max(...phases.map((p) => p.maxMs));
    const resolveReflectMs = percentile(resolves.map((r) => r.reflectMs), 50);
    const verdict = (value: number, target: number): string => (value <= target ? 'met' : 'MISSED');
    const out: string[] = [];
    out.push(`UI bench: ${fixture.pendingReview.toLocaleString('en-US')} pending conflicts, ${fixture.records.toLocaleString('en-US')} records (${fixture.events.toLocaleString('en-US')} events); Chromium ${browser.version()} headless, viewport ${VIEWPORT.width}×${VIEWPORT.height}, CPU throttle ${cpuThrottle}×`);
    out.push('');
    out.push(
      table([
        ['figure', 'value', 'target', ''],
        ['interactive list (median of loads)', ms(interactiveMs), `≤ ${TARGET.interactiveMs} ms`, verdict(interactiveMs, TARGET.interactiveMs)],
        ['longest frame while scrolling', ms(maxScrollFrameMs), `≤ ${TARGET.maxScrollFrameMs} ms`, verdict(maxScrollFrameMs, TARGET.maxScrollFrameMs)],
        ['decision reflected (median)', ms(resolveReflectMs), `≤ ${TARGET.resolveReflectMs} ms`, verdict(resolveReflectMs, TARGET.resolveReflectMs)],
      ]),
    );
    out.push('');
    out.push(table([['load', 'grid ready', 'painted', 'wall (goto → seen)'], ...results.map((l, i) => [`#${i + 1}`, ms(l.readyMs), ms(l.interactiveMs), ms(l.wallMs)])]));
    out.push('');
    out.push(
      table([
        ['scroll', 'frames', 'p50', 'p99', 'max', '> 50 ms', 'long tasks', 'longest task', 'scrolled'],
        ...phases.map((p) => [p.name, String(p.frames), ms(p.p50Ms), ms(p.p99Ms), ms(p.maxMs), String(p.over50), String(p.longTasks), ms(p.longestTaskMs), `${Math.round(p.scrolledPx).toLocaleString('en-US')} px`]),
      ]),
    );
    out.push('');
    out.push(
      table([
        ['decision (from Enter)', 'badge −1 (optimistic)', 'station answered', '(HTTP call)', 'reflected: next open, queue −1'],
        ...resolves.map((r, i) => [`#${i + 1}`, ms(r.badgeMs), ms(r.answeredMs), ms(r.callMs), ms(r.reflectMs)]),
      ]),
    );
    out.push('');
    out.push(JSON.stringify({ bench: 'ui', interactiveMs: round1(interactiveMs), maxScrollFrameMs: round1(maxScrollFrameMs), resolveReflectMs: round1(resolveReflectMs) }));
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await browser?.close();
    if (station !== null && station.child.exitCode === null) {
      station.child.kill('SIGTERM');
      await station.exited;
    }
    if (values.keep === true) log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}
