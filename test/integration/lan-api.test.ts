/**
 * The device API over real HTTP on loopback (protocol §2): every endpoint, status code
 * and error code, hostile input, and that a bad element never costs the rest of its batch.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStation, type Station } from '../../src/main/station/create-station.ts';
import { createPairingCode, revokeDevice } from '../../src/main/station/devices/device-auth.ts';
import { silentLogger } from '../../src/main/station/logger.ts';
import { ev } from '../support/events.ts';
import { http, Tablet } from '../support/lan-client.ts';
import { makeTempDir } from '../support/temp-store.ts';

let station: Station;
let lan: string;
let clock: Date;

beforeEach(async () => {
  clock = new Date('2026-06-10T23:00:00.000Z');
  station = createStation({ dataDir: makeTempDir(), lanHost: '127.0.0.1', lanPort: 0, uiPort: 0, logger: silentLogger(), now: () => clock, timeZone: 'America/Denver', staticDir: null });
  lan = (await station.start()).lan;
});
afterEach(async () => {
  await station.stop();
});

const code = (ttlSeconds = 600): string => createPairingCode(station.db, { now: clock, actor: 'test', ttlSeconds }).code;

async function pairedTablet(id = 'tab-1'): Promise<Tablet> {
  const t = new Tablet(lan, id);
  expect((await t.pair(code())).status).toBe(201);
  return t;
}

describe('health and pairing', () => {
  it('health answers without a token', async () => {
    const r = await http<Record<string, unknown>>(`${lan}/api/v1/health`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', stationId: station.identity.stationId, tenantId: 'default', protocol: 1, time: clock.toISOString() });
  });

  it('a code pairs once; the token is stored only as a hash', async () => {
    const c = code();
    const a = new Tablet(lan, 'tab-1');
    const r = await a.pair(c);
    expect(r).toMatchObject({ status: 201, body: { stationId: station.identity.stationId, tenantId: 'default' } });
    expect(r.body.deviceToken.length).toBeGreaterThan(30);
    const stored = station.db.prepare('SELECT token_hash AS h FROM devices').get() as { h: string };
    expect(stored.h).toBe(createHash('sha256').update(r.body.deviceToken).digest('hex'));
    expect(JSON.stringify(station.db.prepare('SELECT * FROM devices').all())).not.toContain(r.body.deviceToken);
    expect(await new Tablet(lan, 'tab-2').pair(c)).toMatchObject({ status: 401, body: { error: { code: 'PAIRING_CODE_INVALID' } } });
  });

  it('wrong and expired codes are PAIRING_CODE_INVALID; a malformed body is BAD_REQUEST', async () => {
    expect(await new Tablet(lan, 't').pair('NOPE1234')).toMatchObject({ status: 401, body: { error: { code: 'PAIRING_CODE_INVALID' } } });
    const c = code(60);
    clock = new Date(clock.getTime() + 61_000);
    expect(await new Tablet(lan, 't').pair(c)).toMatchObject({ status: 401, body: { error: { code: 'PAIRING_CODE_INVALID' } } });
    const r = await http(`${lan}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code": 5}' });
    expect(r).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
  });
});

describe('authentication', () => {
  it('no token, an unknown token and a revoked device are refused before the body is read', async () => {
    const t = await pairedTablet();
    const anon = new Tablet(lan, 'tab-1');
    expect(await anon.sync([])).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    anon.token = 'forged';
    expect(await anon.sync([])).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    revokeDevice(station.db, 'tab-1', { now: clock, actor: 'test' });
    expect(await t.sync([])).toMatchObject({ status: 401, body: { error: { code: 'DEVICE_REVOKED' } } });
    expect(await t.changes()).toMatchObject({ status: 401, body: { error: { code: 'DEVICE_REVOKED' } } });
  });

  it('a device may not sync as another device', async () => {
    const t = await pairedTablet();
    expect(await t.sync([ev.note({ text: 'x' })], { deviceId: 'tab-9' })).toMatchObject({ status: 403, body: { error: { code: 'DEVICE_MISMATCH' } } });
    expect(station.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
  });
});

describe('sync', () => {
  it('answers one result per element in order, syncedEventIds, clockSkewMs and a cursor; stores the skew on the device', async () => {
    const t = await pairedTablet();
    const good = ev.production({ oilBbl: 100 });
    const r = await t.sync([good, { nope: true }], { deviceTime: new Date(clock.getTime() + 1520).toISOString() });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ results: [{ eventId: good['id'], status: 'APPLIED', version: 1 }, { eventId: null, status: 'REJECTED' }], syncedEventIds: [good['id']], clockSkewMs: 1520 });
    expect(typeof r.body['cursor']).toBe('string');
    expect(station.db.prepare('SELECT clock_skew_ms AS s, last_dock_at AS at FROM devices').get()).toEqual({ s: 1520, at: clock.toISOString() });
  });

  it('a whole batch resent after a lost response is all DUPLICATE and changes nothing', async () => {
    const t = await pairedTablet();
    const events = [ev.production({ oilBbl: 100 }), ev.note({ text: 'a' }), ev.inspection({ result: 'PASS' })];
    const first = await t.sync(events, { batchId: 'b-1' });
    const before = station.db.prepare('SELECT key, version, value FROM records ORDER BY key').all();
    const again = await t.sync(events, { batchId: 'b-1' });
    expect((again.body['results'] as { status: string }[]).map((x) => x.status)).toEqual(['DUPLICATE', 'DUPLICATE', 'DUPLICATE']);
    expect(again.body['syncedEventIds']).toEqual(first.body['syncedEventIds']);
    expect(station.db.prepare('SELECT key, version, value FROM records ORDER BY key').all()).toEqual(before);
  });

  it('the same event from two devices is held once', async () => {
    const a = await pairedTablet('tab-A');
    const b = await pairedTablet('tab-B');
    const e = ev.note({ text: 'shared' });
    await a.sync([e]);
    expect((await b.sync([e])).body['results']).toEqual([{ eventId: e['id'], status: 'DUPLICATE' }]);
  });

  it('request-level errors: broken JSON, no events, no deviceTime, not JSON, wrong encoding', async () => {
    const t = await pairedTablet();
    const post = (body: string | Buffer, headers: Record<string, string> = {}) => http(`${lan}/api/v1/sync`, { method: 'POST', headers: t.headers(headers), body });
    expect(await post('{"events": [')).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await post(JSON.stringify({ deviceId: 'tab-1', batchId: 'b', deviceTime: clock.toISOString() }))).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await post(JSON.stringify({ deviceId: 'tab-1', batchId: 'b', events: [] }))).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', message: expect.stringContaining('deviceTime') } } });
    expect(await post(JSON.stringify({ deviceId: 'tab-1', batchId: 'b', deviceTime: 'noon', events: [] }))).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await post('events=1', { 'content-type': 'text/plain' })).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await post(JSON.stringify({ deviceId: 'tab-1', batchId: 'b-\ud800', deviceTime: clock.toISOString(), events: [] }))).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await post('{}', { 'content-encoding': 'br' })).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await post('not gzip at all', { 'content-encoding': 'gzip' })).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
  });

  it('a JSON body is read as JSON whatever its Content-Type says (none, text/plain as fetch sends a string); x-gzip is gzip', async () => {
    const t = await pairedTablet();
    const body = (id: string): string => JSON.stringify({ deviceId: 'tab-1', batchId: `b-${id}`, deviceTime: clock.toISOString(), events: [ev.note({ text: id }, { id })] });
    const raw = (payload: string | Buffer, headers: Record<string, string>) => fetch(`${lan}/api/v1/sync`, { method: 'POST', headers: { authorization: t.headers()['authorization'] ?? '', ...headers }, body: payload });
    for (const [id, headers] of [['no-type', {}], ['text', { 'content-type': 'text/plain;charset=UTF-8' }], ['octets', { 'content-type': 'application/octet-stream' }]] as const) {
      const r = await raw(body(id), headers);
      expect([id, r.status]).toEqual([id, 200]);
      expect(await r.json()).toMatchObject({ results: [{ eventId: id, status: 'APPLIED' }] });
    }
    const zipped = await raw(gzipSync(body('x-gzip')), { 'content-type': 'application/json', 'content-encoding': 'x-gzip' });
    expect(zipped.status).toBe(200);
    // A web page of another site is not a tablet.
    expect((await raw(body('from-a-page'), { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });

  it('text SQLite could not store as sent, and nesting too deep to walk, are rejected alone; resends stay answers, not failures', async () => {
    const t = await pairedTablet();
    // 8,000 levels: more than JSON.stringify's stack allows, so the body is written by hand.
    const deep = `${'{"d":'.repeat(8_000)}"bottom"${'}'.repeat(8_000)}`;
    const events = [
      JSON.stringify(ev.note({ text: 'lone' }, { id: 'lone-\ud800' })),
      JSON.stringify(ev.note({ text: 'ok' }, { id: 'fine-1' })),
      JSON.stringify({ ...ev.note({ text: 'deep' }, { id: 'deep-1' }), extra: 'DEEP' }).replace('"DEEP"', deep),
      JSON.stringify(ev.note({ text: 'x' }, { id: '' })),
    ];
    const body = `{"deviceId":"tab-1","batchId":"deep","deviceTime":"${clock.toISOString()}","events":[${events.join(',')}]}`;
    for (let round = 0; round < 2; round++) {
      const r = await http<Record<string, unknown>>(`${lan}/api/v1/sync`, { method: 'POST', headers: t.headers(), body });
      expect(r.status).toBe(200);
      expect(r.body['results']).toMatchObject([
        { eventId: 'lone-\ud800', status: 'REJECTED', error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('lone UTF-16 surrogate') } },
        { eventId: 'fine-1', status: round === 0 ? 'APPLIED' : 'DUPLICATE' },
        { eventId: 'deep-1', status: 'REJECTED', error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('levels deep') } },
        { eventId: '', status: 'REJECTED', error: { code: 'VALIDATION_FAILED' } },
      ]);
    }
    // Quarantine keeps each once; the deep one as a copy cut at the limit.
    expect((station.db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n).toBe(3);
    const kept = (station.db.prepare("SELECT raw FROM quarantine WHERE event_id = 'deep-1'").get() as { raw: string }).raw;
    expect(kept).toContain('[cut: nested more than');
  });

  it('syncedEventIds names each id once; the same instant spelled differently is the same content', async () => {
    const t = await pairedTablet();
    const note = ev.note({ text: 'twice' }, { id: 'tw-1', occurredAt: '2026-06-10T15:00:00.000Z' });
    const r = await t.sync([{ ...note, payload: { ...(note['payload'] as object), text: '' } }, note, note]);
    expect((r.body['results'] as { status: string }[]).map((x) => x.status)).toEqual(['REJECTED', 'APPLIED', 'DUPLICATE']);
    expect(r.body['syncedEventIds']).toEqual(['tw-1']);
    const again = await t.sync([{ ...note, occurredAt: '2026-06-10T15:00:00Z' }]);
    expect(again.body['results']).toMatchObject([{ eventId: 'tw-1', status: 'DUPLICATE' }]);
  });

  it('a resend differing only in what validation normalises (a null optional field, the case of a sha256) is a DUPLICATE', async () => {
    const t = await pairedTablet();
    const production = ev.production({ oilBbl: 90 }, { id: 'p-null' });
    const withNulls = { ...production, payload: { ...(production['payload'] as object), productionDate: null, notes: null } };
    const photo = ev.photo({ sha256: 'AB'.repeat(32) }, { id: 'ph-case' });
    const lower = { ...photo, payload: { ...(photo['payload'] as object), sha256: 'ab'.repeat(32) } };
    expect((await t.sync([withNulls, photo])).body['results']).toMatchObject([{ status: 'APPLIED' }, { status: 'APPLIED' }]);
    const r = await t.sync([production, lower]);
    expect(r.body['results']).toMatchObject([{ eventId: 'p-null', status: 'DUPLICATE' }, { eventId: 'ph-case', status: 'DUPLICATE' }]);
    expect(r.body['syncedEventIds']).toEqual(['p-null', 'ph-case']);
  });

  it('gzip bodies are accepted', async () => {
    const t = await pairedTablet();
    const r = await t.sync([ev.note({ text: 'compressed' })], { gzip: true });
    expect(r).toMatchObject({ status: 200, body: { results: [{ status: 'APPLIED' }] } });
  });

  it('10,001 events is BATCH_TOO_LARGE; over 16 MiB is PAYLOAD_TOO_LARGE; a gzip bomb is judged after decompression', async () => {
    const t = await pairedTablet();
    const tiny = { id: 'x' };
    expect(await t.sync(Array.from({ length: 10_001 }, () => tiny))).toMatchObject({ status: 413, body: { error: { code: 'BATCH_TOO_LARGE' } } });
    const huge = JSON.stringify({ deviceId: 'tab-1', batchId: 'b', deviceTime: clock.toISOString(), events: [{ id: 'a', pad: 'x'.repeat(17 * 1024 * 1024) }] });
    expect(await http(`${lan}/api/v1/sync`, { method: 'POST', headers: t.headers(), body: huge })).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    const bomb = gzipSync(Buffer.from(huge));
    expect(bomb.length).toBeLessThan(100_000);
    expect(await http(`${lan}/api/v1/sync`, { method: 'POST', headers: t.headers({ 'content-encoding': 'gzip' }), body: bomb })).toMatchObject({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE' } },
    });
    expect(station.db.prepare('SELECT count(*) AS n FROM batches').get()).toEqual({ n: 0 });
  });

  it('hostile text is stored verbatim and returned as data; oversized fields are rejected alone', async () => {
    const t = await pairedTablet();
    const sql = ev.note({ text: "Robert'); DROP TABLE events;-- <img src=x onerror=alert(1)>" });
    const longId = { ...ev.note({ text: 'long id' }), id: 'i'.repeat(100_000) };
    const longText = ev.note({ text: 'y'.repeat(10_001) });
    const ok = ev.note({ text: 'fine' });
    const r = await t.sync([sql, longId, longText, ok]);
    expect((r.body['results'] as { status: string }[]).map((x) => x.status)).toEqual(['APPLIED', 'REJECTED', 'REJECTED', 'APPLIED']);
    const changes = await t.changes();
    expect(JSON.stringify(changes.body)).toContain("Robert'); DROP TABLE events;-- <img src=x onerror=alert(1)>");
    expect(station.db.prepare('SELECT count(*) AS n FROM quarantine').get()).toEqual({ n: 2 });
  });
});

describe('changes', () => {
  it('from the beginning, then only what happened after a sync cursor, paging with hasMore', async () => {
    const a = await pairedTablet('tab-A');
    const b = await pairedTablet('tab-B');
    await a.sync([ev.production({ oilBbl: 100, wellId: 'W-1' }), ev.production({ oilBbl: 100, wellId: 'W-2' }), ev.production({ oilBbl: 100, wellId: 'W-3' })]);
    const mine = await b.sync([ev.production({ oilBbl: 110, wellId: 'W-1' })]);
    const all = await b.changes();
    expect(all.body).toMatchObject({ hasMore: false });
    expect((all.body['records'] as unknown[]).length).toBe(3);
    expect((all.body['conflicts'] as { status: string }[]).map((c) => c.status)).toEqual(['AUTO_RESOLVED']);
    const after = await b.changes(String(mine.body['cursor']));
    expect(after.body).toMatchObject({ records: [], conflicts: [], hasMore: false, nextCursor: mine.body['cursor'] });
    await b.sync([ev.production({ oilBbl: 120, wellId: 'W-2' })]);
    const keys = new Set<string>();
    const conflictIds = new Set<string>();
    let cursor = '0';
    let pages = 0;
    for (let more = true; more; pages++) {
      const page = await b.changes(cursor, 2);
      expect((page.body['records'] as unknown[]).length).toBeLessThanOrEqual(2);
      for (const r of page.body['records'] as { key: string }[]) keys.add(r.key);
      for (const c of page.body['conflicts'] as { conflictId: string }[]) conflictIds.add(c.conflictId);
      cursor = String(page.body['nextCursor']);
      more = page.body['hasMore'] === true;
    }
    expect(pages).toBeGreaterThan(1);
    expect([...keys].sort()).toEqual(['production/W-1/2026-06-10', 'production/W-2/2026-06-10', 'production/W-3/2026-06-10']);
    expect(conflictIds.size).toBe(2);
    expect(await b.changes('abc')).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await b.changes('0', 0)).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
  });

  it('a cursor beyond the head (another station, or this one before a restore) comes back as the head, so nothing later is skipped', async () => {
    const t = await pairedTablet();
    const synced = await t.sync([ev.note({ text: 'one' })]);
    const ahead = await t.changes('999999999');
    expect(ahead.body).toMatchObject({ records: [], hasMore: false, nextCursor: synced.body['cursor'] });
    await t.sync([ev.note({ text: 'two', wellId: 'W-9' })]);
    expect(((await t.changes(String(ahead.body['nextCursor']))).body['records'] as { key: string }[]).map((r) => r.key)).toEqual([expect.stringContaining('W-9')]);
  });
});

describe('photos', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  const sha = createHash('sha256').update(png).digest('hex');
  it('PUT stores by hash (201, then 200), GET returns the bytes with their type, a wrong hash is HASH_MISMATCH', async () => {
    const t = await pairedTablet();
    const put = (name: string, body: Buffer) => http(`${lan}/api/v1/photos/${name}`, { method: 'PUT', headers: t.headers({ 'content-type': 'application/octet-stream' }), body });
    expect((await put(sha, png)).status).toBe(201);
    expect((await put(sha, png)).status).toBe(200);
    expect(await put('0'.repeat(64), png)).toMatchObject({ status: 422, body: { error: { code: 'HASH_MISMATCH' } } });
    const got = await fetch(`${lan}/api/v1/photos/${sha}`, { headers: t.headers() });
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);
    expect(await http(`${lan}/api/v1/photos/${'1'.repeat(64)}`, { headers: t.headers() })).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  it('the bytes are the photo whatever Content-Type the tablet sends', async () => {
    const t = await pairedTablet();
    for (const type of ['image/png', 'application/json', 'text/plain']) {
      const r = await http(`${lan}/api/v1/photos/${sha}`, { method: 'PUT', headers: t.headers({ 'content-type': type }), body: png });
      expect([type, r.status]).toEqual([type, type === 'image/png' ? 201 : 200]);
    }
  });

  it('a path-traversal name is refused and nothing is written outside the photos folder', async () => {
    const t = await pairedTablet();
    for (const name of ['..%2F..%2Fstation.db', '..%2F' + 'a'.repeat(61), 'ZZ' + 'a'.repeat(62)]) {
      const r = await http(`${lan}/api/v1/photos/${name}`, { method: 'PUT', headers: t.headers({ 'content-type': 'application/octet-stream' }), body: png });
      expect(r.status === 400 || r.status === 404).toBe(true);
      expect((r.body as { error: { code: string } }).error.code).toMatch(/BAD_REQUEST|NOT_FOUND/);
    }
  });
});

it('unknown routes answer the error shape', async () => {
  expect(await http(`${lan}/api/v2/sync`)).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
});

it('20 tablets docking at once are all acknowledged', async () => {
  const tablets = await Promise.all(Array.from({ length: 20 }, (_, i) => pairedTablet(`tab-${i}`)));
  const responses = await Promise.all(
    tablets.map((t, i) => t.sync(Array.from({ length: 200 }, (_, j) => ev.reading({ wellId: `W-${j % 50}`, value: 100 + i, measuredAt: `2026-06-10T${String(13 + (j % 8)).padStart(2, '0')}:00:00.000Z` })), { gzip: true })),
  );
  expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
  expect(responses.every((r) => (r.body['syncedEventIds'] as string[]).length === 200)).toBe(true);
  expect(station.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 4000 });
});

it('batches that fail, are refused or are cut off mid-body do not use up the places of those that wait (4 at a time)', async () => {
  const t = await pairedTablet();
  const headers = { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' };
  const refused = await Promise.all([
    ...Array.from({ length: 6 }, () => http(`${lan}/api/v1/sync`, { method: 'POST', headers, body: '{"events": [' })),
    ...Array.from({ length: 6 }, () => t.sync([ev.reading({ value: 1 })], { deviceTime: 'yesterday' })),
  ]);
  expect(refused.map((r) => r.status)).toEqual(Array.from({ length: 12 }, () => 400));
  // A tablet that drops the connection halfway through its body.
  for (let i = 0; i < 6; i++) {
    const aborted = new AbortController();
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"deviceId": "tab-1", "batchId": "cut", "events": ['));
        setTimeout(() => aborted.abort(), 20);
      },
    });
    await fetch(`${lan}/api/v1/sync`, { method: 'POST', headers, body, signal: aborted.signal, duplex: 'half' } as RequestInit).catch(() => undefined);
  }
  const ok = await Promise.all(Array.from({ length: 8 }, (_, i) => t.sync([ev.reading({ wellId: `W-${i}`, value: 1 })])));
  expect(ok.map((r) => r.status)).toEqual(Array.from({ length: 8 }, () => 200));
});

it('tablets that give up while they wait for a place do not take places with them', async () => {
  const t = await pairedTablet();
  const headers = { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' };
  // Four tablets start sending and stall mid-body: they hold the four places.
  const started = (): { abort: () => void; done: Promise<unknown> } => {
    const aborted = new AbortController();
    const body = new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"deviceId": "tab-1", "batchId": "slow", "events": [')) });
    const done = fetch(`${lan}/api/v1/sync`, { method: 'POST', headers, body, signal: aborted.signal, duplex: 'half' } as RequestInit).catch(() => undefined);
    return { abort: () => aborted.abort(), done };
  };
  const holders = Array.from({ length: 4 }, started);
  await new Promise((r) => setTimeout(r, 200));
  // Four more wait for a place, and give up before they get one.
  const quitters = Array.from({ length: 4 }, started);
  await new Promise((r) => setTimeout(r, 200));
  for (const q of quitters) q.abort();
  await Promise.all(quitters.map((q) => q.done));
  await new Promise((r) => setTimeout(r, 100));
  for (const h of holders) h.abort();
  await Promise.all(holders.map((h) => h.done));
  const ok = await Promise.all(Array.from({ length: 4 }, (_, i) => t.sync([ev.reading({ wellId: `W-${i}`, value: 1 })])));
  expect(ok.map((r) => r.status)).toEqual([200, 200, 200, 200]);
}, 15_000);
