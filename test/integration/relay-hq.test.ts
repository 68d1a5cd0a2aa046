/**
 * Station → HQ (protocol §5) with the real relay and the real HQ receiver (PGlite): every
 * outbox item reaches HQ exactly once and in seq order per lane, the critical lane carries
 * the inspection and then its conflict, and an HQ restored from an older backup makes the
 * station resend what HQ lost.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addStation, setPolicy, upsertReference, upsertWell } from '../../hq/admin.ts';
import { createPgliteSql, type Sql } from '../../hq/db.ts';
import { migrate } from '../../hq/schema.ts';
import { buildHqServer } from '../../hq/server.ts';
import { COLUMNAR_CONTENT_TYPE } from '../../src/shared/protocol/columnar.ts';
import { createStation, type Station } from '../../src/main/station/create-station.ts';
import { createPairingCode } from '../../src/main/station/devices/device-auth.ts';
import { silentLogger } from '../../src/main/station/logger.ts';
import { ev } from '../support/events.ts';
import { runCli } from '../support/cli-process.ts';
import { Tablet } from '../support/lan-client.ts';
import { makeTempDir } from '../support/temp-store.ts';

const SUPERVISOR = { username: 'marta', role: 'supervisor' as const };
let sql: Sql;
let hq: FastifyInstance;
let hqUrl: string;
let station: Station;
let lan: string;
let stationKey: string;
/** Content-Type and Content-Encoding of every batch POST HQ received. */
const batchFormats = new Set<string>();

async function hqLanes(stationId: string): Promise<Record<string, { n: number; max: number }>> {
  const rows = await sql.query('SELECT lane, count(*) AS n, max(seq) AS max FROM tenant_default.items WHERE station_id = $1 GROUP BY lane', [stationId]);
  return Object.fromEntries(rows.map((r) => [String(r['lane']), { n: Number(r['n']), max: Number(r['max']) }]));
}

function stationLanes(): Record<string, { n: number; max: number }> {
  const rows = station.db.prepare('SELECT lane, count(*) AS n, max(seq) AS max FROM outbox GROUP BY lane').all() as { lane: string; n: number; max: number }[];
  return Object.fromEntries(rows.map((r) => [r.lane, { n: r.n, max: r.max }]));
}

/** Waits (bounded) until HQ holds exactly what the station's outbox holds. */
async function drained(deadlineMs = 20_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const status = await station.api.getRelayStatus({}, SUPERVISOR);
    // HQ's answer reaches the station a moment after HQ committed: wait for the acks too.
    const acked = Object.values(status.queue).every((n) => n === 0);
    if (JSON.stringify(await hqLanes(station.identity.stationId)) === JSON.stringify(stationLanes()) && status.state === 'ONLINE' && acked) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not drained: HQ ${JSON.stringify(await hqLanes(station.identity.stationId))} vs station ${JSON.stringify(stationLanes())}`);
}

beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql);
  hq = buildHqServer({ sql, logger: silentLogger() });
  hq.addHook('onRequest', async (request) => {
    if (request.method === 'POST' && request.url.endsWith('/batches')) batchFormats.add(`${request.headers['content-type']} ${request.headers['content-encoding']}`);
  });
  hqUrl = await hq.listen({ host: '127.0.0.1', port: 0 });
  station = createStation({ dataDir: makeTempDir(), lanHost: '127.0.0.1', lanPort: 0, uiPort: 0, logger: silentLogger(), timeZone: 'America/Denver', staticDir: null });
  lan = (await station.start()).lan;
  stationKey = (await addStation(sql, { stationId: station.identity.stationId, tenantId: 'default' })).stationKey;
  await station.api.updateSettings({ hqUrl, hqKey: stationKey }, SUPERVISOR);
}, 60_000);

afterAll(async () => {
  await station.stop();
  await hq.close();
  await sql.close();
});

it('every outbox item reaches HQ exactly once, in seq order per lane; conflicts follow their events', async () => {
  const a = new Tablet(lan, 'tab-A');
  const b = new Tablet(lan, 'tab-B');
  await a.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  await b.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  await a.sync([ev.production({ oilBbl: 100 }), ev.reading({ value: 5 }), ev.note({ text: 'n' }), ev.inspection({ result: 'PASS' }, { id: 'i-a' })]);
  await b.sync([ev.production({ oilBbl: 104 }), ev.inspection({ result: 'FAIL' }, { id: 'i-b' })]);
  await drained();
  const lanes = await hqLanes(station.identity.stationId);
  for (const [lane, { n, max }] of Object.entries(lanes)) expect({ lane, n }).toEqual({ lane, n: max });
  const critical = await sql.query("SELECT seq, kind, data FROM tenant_default.items WHERE station_id = $1 AND lane = 'critical' ORDER BY seq", [station.identity.stationId]);
  // Inspection A, then tab-B's batch: the production conflict, inspection B, its conflict.
  expect(critical.map((r) => r['kind'])).toEqual(['event', 'conflict', 'event', 'conflict']);
  expect(critical[1]?.['data']).toMatchObject({ strategy: 'HIGHEST_VALUE' });
  expect(critical[3]?.['data']).toMatchObject({ status: 'PENDING_REVIEW', candidates: ['i-a', 'i-b'] });
  const status = await station.api.getRelayStatus({}, SUPERVISOR);
  expect(status).toMatchObject({ state: 'ONLINE', hqUrl, lastError: null, queue: { critical: 0, production: 0, readings: 0, notes: 0, photos: 0 } });
  expect(status.bytesToday).toBeGreaterThan(0);
  // HQ's health announced the compact encoding, so that is what the station sent.
  expect([...batchFormats]).toEqual([`${COLUMNAR_CONTENT_TYPE} br`]);
});

it('an HQ restored from an older backup gets back what it lost, once', async () => {
  const stationId = station.identity.stationId;
  await sql.query("DELETE FROM tenant_default.items WHERE station_id = $1 AND lane = 'production' AND seq > 1", [stationId]);
  await sql.query("UPDATE tenant_default.lane_cursors SET acked_through_seq = 1 WHERE station_id = $1 AND lane = 'production'", [stationId]);
  const c = new Tablet(lan, 'tab-C');
  await c.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  await c.sync([ev.production({ oilBbl: 90, wellId: 'W-7' })]);
  await drained();
  const rows = await sql.query("SELECT seq FROM tenant_default.items WHERE station_id = $1 AND lane = 'production' ORDER BY seq", [stationId]);
  expect(rows.map((r) => Number(r['seq']))).toEqual([1, 2, 3]);
  const acked = station.db.prepare("SELECT acked_through_seq AS n FROM relay_state WHERE lane = 'production'").get() as { n: number };
  expect(acked.n).toBe(3);
});

it('photo bytes reach HQ before their metadata, resuming from the byte HQ already holds', async () => {
  const bytes = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(600_000)]);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const stationId = station.identity.stationId;
  // An earlier upload was cut after 100,000 bytes.
  const blobUrl = `${hqUrl}/api/v1/stations/${stationId}/blobs/${sha}`;
  const first = await fetch(blobUrl, { method: 'PUT', headers: { authorization: `Bearer ${stationKey}`, 'content-type': 'application/octet-stream', 'content-range': `bytes 0-99999/${bytes.length}` }, body: bytes.subarray(0, 100_000) });
  expect(first.status).toBe(200);
  const t = new Tablet(lan, 'tab-P');
  await t.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  expect((await fetch(`${lan}/api/v1/photos/${sha}`, { method: 'PUT', headers: { ...t.headers({ 'content-type': 'application/octet-stream' }) }, body: bytes })).status).toBe(201);
  await t.sync([ev.photo({ sha256: sha })]);
  await drained();
  const head = await fetch(blobUrl, { method: 'HEAD', headers: { authorization: `Bearer ${stationKey}` } });
  expect({ complete: head.headers.get('upload-complete'), held: Number(head.headers.get('upload-offset')) }).toEqual({ complete: '?1', held: bytes.length });
  const chunks = await sql.query('SELECT start_byte FROM tenant_default.blob_chunks WHERE station_id = $1 AND sha256 = $2 ORDER BY start_byte', [stationId, sha]);
  expect(chunks.map((r) => Number(r['start_byte']))[1]).toBe(100_000);
  const stored = Buffer.concat((await sql.query('SELECT bytes FROM tenant_default.blob_chunks WHERE station_id = $1 AND sha256 = $2 ORDER BY start_byte', [stationId, sha])).map((r) => Buffer.from(r['bytes'] as Uint8Array)));
  expect(createHash('sha256').update(stored).digest('hex')).toBe(sha);
});

it("HQ's wells and policy reach the station and its engine; a policy that would unlock a safety type is refused", async () => {
  await upsertWell(sql, 'default', { wellId: 'W-GAS', name: 'Gas 1', primaryProduct: 'gas' });
  await setPolicy(sql, 'default', { WELL_READING_RECORDED: 'HIGHEST_VALUE' });
  await station.api.updateSettings({ hqUrl, hqKey: stationKey }, SUPERVISOR);
  const until = Date.now() + 20_000;
  while (station.engineSettings().wells['W-GAS'] !== 'gas' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  expect(station.engineSettings().wells['W-GAS']).toBe('gas');
  expect(station.engineSettings().policy.WELL_READING_RECORDED).toBe('HIGHEST_VALUE');
  expect(station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'hq.updates'").get()).toEqual({ n: 1 });

  await setPolicy(sql, 'default', { EQUIPMENT_INSPECTED: 'NEWEST_WINS' });
  await station.api.updateSettings({ hqUrl, hqKey: stationKey }, SUPERVISOR);
  const until2 = Date.now() + 20_000;
  while ((station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'hq.updates'").get() as { n: number }).n < 2 && Date.now() < until2) await new Promise((r) => setTimeout(r, 100));
  const last = station.db.prepare("SELECT details FROM audit WHERE action = 'hq.updates' ORDER BY seq DESC LIMIT 1").get() as { details: string };
  expect(JSON.parse(last.details)).toMatchObject({ policy: 'refused', refusal: expect.stringContaining('EQUIPMENT_INSPECTED is locked') });
  expect(station.engineSettings().policy.EQUIPMENT_INSPECTED).toBe('MANUAL_REVIEW');
});

it('an item HQ refuses alone, and one the station cannot read, are parked with their reason; the lane goes on', async () => {
  const stationId = station.identity.stationId;
  const next = (): number => (station.db.prepare("SELECT coalesce(max(seq), 0) + 1 AS n FROM outbox WHERE lane = 'critical'").get() as { n: number }).n;
  const at = new Date().toISOString();
  // A conflict snapshot that is not an object (HQ refuses it) and a damaged row (the station cannot parse it).
  const refusedSeq = next();
  station.db.prepare("INSERT INTO outbox (lane, seq, kind, data, created_at) VALUES ('critical', ?, 'conflict', '5', ?)").run(refusedSeq, at);
  const damagedSeq = next();
  station.db.prepare("INSERT INTO outbox (lane, seq, kind, data, created_at) VALUES ('critical', ?, 'conflict', '{\"cut', ?)").run(damagedSeq, at);
  station.db.prepare("UPDATE relay_state SET last_seq = ? WHERE lane = 'critical'").run(damagedSeq);
  const t = new Tablet(lan, 'tab-X');
  await t.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  await t.sync([ev.inspection({ result: 'PASS', wellId: 'W-99' }, { id: 'after-poison' })]);
  await drained();
  const rows = await sql.query("SELECT seq, kind, data FROM tenant_default.items WHERE station_id = $1 AND lane = 'critical' AND seq >= $2 ORDER BY seq", [stationId, refusedSeq]);
  expect(rows.map((r) => r['kind'])).toEqual(['parked', 'parked', 'event']);
  expect(rows[0]?.['data']).toMatchObject({ parkedKind: 'conflict', reason: expect.stringMatching(/HQ answered 400/) });
  expect(rows[1]?.['data']).toMatchObject({ parkedKind: 'conflict', reason: expect.stringMatching(/cannot read this item/) });
  expect(rows[2]?.['data']).toMatchObject({ id: 'after-poison' });
  const audit = station.db.prepare("SELECT subject FROM audit WHERE action = 'relay.parked' ORDER BY json_extract(details, '$.seq')").all() as { subject: string }[];
  expect(audit.map((a) => a.subject)).toEqual([`outbox/critical/${refusedSeq}`, `outbox/critical/${damagedSeq}`]);
  expect((await station.api.getRelayStatus({}, SUPERVISOR)).parked).toBe(2);
  // The station keeps the items themselves.
  expect(station.db.prepare("SELECT count(*) AS n FROM outbox WHERE lane = 'critical' AND seq IN (?, ?)").get(refusedSeq, damagedSeq)).toEqual({ n: 2 });

  // Fixed at the station, the refused item goes again from the command line, at the end of its lane; the unreadable one cannot.
  station.db.prepare("UPDATE outbox SET data = '{\"conflictId\":\"cf-fixed\",\"status\":\"RESOLVED\"}' WHERE lane = 'critical' AND seq = ?").run(refusedSeq);
  const cli = await runCli(['relay', 'requeue-parked', '--data-dir', station.dataDir]);
  expect(cli.code).toBe(0);
  const newSeq = damagedSeq + 2;
  expect(cli.stdout.trim()).toBe(`critical ${refusedSeq} -> ${newSeq}`);
  expect(cli.stderr).toMatch(/1 the station cannot read left alone/);
  await t.sync([ev.note({ wellId: 'W-98', text: 'wake the relay' })]);
  await drained();
  const again = await sql.query("SELECT kind, data FROM tenant_default.items WHERE station_id = $1 AND lane = 'critical' AND seq = $2", [stationId, newSeq]);
  expect(again).toMatchObject([{ kind: 'conflict', data: { conflictId: 'cf-fixed' } }]);
  // A second run has nothing left to send.
  expect((await runCli(['relay', 'requeue-parked', '--data-dir', station.dataDir])).stdout).toBe('');
});

it("HQ's decision closes an open conflict like a supervisor's, relayed and audited; one the station already decided stays as decided", async () => {
  const t = new Tablet(lan, 'tab-H');
  const u = new Tablet(lan, 'tab-J');
  await t.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  await u.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  await t.sync([ev.inspection({ result: 'PASS', wellId: 'W-77' }, { id: 'i-77a' }), ev.inspection({ result: 'PASS', wellId: 'W-78' }, { id: 'i-78a' })]);
  await u.sync([ev.inspection({ result: 'FAIL', wellId: 'W-77' }, { id: 'i-77b' }), ev.inspection({ result: 'FAIL', wellId: 'W-78' }, { id: 'i-78b' })]);
  const conflictOf = (wellId: string): string => (station.db.prepare("SELECT id FROM conflicts WHERE record_key LIKE ? AND status = 'PENDING_REVIEW'").get(`inspection/${wellId}/%`) as { id: string }).id;
  const open77 = conflictOf('W-77');
  const open78 = conflictOf('W-78');
  // The station's supervisor decides W-78 first; HQ decides both.
  await station.api.resolveConflict({ conflictId: open78, choice: { choose: 'i-78a' }, comment: 'Re-inspected: passes.' }, SUPERVISOR);
  await upsertReference(sql, 'default', 'decisions', open77, { chosenEventId: 'i-77b', decidedBy: 'ops-lead', comment: 'Photo shows the guard missing.' });
  await upsertReference(sql, 'default', 'decisions', open78, { chosenEventId: 'i-78b', decidedBy: 'ops-lead', comment: 'Disagree.' });
  const before = (station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'hq.updates'").get() as { n: number }).n;
  await station.api.updateSettings({ hqUrl, hqKey: stationKey }, SUPERVISOR);
  const until = Date.now() + 20_000;
  while ((station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'hq.updates'").get() as { n: number }).n <= before && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  const summary = JSON.parse((station.db.prepare("SELECT details FROM audit WHERE action = 'hq.updates' ORDER BY seq DESC LIMIT 1").get() as { details: string }).details) as Record<string, unknown>;
  expect(summary).toMatchObject({ decisionsApplied: [open77], decisionsSkipped: [{ conflictId: open78, reason: expect.stringMatching(/already decided at the station by marta/) }] });
  const decided = station.db.prepare('SELECT chosen_event_id AS chosen, decided_by AS decidedBy, comment FROM decisions WHERE conflict_id = ? ORDER BY decided_at').all(open77);
  expect(decided).toEqual([{ chosen: 'i-77b', decidedBy: 'hq:ops-lead', comment: 'Decided at HQ: Photo shows the guard missing.' }]);
  expect(station.db.prepare('SELECT chosen_event_id AS chosen FROM decisions WHERE conflict_id = ?').all(open78)).toEqual([{ chosen: 'i-78a' }]);
  const detail = await station.api.getConflict({ conflictId: open77 }, SUPERVISOR);
  expect(detail).toMatchObject({ status: 'RESOLVED' });
  // The decision travels back up like any other.
  await drained();
  const up = await sql.query("SELECT data FROM tenant_default.items WHERE station_id = $1 AND kind = 'decision' AND data->>'conflictId' = $2", [station.identity.stationId, open77]);
  expect(up.map((r) => r['data'])).toMatchObject([{ chosenEventId: 'i-77b', decidedBy: 'hq:ops-lead' }]);
});

it("HQ's decision on a conflict it saw across stations closes this station's open conflict on the same record, with HQ's value", async () => {
  const t = new Tablet(lan, 'tab-K');
  const u = new Tablet(lan, 'tab-L');
  await t.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  await u.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  await t.sync([ev.inspection({ result: 'PASS', wellId: 'W-79' }, { id: 'i-79a' })]);
  await u.sync([ev.inspection({ result: 'FAIL', wellId: 'W-79' }, { id: 'i-79b' })]);
  const local = station.db.prepare("SELECT id, record_key AS recordKey FROM conflicts WHERE record_key LIKE 'inspection/W-79/%' AND is_open = 1").get() as { id: string; recordKey: string };
  // HQ named it after a report that came in through another office, and chose that report.
  const value = { wellId: 'W-79', equipmentId: 'COMP-1', inspectedAt: '2026-06-10T15:00:00.000Z', result: 'NEEDS_ATTENTION' };
  await upsertReference(sql, 'default', 'decisions', 'cf-from-another-office', {
    recordKey: local.recordKey,
    chosenEventId: 'i-79-elsewhere',
    value,
    decidedBy: 'ops-lead',
    comment: 'Third inspection settles it.',
    supersedes: ['i-79a', 'i-79b', 'i-79-elsewhere'],
  });
  const before = (station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'hq.updates'").get() as { n: number }).n;
  await station.api.updateSettings({ hqUrl, hqKey: stationKey }, SUPERVISOR);
  const until = Date.now() + 20_000;
  while ((station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'hq.updates'").get() as { n: number }).n <= before && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  expect(station.db.prepare('SELECT chosen_event_id AS chosen, decided_by AS decidedBy FROM decisions WHERE conflict_id = ?').all(local.id)).toEqual([{ chosen: null, decidedBy: 'hq:ops-lead' }]);
  const record = (await station.api.listRecords({ wellId: 'W-79' }, SUPERVISOR)).find((r) => r.key === local.recordKey);
  expect(record).toMatchObject({ status: 'OK', value: { result: 'NEEDS_ATTENTION' } });
});

it("HQ's decision on an earlier dispute never settles a later one here: not over this station's own decision, not without entries HQ did not see", async () => {
  const [a, b, c] = ['tab-M', 'tab-N', 'tab-O'].map((id) => new Tablet(lan, id));
  for (const t of [a, b, c]) await t?.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  await a?.sync([ev.inspection({ result: 'PASS', wellId: 'W-80' }, { id: 'i-80a' })]);
  await b?.sync([ev.inspection({ result: 'FAIL', wellId: 'W-80' }, { id: 'i-80b' })]);
  const first = station.db.prepare("SELECT id, record_key AS recordKey FROM conflicts WHERE record_key LIKE 'inspection/W-80/%' AND is_open = 1").get() as { id: string; recordKey: string };
  await station.api.resolveConflict({ conflictId: first.id, choice: { choose: 'i-80b' }, comment: 'FAIL stands: belt cracked' }, SUPERVISOR);
  // A third operator, who never saw the review, reports PASS: a new review against the decision.
  await c?.sync([ev.inspection({ result: 'PASS', wellId: 'W-80' }, { id: 'i-80c' })]);
  const second = station.db.prepare('SELECT id, candidates FROM conflicts WHERE record_key = ? AND is_open = 1').get(first.recordKey) as { id: string; candidates: string };
  expect(second.id).not.toBe(first.id);
  // HQ decides the first dispute as it saw it, under its own id, choosing PASS.
  await upsertReference(sql, 'default', 'decisions', 'hq-cf-80', { recordKey: first.recordKey, chosenEventId: 'i-80a', decidedBy: 'ops-lead', comment: 'PASS', supersedes: ['i-80a', 'i-80b'] });
  const before = (station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'hq.updates'").get() as { n: number }).n;
  await station.api.updateSettings({ hqUrl, hqKey: stationKey }, SUPERVISOR);
  const until = Date.now() + 20_000;
  while ((station.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'hq.updates'").get() as { n: number }).n <= before && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  const audit = station.db.prepare("SELECT details FROM audit WHERE action = 'hq.updates' ORDER BY seq DESC LIMIT 1").get() as { details: string };
  expect(JSON.parse(audit.details)).toMatchObject({ decisionsSkipped: expect.arrayContaining([{ conflictId: 'hq-cf-80', reason: expect.stringContaining('stays for a supervisor at the station') }]) });
  expect(station.db.prepare('SELECT status, is_open AS isOpen FROM conflicts WHERE id = ?').get(second.id)).toEqual({ status: 'PENDING_REVIEW', isOpen: 1 });
  expect(station.db.prepare('SELECT count(*) AS n FROM decisions WHERE conflict_id = ?').get(second.id)).toEqual({ n: 0 });
});
