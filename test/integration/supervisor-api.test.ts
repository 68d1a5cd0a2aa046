/**
 * The supervisor API over HTTP on the UI listener (protocol §4): sessions, first-run setup,
 * CSRF, expiry, roles, and the dashboard's main journeys through the real station.
 */
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStation, type Station } from '../../src/main/station/create-station.ts';
import { createPairingCode } from '../../src/main/station/devices/device-auth.ts';
import { silentLogger } from '../../src/main/station/logger.ts';
import { addUser } from '../../src/main/headless/users.ts';
import { ev } from '../support/events.ts';
import { Tablet } from '../support/lan-client.ts';
import { UiClient } from '../support/ui-client.ts';
import { makeTempDir } from '../support/temp-store.ts';

let station: Station;
let urls: { lan: string; ui: string };
let clock: Date;

beforeEach(async () => {
  clock = new Date('2026-06-10T23:00:00.000Z');
  station = createStation({ dataDir: makeTempDir(), lanHost: '127.0.0.1', lanPort: 0, uiPort: 0, logger: silentLogger(), now: () => clock, timeZone: 'America/Denver', staticDir: null });
  urls = await station.start();
});
afterEach(async () => {
  await station.stop();
});

function users(): void {
  addUser(station.db, { username: 'marta', role: 'supervisor', password: 'supervisor-pw', now: clock, actor: 'test' });
  addUser(station.db, { username: 'vic', role: 'viewer', password: 'viewer-pw-1', now: clock, actor: 'test' });
}

async function supervisor(): Promise<UiClient> {
  const c = new UiClient(urls.ui);
  expect((await c.login('marta', 'supervisor-pw')).status).toBe(200);
  return c;
}

async function tablet(id: string): Promise<Tablet> {
  const t = new Tablet(urls.lan, id);
  await t.pair(createPairingCode(station.db, { now: clock, actor: 'test' }).code);
  return t;
}

async function inspectionConflict(): Promise<string> {
  await (await tablet('tab-A')).sync([ev.inspection({ result: 'PASS' }, { id: 'insp-a' })]);
  await (await tablet('tab-B')).sync([ev.inspection({ result: 'FAIL', inspectedAt: '2026-06-10T16:00:00.000Z' }, { id: 'insp-b' })]);
  return (station.db.prepare('SELECT id FROM conflicts').get() as { id: string }).id;
}

describe('sessions', () => {
  it('first run: only the local machine can create the first supervisor, once', async () => {
    const c = new UiClient(urls.ui);
    // A page on a name that re-resolves to 127.0.0.1 (DNS rebinding) is not the local machine.
    // (node:http, because fetch will not send another Host.)
    const rebound = await new Promise<number>((done, fail) => {
      const body = JSON.stringify({ username: 'eve', password: 'a good password' });
      const req = request(`${urls.ui}/api/v1/setup`, { method: 'POST', headers: { host: 'evil.example:7421', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on('error', fail);
      req.end(body);
    });
    expect(rebound).toBe(403);
    expect((await c.request('GET', '/api/v1/setup')).body).toEqual({ needsFirstSupervisor: true, local: true });
    const created = await c.request('POST', '/api/v1/setup', { username: 'marta', password: 'a good password' });
    expect(created).toMatchObject({ status: 201, body: { username: 'marta', role: 'supervisor' } });
    expect((await c.call('getOverview')).ok).toBe(true);
    expect((await new UiClient(urls.ui).request('POST', '/api/v1/setup', { username: 'eve', password: 'another password' })).status).toBe(403);
    expect((await c.request('GET', '/api/v1/setup')).body).toEqual({ needsFirstSupervisor: false, local: true });
  });

  it('calls without a session are refused; wrong passwords are throttled', async () => {
    users();
    const anon = new UiClient(urls.ui);
    expect(await anon.call('listConflicts')).toMatchObject({ status: 401, ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await anon.request('GET', '/api/v1/events')).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await anon.login('marta', 'wrong')).status).toBe(401);
    expect(await anon.login('marta', 'supervisor-pw')).toMatchObject({ status: 429, body: { error: { code: 'TOO_MANY_ATTEMPTS' } } });
    clock = new Date(clock.getTime() + 5 * 60_000 + 1);
    expect((await anon.login('marta', 'supervisor-pw')).status).toBe(200);
  });

  it('a session expires after 12 hours; a forged cookie is refused; logout clears it', async () => {
    users();
    const c = await supervisor();
    expect((await c.call('getOverview')).ok).toBe(true);
    const forged = new UiClient(urls.ui);
    forged.cookie = c.cookie.replace(/\.[^.]+$/, '.AAAA');
    expect((await forged.call('getOverview')).status).toBe(401);
    clock = new Date(clock.getTime() + 12 * 3_600_000 + 1);
    expect((await c.call('getOverview')).status).toBe(401);
    clock = new Date('2026-06-10T23:00:00.000Z');
    const fresh = await supervisor();
    const copied = new UiClient(urls.ui);
    copied.cookie = fresh.cookie;
    expect((await fresh.request('DELETE', '/api/v1/session')).status).toBe(204);
    expect((await fresh.call('getOverview')).status).toBe(401);
    expect((await copied.call('getOverview')).status).toBe(401);
  });

  it('sign-in is exactly protocol §4: POST /api/v1/session {"username","password"}, nothing else', async () => {
    users();
    const r = await fetch(`${urls.ui}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'marta', password: 'supervisor-pw' }) });
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
  });

  it('CSRF: a request a browser marks cross-site, or a form or text body, is refused even with a valid session', async () => {
    users();
    const c = await supervisor();
    const host = new URL(urls.ui).host;
    const post = (headers: Record<string, string>, body = '{}'): Promise<Response> =>
      fetch(`${urls.ui}/api/v1/resolveConflict`, { method: 'POST', headers: { cookie: c.cookie, 'content-type': 'application/json', ...headers }, body });
    for (const headers of [{ origin: 'http://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }]) {
      const r = await post(headers);
      expect([JSON.stringify(headers), r.status]).toEqual([JSON.stringify(headers), 403]);
      expect(await r.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect((await post({ 'content-type': 'text/plain' }, '{"conflictId":"x"}')).status).toBe(415);
    expect((await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'conflictId=x')).status).toBe(415);
    expect((await fetch(`${urls.ui}/api/v1/session`, { method: 'DELETE', headers: { cookie: c.cookie, origin: 'http://evil.example' } })).status).toBe(403);
    // The router decodes paths: an encoded /api/ is checked like the plain one.
    const encoded = await fetch(`${urls.ui}/%61pi/v1/createPairingCode`, { method: 'POST', headers: { cookie: c.cookie, origin: 'http://127.0.0.1:9999', 'sec-fetch-site': 'same-site' } });
    expect(encoded.status).toBe(403);
    expect((await fetch(`${urls.ui}/%61pi/v1/revokeDevice`, { method: 'POST', headers: { cookie: c.cookie, 'content-type': 'text/plain' }, body: 'tab-07' })).status).toBe(415);
    // The dashboard itself: same origin, as a browser sends it.
    expect((await post({ origin: `http://${host}`, 'sec-fetch-site': 'same-origin' })).status).toBe(400);
    expect((await c.call('getOverview')).ok).toBe(true);
  });
});

describe('deciding conflicts', () => {
  it('a PASS/FAIL inspection conflict is listed, detailed and resolved with a comment; the record is OK and the decision audited', async () => {
    users();
    const id = await inspectionConflict();
    const c = await supervisor();
    const list = await c.call<{ conflictId: string; status: string }[]>('listConflicts');
    expect(list.value.map((x) => [x.conflictId, x.status])).toEqual([[id, 'PENDING_REVIEW']]);
    const detail = await c.call<{ commentRequired: boolean; allowed: string; candidatesDetail: { eventId: string; differingFields: string[] }[] }>('getConflict', { conflictId: id });
    expect(detail.value).toMatchObject({ commentRequired: true, allowed: 'RESOLVE' });
    expect(detail.value.candidatesDetail.map((x) => x.eventId)).toEqual(['insp-a', 'insp-b']);
    expect(detail.value.candidatesDetail[0]?.differingFields).toEqual(['inspectedAt', 'result']);
    expect(await c.call('resolveConflict', { conflictId: id, choice: { choose: 'insp-b' }, comment: '' })).toMatchObject({ status: 400, error: { code: 'COMMENT_REQUIRED' } });
    const decided = await c.call<{ version: number }>('resolveConflict', { conflictId: id, choice: { choose: 'insp-b' }, comment: 'Belt visibly cracked on photo' });
    expect(decided).toMatchObject({ ok: true, value: { version: 3 } });
    expect((await c.call<unknown[]>('listConflicts')).value).toEqual([]);
    const audit = await c.call<{ action: string; actor: string }[]>('listAudit', { q: 'conflict.resolve' });
    expect(audit.value[0]).toMatchObject({ action: 'conflict.resolve', actor: 'user:marta' });
  });

  it('an automatic production decision can be overridden with a typed value', async () => {
    users();
    await (await tablet('tab-A')).sync([ev.production({ oilBbl: 120 })]);
    await (await tablet('tab-B')).sync([ev.production({ oilBbl: 125 })]);
    const c = await supervisor();
    const [row] = (await c.call<{ conflictId: string; status: string }[]>('listConflicts')).value;
    expect(row?.status).toBe('AUTO_RESOLVED');
    expect((await c.call<{ allowed: string }>('getConflict', { conflictId: row?.conflictId })).value.allowed).toBe('OVERRIDE');
    const value = { wellId: 'W-42', measuredAt: '2026-06-10T15:00:00.000Z', oilBbl: 122, gasMcf: 40, waterBbl: 10 };
    expect((await c.call('overrideResolution', { conflictId: row?.conflictId, choice: { value }, comment: 'strapped the tank' })).ok).toBe(true);
    const [rec] = (await c.call<{ value: { oilBbl: number }; status: string }[]>('listRecords', { wellId: 'W-42' })).value;
    expect(rec).toMatchObject({ status: 'OK', value: { oilBbl: 122 } });
  });

  it('a viewer can read everything but cannot decide or change settings', async () => {
    users();
    const id = await inspectionConflict();
    const v = new UiClient(urls.ui);
    expect((await v.login('vic', 'viewer-pw-1')).body).toMatchObject({ role: 'viewer' });
    expect((await v.call('getConflict', { conflictId: id })).ok).toBe(true);
    expect(await v.call('resolveConflict', { conflictId: id, choice: { choose: 'insp-a' }, comment: 'x' })).toMatchObject({ status: 403, error: { code: 'FORBIDDEN' } });
    expect((await v.call('updateSettings', { plausibilityPct: 10 })).status).toBe(403);
    expect((await v.call('createPairingCode')).status).toBe(403);
  });

  it('bad arguments and unknown methods get a clear error', async () => {
    users();
    const c = await supervisor();
    expect(await c.call('getConflict', { conflictId: 5 })).toMatchObject({ status: 400, error: { code: 'BAD_REQUEST' } });
    expect(await c.call('getConflict', { conflictId: 'cf-nope' })).toMatchObject({ status: 404, error: { code: 'CONFLICT_NOT_FOUND' } });
    expect(await c.call('dropDatabase')).toMatchObject({ status: 404, error: { code: 'NOT_FOUND' } });
  });
});

describe('the method forms of protocol §4', () => {
  it('positional arguments: getConflict(id), resolveConflict(id, {choose}, comment); `id` names the conflict too', async () => {
    users();
    const id = await inspectionConflict();
    const c = await supervisor();
    for (const args of [[id], id, { id }, { conflictId: id }]) {
      expect(await c.call<{ conflictId: string }>('getConflict', args)).toMatchObject({ status: 200, value: { conflictId: id } });
    }
    expect(await c.call('getConflict', [id, 'extra'])).toMatchObject({ status: 400, error: { code: 'BAD_REQUEST' } });
    expect(await c.call('resolveConflict', [id, { choose: 'insp-b' }, 'Belt cracked'])).toMatchObject({ status: 200, value: { conflictId: id } });
  });

  it('a comment is required for MANUAL_REVIEW types only; one nobody can see is none; the 2,000-character limit is on the trimmed text', async () => {
    users();
    const id = await inspectionConflict();
    await (await tablet('tab-A')).sync([ev.production({ oilBbl: 120 })]);
    await (await tablet('tab-B')).sync([ev.production({ oilBbl: 125 })]);
    const c = await supervisor();
    for (const comment of [undefined, null, '', '   ', '\u200b', '\u00a0\u200d\ufeff']) {
      const args = comment === undefined ? { conflictId: id, choice: { choose: 'insp-b' } } : { conflictId: id, choice: { choose: 'insp-b' }, comment };
      expect(await c.call('resolveConflict', args)).toMatchObject({ status: 400, error: { code: 'COMMENT_REQUIRED' } });
    }
    expect(await c.call('resolveConflict', { conflictId: id, choice: { choose: 'insp-b' }, comment: `${'y'.repeat(2_001)}` })).toMatchObject({ status: 400, error: { code: 'VALIDATION_FAILED' } });
    expect(await c.call('resolveConflict', { conflictId: id, choice: { choose: 'insp-b' }, comment: `  ${'y'.repeat(2_000)}  ` })).toMatchObject({ status: 200 });
    const production = (station.db.prepare("SELECT id FROM conflicts WHERE type = 'PRODUCTION_LOGGED'").get() as { id: string }).id;
    expect(await c.call('overrideResolution', { conflictId: production, choice: { choose: (await c.call<{ candidates: string[] }>('getConflict', { conflictId: production })).value.candidates[0] } })).toMatchObject({ status: 200 });
    const [overridden] = (await c.call<{ reason: string }[]>('listConflicts', { status: 'RESOLVED', type: 'PRODUCTION_LOGGED' })).value;
    expect(overridden?.reason).toMatch(/chose 120 bbl oil.* from tab-A$/);
  });

  it('listConflicts({status}) returns every conflict with that status: closed RESOLVED ones, and merged notes among AUTO_RESOLVED', async () => {
    users();
    const id = await inspectionConflict();
    await (await tablet('tab-A')).sync([ev.note({ text: 'gate left open' })]);
    await (await tablet('tab-B')).sync([ev.note({ text: 'gate closed again' })]);
    const c = await supervisor();
    const merged = (station.db.prepare("SELECT id FROM conflicts WHERE strategy = 'MERGE'").get() as { id: string }).id;
    const ids = async (args: unknown): Promise<string[]> => (await c.call<{ conflictId: string }[]>('listConflicts', args)).value.map((r) => r.conflictId);
    expect(await ids({})).toEqual([id]);
    expect(await ids({ status: 'AUTO_RESOLVED' })).toEqual([merged]);
    expect(await ids({ status: 'AUTO_RESOLVED', decidable: true })).toEqual([]);
    expect((await c.call('resolveConflict', { conflictId: id, choice: { choose: 'insp-a' }, comment: 'checked on site' })).ok).toBe(true);
    expect(await ids({ status: 'RESOLVED' })).toEqual([id]);
    expect(await ids([{ status: 'RESOLVED' }])).toEqual([id]);
    expect(await ids({ status: 'RESOLVED', open: true })).toEqual([]);
    expect(await ids({})).toEqual([]);
  });

  it('errors have exactly the protocol shape {"error": {"code", "message"}}', async () => {
    users();
    const c = await supervisor();
    const r = await c.request('POST', '/api/v1/getConflict', { conflictId: 'nope' });
    expect(r.status).toBe(404);
    expect(Object.keys(r.body)).toEqual(['error']);
    expect(Object.keys(r.body['error'] as object).sort()).toEqual(['code', 'message']);
  });
});

describe('what needs the supervisor first', () => {
  it('safety-critical reviews lead the queue, ahead of older reviews of other types, and Today counts them apart', async () => {
    users();
    // An implausible production gap goes to review first (older)…
    await (await tablet('tab-P')).sync([ev.production({ oilBbl: 120 }, { id: 'p-hi' })]);
    await (await tablet('tab-Q')).sync([ev.production({ oilBbl: 40 }, { id: 'p-lo' })]);
    // …then a PASS/FAIL inspection.
    await inspectionConflict();
    const c = await supervisor();
    const rows = (await c.call<{ conflictId: string; type: string; status: string }[]>('listConflicts')).value;
    expect(rows.map((r) => [r.type, r.status])).toEqual([
      ['EQUIPMENT_INSPECTED', 'PENDING_REVIEW'],
      ['PRODUCTION_LOGGED', 'PENDING_REVIEW'],
    ]);
    expect((await c.call<{ pendingReview: number; pendingSafety: number }>('getOverview')).value).toMatchObject({ pendingReview: 2, pendingSafety: 1 });
  });
});

describe('inspections that found a problem', () => {
  type Alert = { recordKey: string; wellId: string; equipmentId: string; result: string; inspectedAt: string; correctedAt: string; failedItems: string[]; operatorId: string | null; decidedBy: string | null; corrected: boolean; openConflictId: string | null };
  const overview = async (c: UiClient): Promise<{ inspectionAlerts: Alert[]; inspectionAlertCount: number }> => (await c.call<{ inspectionAlerts: Alert[]; inspectionAlertCount: number }>('getOverview')).value;
  const alerts = async (c: UiClient): Promise<Alert[]> => (await overview(c)).inspectionAlerts;

  it("Today lists the last day's failed and needs-attention inspections, newest first, with the failed items; a pass is not listed", async () => {
    users();
    await (await tablet('tab-A')).sync([
      ev.inspection({ wellId: 'W-1', equipmentId: 'PUMP-1', result: 'FAIL', inspectedAt: '2026-06-10T14:00:00.000Z', checklist: { belts: 'FAIL', guards: 'PASS', leaks: 'FAIL' } }, { id: 'i-fail', operatorId: 'op-ana' }),
      ev.inspection({ wellId: 'W-2', equipmentId: 'SEP-1', result: 'NEEDS_ATTENTION', inspectedAt: '2026-06-10T16:00:00.000Z' }, { id: 'i-attn' }),
      ev.inspection({ wellId: 'W-3', equipmentId: 'TANK-1', result: 'PASS' }, { id: 'i-pass' }),
    ]);
    const c = await supervisor();
    const list = await alerts(c);
    expect(list.map((a) => [a.wellId, a.equipmentId, a.result])).toEqual([
      ['W-2', 'SEP-1', 'NEEDS_ATTENTION'],
      ['W-1', 'PUMP-1', 'FAIL'],
    ]);
    expect(list[1]).toMatchObject({ failedItems: ['belts', 'leaks'], operatorId: 'op-ana', decidedBy: null, corrected: false, openConflictId: null });
    // A day later they are no longer "today" (a new session: the old one expired).
    clock = new Date(clock.getTime() + 25 * 3_600_000);
    expect(await alerts(await supervisor())).toEqual([]);
  });

  it('a tablet with a wrong clock: the time is corrected by its skew, and the order follows the corrected times', async () => {
    users();
    // tab-F's clock is two hours ahead: its 17:00 was 15:00, before tab-R's 16:00.
    await (await tablet('tab-F')).sync([ev.inspection({ wellId: 'W-5', result: 'FAIL', inspectedAt: '2026-06-10T17:00:00.000Z' }, { id: 'i-fast' })], { deviceTime: new Date(clock.getTime() + 7_200_000).toISOString() });
    await (await tablet('tab-R')).sync([ev.inspection({ wellId: 'W-6', result: 'FAIL', inspectedAt: '2026-06-10T16:00:00.000Z' }, { id: 'i-right' })], { deviceTime: clock.toISOString() });
    const list = await alerts(await supervisor());
    expect(list.map((a) => [a.wellId, a.correctedAt])).toEqual([
      ['W-6', '2026-06-10T16:00:00.000Z'],
      ['W-5', '2026-06-10T15:00:00.000Z'],
    ]);
    expect(list[1]?.inspectedAt).toBe('2026-06-10T17:00:00.000Z');
  });

  it("the same tablet's corrected PASS takes a FAIL off the list", async () => {
    users();
    const t = await tablet('tab-A');
    const first = await t.sync([ev.inspection({ wellId: 'W-7', result: 'FAIL' }, { id: 'i-first' })]);
    const version = (first.body['results'] as { version: number }[])[0]?.version ?? 0;
    const c = await supervisor();
    expect((await alerts(c)).map((a) => a.wellId)).toEqual(['W-7']);
    await t.sync([ev.inspection({ wellId: 'W-7', result: 'PASS', inspectedAt: '2026-06-10T15:30:00.000Z' }, { id: 'i-fixed', baseVersion: version })]);
    expect(await alerts(c)).toEqual([]);
  });

  it('a disputed inspection shows its review; a decision keeping the PASS takes it off; kept FAIL and typed FAIL name the supervisor', async () => {
    users();
    const id = await inspectionConflict();
    const c = await supervisor();
    // In review, the record holds the worse result (the FAIL) until a supervisor decides.
    expect((await alerts(c)).map((a) => [a.wellId, a.result, a.openConflictId])).toEqual([['W-42', 'FAIL', id]]);
    expect((await c.call('resolveConflict', { conflictId: id, choice: { choose: 'insp-a' }, comment: 'Re-checked: the belt was fine' })).ok).toBe(true);
    expect(await alerts(c)).toEqual([]);
    // Kept the other way, it is listed with the operator and the supervisor, no review open.
    await (await tablet('tab-E')).sync([ev.inspection({ wellId: 'W-9', result: 'PASS' }, { id: 'insp-e' })]);
    await (await tablet('tab-F')).sync([ev.inspection({ wellId: 'W-9', result: 'FAIL', inspectedAt: '2026-06-10T16:00:00.000Z' }, { id: 'insp-f', operatorId: 'op-fay' })]);
    const conflictOn = (well: string): string => (station.db.prepare('SELECT id FROM conflicts WHERE record_key LIKE ?').get(`inspection/${well}/%`) as { id: string }).id;
    expect((await c.call('resolveConflict', { conflictId: conflictOn('W-9'), choice: { choose: 'insp-f' }, comment: 'Belt cracked' })).ok).toBe(true);
    // A typed FAIL: no operator, the supervisor typed it.
    await (await tablet('tab-E')).sync([ev.inspection({ wellId: 'W-8', result: 'PASS' }, { id: 'insp-g' })]);
    await (await tablet('tab-F')).sync([ev.inspection({ wellId: 'W-8', result: 'NEEDS_ATTENTION', inspectedAt: '2026-06-10T16:00:00.000Z' }, { id: 'insp-h' })]);
    const typed = { wellId: 'W-8', equipmentId: 'COMP-1', inspectedAt: '2026-06-10T15:00:00.000Z', result: 'FAIL', checklist: { seals: 'FAIL' } };
    expect((await c.call('resolveConflict', { conflictId: conflictOn('W-8'), choice: { value: typed }, comment: 'Seal leaking, seen myself' })).ok).toBe(true);
    const byWell = Object.fromEntries((await alerts(c)).map((a) => [a.wellId, a]));
    expect(byWell['W-9']).toMatchObject({ result: 'FAIL', openConflictId: null, operatorId: 'op-fay', decidedBy: 'marta', corrected: false });
    expect(byWell['W-8']).toMatchObject({ result: 'FAIL', failedItems: ['seals'], operatorId: null, decidedBy: 'marta', corrected: true });
  });

  it('a decision made today on an inspection docked days ago does not put it on the list', async () => {
    users();
    const id = await inspectionConflict();
    clock = new Date(clock.getTime() + 3 * 86_400_000);
    const c = await supervisor();
    expect(await alerts(c)).toEqual([]);
    expect((await c.call('resolveConflict', { conflictId: id, choice: { choose: 'insp-b' }, comment: 'Belt cracked' })).ok).toBe(true);
    expect(await alerts(c)).toEqual([]);
  });

  it('over 50, the newest 50 are listed and the count says how many there are', async () => {
    users();
    const failed = Array.from({ length: 53 }, (_, i) => ev.inspection({ wellId: `W-${100 + i}`, result: 'FAIL', inspectedAt: `2026-06-10T${String(10 + Math.floor(i / 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00.000Z` }, { id: `many-${i}` }));
    await (await tablet('tab-M')).sync(failed);
    const o = await overview(await supervisor());
    expect(o.inspectionAlertCount).toBe(53);
    expect(o.inspectionAlerts).toHaveLength(50);
    expect(o.inspectionAlerts.map((a) => a.wellId)).not.toContain('W-100');
  });
});

describe("a well's history says where each entry stands now", () => {
  it('times from a tablet with a wrong clock are corrected by its skew', async () => {
    users();
    // tab-F's clock is an hour ahead: its 16:00 was 15:00.
    await (await tablet('tab-F')).sync([ev.note({ text: 'fast clock', notedAt: '2026-06-10T16:00:00.000Z' }, { id: 'n-fast', occurredAt: '2026-06-10T16:00:00.000Z' })], {
      deviceTime: new Date(clock.getTime() + 3_600_000).toISOString(),
    });
    const c = await supervisor();
    const item = (await c.call<{ history: { eventId: string; occurredAt: string; correctedAt: string; clockSkewMs: number }[] }>('getWell', { wellId: 'W-42' })).value.history.find((h) => h.eventId === 'n-fast');
    expect(item?.occurredAt).toBe('2026-06-10T16:00:00.000Z');
    expect(Math.round((item?.clockSkewMs ?? 0) / 60_000)).toBe(60);
    expect(Date.parse(item?.occurredAt ?? '') - Date.parse(item?.correctedAt ?? '')).toBe(item?.clockSkewMs);
  });

  it('in review, then the kept value and the replaced one; an automatic decision leaves the other entry not chosen', async () => {
    users();
    const id = await inspectionConflict();
    await (await tablet('tab-C')).sync([ev.production({ oilBbl: 120 }, { id: 'p-120' })]);
    await (await tablet('tab-D')).sync([ev.production({ oilBbl: 125 }, { id: 'p-125' })]);
    const c = await supervisor();
    const standing = async (): Promise<Record<string, string>> =>
      Object.fromEntries((await c.call<{ history: { eventId: string; standing: string }[] }>('getWell', { wellId: 'W-42' })).value.history.map((h) => [h.eventId, h.standing]));
    expect(await standing()).toMatchObject({ 'insp-a': 'IN_REVIEW', 'insp-b': 'IN_REVIEW', 'p-125': 'CURRENT', 'p-120': 'NOT_CHOSEN' });
    expect((await c.call('resolveConflict', { conflictId: id, choice: { choose: 'insp-b' }, comment: 'Belt cracked' })).ok).toBe(true);
    const after = await standing();
    expect(after).toMatchObject({ 'insp-a': 'REPLACED', 'insp-b': 'CURRENT' });
    expect(Object.entries(after).filter(([k, v]) => k.startsWith('dec-') && v === 'CURRENT')).toHaveLength(1);
  });
});

describe('wells show their current status', () => {
  it('a shut-in well says so in the list and on its page, with the reason; a well that never reported a status says that', async () => {
    users();
    await (await tablet('tab-A')).sync([ev.status({ wellId: 'W-42', status: 'SHUT_IN', reason: 'Flowline leak found' }), ev.production({ oilBbl: 10, wellId: 'W-43' })]);
    const c = await supervisor();
    const wells = (await c.call<{ wellId: string; status: unknown }[]>('listWells')).value;
    expect(wells.find((w) => w.wellId === 'W-42')?.status).toMatchObject({ status: 'SHUT_IN', reason: 'Flowline leak found', disputed: false });
    expect(wells.find((w) => w.wellId === 'W-43')?.status).toBeNull();
    expect((await c.call<{ well: { status: unknown } }>('getWell', { wellId: 'W-42' })).value.well.status).toMatchObject({ status: 'SHUT_IN' });
  });
});

describe('decisions against what the supervisor saw', () => {
  it('an entry that joined the review after the supervisor looked refuses the decision (CONFLICT_CHANGED) until they look again', async () => {
    users();
    const id = await inspectionConflict();
    const c = await supervisor();
    const seen = (await c.call<{ candidates: string[] }>('getConflict', { conflictId: id })).value.candidates;
    const [rec] = (await c.call<{ version: number }[]>('listRecords', { type: 'EQUIPMENT_INSPECTED' })).value;
    // A re-inspection by someone who saw the review joins it (protocol §1).
    await (await tablet('tab-C')).sync([ev.inspection({ result: 'FAIL', inspectedAt: '2026-06-10T17:00:00.000Z' }, { id: 'insp-c', baseVersion: rec?.version ?? 0 })]);
    const now = (await c.call<{ candidates: string[] }>('getConflict', { conflictId: id })).value.candidates;
    expect(now).toEqual(expect.arrayContaining([...seen, 'insp-c']));
    expect(await c.call('resolveConflict', { conflictId: id, choice: { choose: 'insp-a' }, comment: 'PASS after all', seenCandidates: seen })).toMatchObject({
      status: 409,
      error: { code: 'CONFLICT_CHANGED', message: expect.stringContaining('insp-c') },
    });
    expect(await c.call('resolveConflict', { conflictId: id, choice: { choose: 'insp-c' }, comment: 'Re-inspected: FAIL', seenCandidates: now })).toMatchObject({ status: 200 });
  });

  it('a candidate can still be chosen after the field-day settings changed', async () => {
    users();
    // 06:30 in Denver: field day 06-09 with the gauge day starting at 7, 06-10 once it starts at 6.
    await (await tablet('tab-A')).sync([ev.inspection({ result: 'PASS', inspectedAt: '2026-06-10T12:30:00.000Z' }, { id: 'early-a' })]);
    await (await tablet('tab-B')).sync([ev.inspection({ result: 'FAIL', inspectedAt: '2026-06-10T12:35:00.000Z' }, { id: 'early-b' })]);
    const id = (station.db.prepare('SELECT id FROM conflicts').get() as { id: string }).id;
    const c = await supervisor();
    expect((await c.call('updateSettings', { gaugeDayStartHour: 6 })).ok).toBe(true);
    expect(await c.call('resolveConflict', { conflictId: id, choice: { choose: 'early-b' }, comment: 'FAIL confirmed' })).toMatchObject({ status: 200 });
  });
});

describe('settings, tablets, audit, live feed', () => {
  it('settings: safety types stay locked; limits and time zone are validated and audited', async () => {
    users();
    const c = await supervisor();
    expect(await c.call('updateSettings', { policy: { EQUIPMENT_INSPECTED: 'NEWEST_WINS' } })).toMatchObject({ status: 409, error: { code: 'POLICY_LOCKED' } });
    expect(await c.call('updateSettings', { timeZone: 'Mars/Base' })).toMatchObject({ status: 400, error: { code: 'VALIDATION_FAILED' } });
    const updated = await c.call<{ plausibilityPct: number; policy: Record<string, string> }>('updateSettings', { plausibilityPct: 10, policy: { WELL_READING_RECORDED: 'HIGHEST_VALUE' } });
    expect(updated.value).toMatchObject({ plausibilityPct: 10, policy: { WELL_READING_RECORDED: 'HIGHEST_VALUE', EQUIPMENT_INSPECTED: 'MANUAL_REVIEW' } });
    expect(station.engineSettings().plausibilityPct).toBe(10);
  });

  it('pairing code with QR; a tablet pairs with it and shows in the list; revoke works', async () => {
    users();
    const c = await supervisor();
    const code = await c.call<{ code: string; qrSvg: string; stationUrl: string }>('createPairingCode', {});
    expect(code.value.qrSvg).toMatch(/^<svg/);
    expect(code.value.stationUrl).toBe(urls.lan);
    const t = new Tablet(urls.lan, 'tab-7');
    expect((await t.pair(code.value.code)).status).toBe(201);
    await t.sync([ev.note({ text: 'hi' }), { id: 'bad' }]);
    const devices = await c.call<{ deviceId: string; lastBatch: Record<string, number> }[]>('listDevices');
    expect(devices.value).toMatchObject([{ deviceId: 'tab-7', lastBatch: { APPLIED: 1, REJECTED: 1 } }]);
    expect((await c.call('revokeDevice', { deviceId: 'tab-7' })).value).toEqual({ deviceId: 'tab-7', revoked: true });
    expect((await t.sync([])).status).toBe(401);
  });

  it('audit CSV downloads and the chain verifies', async () => {
    users();
    const c = await supervisor();
    await inspectionConflict();
    expect((await c.call('verifyAudit')).value).toMatchObject({ ok: true });
    const r = await fetch(`${urls.ui}/api/v1/export/audit.csv`, { headers: { cookie: c.cookie } });
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="wellos-audit-/);
    expect((await r.text()).split('\r\n')[0]).toBe('seq,at,actor,action,subject,details,prevHash,hash');
    const empty = await fetch(`${urls.ui}/api/v1/export/quarantine.csv`, { headers: { cookie: c.cookie } });
    expect(await empty.text()).toBe('id,eventId,deviceId,code,message,raw,receivedAt\r\n');
  });

  it('the live feed tells an open dashboard when a tablet docks', async () => {
    users();
    const c = await supervisor();
    const controller = new AbortController();
    const res = await fetch(`${urls.ui}/api/v1/events`, { headers: { cookie: c.cookie }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    await (await tablet('tab-A')).sync([ev.note({ text: 'live' })]);
    let text = '';
    while (!text.includes('"synced"')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"deviceId":"tab-A"');
    controller.abort();
  });
});
