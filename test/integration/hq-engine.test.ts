/**
 * The shared engine applied across stations at HQ (issue #6), on PGlite in memory: real
 * station cores (SQLite) ingest tablets' events, their outboxes are relayed as protocol §5
 * batches, and HQ's records and conflicts are compared with what one station alone shows.
 * One PGlite for the file (a fresh one takes 6–7 s); each test uses its own tenant.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { upsertWell } from '../../hq/admin.ts';
import { applyBatch, type Batch } from '../../hq/apply-batch.ts';
import { createPgliteSql, toNumber, type Sql } from '../../hq/db.ts';
import { decideConflict, HqDecisionError, listConflicts, listEngineRejects, type HqConflict } from '../../hq/hq-conflicts.ts';
import { readUpdates } from '../../hq/read-updates.ts';
import { ensureTenant, migrate, tenantSchemaName } from '../../hq/schema.ts';
import type { SyncEventResult } from '../../src/shared/protocol/sync.ts';
import { ev } from '../support/events.ts';
import { laneBatch, outboxBatches, relayedEvent } from '../support/hq-relay.ts';
import { makeFixture, NOW, type Fixture } from '../support/station-fixture.ts';

let sql: Sql;
let tenantCounter = 0;
const fixtures: Fixture[] = [];

beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql);
});

afterAll(async () => {
  await sql?.close();
});

afterEach(() => {
  for (const f of fixtures.splice(0)) f.close();
});

function station(): Fixture {
  const f = makeFixture();
  fixtures.push(f);
  return f;
}

async function newTenant(): Promise<string> {
  tenantCounter += 1;
  const tenantId = `eng-${tenantCounter}`;
  await ensureTenant(sql, tenantId);
  return tenantId;
}

async function apply(batches: readonly Batch[]): Promise<void> {
  for (const batch of batches) {
    const result = await applyBatch(sql, tenantSchemaName(batch.tenantId), batch);
    expect(result).toMatchObject({ ok: true, ackedThroughSeq: batch.toSeq });
  }
}

/** Relays everything a station holds, as its relay would. */
async function relay(f: Fixture, stationId: string, tenantId: string): Promise<void> {
  await apply(outboxBatches(f.db, stationId, tenantId));
}

interface HqRecord {
  key: string;
  status: string;
  value: unknown;
  valueFrom: string | null;
  conflictId: string | null;
}

async function hqRecords(tenantId: string): Promise<HqRecord[]> {
  const rows = await sql.query(`SELECT record_key, status, value, value_from, conflict_id FROM "${tenantSchemaName(tenantId)}".records ORDER BY record_key`);
  return rows.map((row) => ({ key: String(row['record_key']), status: String(row['status']), value: row['value'], valueFrom: row['value_from'] as string | null, conflictId: row['conflict_id'] as string | null }));
}

async function hqRecord(tenantId: string, key: string): Promise<HqRecord | undefined> {
  return (await hqRecords(tenantId)).find((r) => r.key === key);
}

/** HQ's conflicts without what legitimately differs between HQs (stations, clocks). */
async function hqConflictsCore(tenantId: string): Promise<Omit<HqConflict, 'stations' | 'openedAt' | 'updatedAt'>[]> {
  const conflicts = (await listConflicts(sql, tenantId)).map(({ stations: _stations, openedAt: _openedAt, updatedAt: _updatedAt, ...rest }) => rest);
  return conflicts.sort((a, b) => a.conflictId.localeCompare(b.conflictId));
}

/** The conflict the first result of a sync is reported on. */
function conflictIdOf(results: readonly SyncEventResult[]): string {
  const [first] = results;
  if (first?.status !== 'CONFLICT') throw new Error(`expected a conflict, got ${JSON.stringify(first)}`);
  return first.conflictId;
}

const PRODUCTION_KEY = 'production/W-42/2026-06-10';
const INSPECTION_KEY = 'inspection/W-42/COMP-1/2026-06-10';

describe('HQ engine across stations (PGlite)', () => {
  it('two stations reporting the same well-day production differently make one HQ conflict, decided by HIGHEST_VALUE on the well’s primary product', async () => {
    const tenantId = await newTenant();
    await upsertWell(sql, tenantId, { wellId: 'W-7', name: 'Gas 7', primaryProduct: 'gas' });
    const north = station();
    const south = station();
    north.sync('tab-N', [ev.production({ oilBbl: 100 }, { id: 'p-north' }), ev.production({ wellId: 'W-7', oilBbl: 50, gasMcf: 500 }, { id: 'g-north' })]);
    south.sync('tab-S', [ev.production({ oilBbl: 110 }, { id: 'p-south' }), ev.production({ wellId: 'W-7', oilBbl: 58, gasMcf: 450 }, { id: 'g-south' })]);
    // Each office alone has nothing to decide.
    expect([north.count('conflicts'), south.count('conflicts')]).toEqual([0, 0]);

    await relay(north, 'ST-NORTH', tenantId);
    await relay(south, 'ST-SOUTH', tenantId);

    const oil = await hqRecord(tenantId, PRODUCTION_KEY);
    expect(oil).toMatchObject({ status: 'OK', valueFrom: 'p-south', value: { oilBbl: 110 } });
    const gas = await hqRecord(tenantId, 'production/W-7/2026-06-10');
    expect(gas).toMatchObject({ status: 'OK', valueFrom: 'g-north', value: { gasMcf: 500 } });
    const conflicts = await listConflicts(sql, tenantId);
    expect(conflicts).toHaveLength(2);
    expect(conflicts.find((c) => c.recordKey === PRODUCTION_KEY)).toMatchObject({
      conflictId: oil?.conflictId,
      status: 'AUTO_RESOLVED',
      strategy: 'HIGHEST_VALUE',
      winner: 'p-south',
      candidates: ['p-north', 'p-south'],
      stations: ['ST-NORTH', 'ST-SOUTH'],
      isOpen: true,
    });
    expect(conflicts.find((c) => c.recordKey === 'production/W-7/2026-06-10')).toMatchObject({ status: 'AUTO_RESOLVED', winner: 'g-north' });
  });

  it('an inspection PASS at one station and FAIL at another is an HQ review that never resolves itself', async () => {
    const tenantId = await newTenant();
    const north = station();
    const south = station();
    north.sync('tab-N', [ev.inspection({ result: 'PASS' }, { id: 'i-pass' })]);
    south.sync('tab-S', [ev.inspection({ result: 'FAIL' }, { id: 'i-fail' })]);
    await relay(north, 'ST-NORTH', tenantId);
    await relay(south, 'ST-SOUTH', tenantId);
    // A re-inspection at the north office by someone who saw only its PASS record
    // supersedes that PASS, but not the south's FAIL: still a review.
    north.sync('tab-N', [ev.inspection({ result: 'PASS', inspectedAt: '2026-06-10T16:00:00.000Z' }, { id: 'i-pass-2', baseVersion: 1 })]);
    await apply(outboxBatches(north.db, 'ST-NORTH', tenantId));

    expect(await hqRecord(tenantId, INSPECTION_KEY)).toMatchObject({ status: 'DISPUTED', value: { result: 'FAIL' } });
    const [review, ...others] = await listConflicts(sql, tenantId, { status: 'PENDING_REVIEW' });
    expect(others).toEqual([]);
    expect(review).toMatchObject({ strategy: 'MANUAL_REVIEW', winner: null, candidates: ['i-fail', 'i-pass-2'], stations: ['ST-NORTH', 'ST-SOUTH'], isOpen: true });
    expect(await listConflicts(sql, tenantId, { status: 'AUTO_RESOLVED' })).toEqual([]);

    // An HQ supervisor decides; a safety type needs a comment.
    const request = { conflictId: review?.conflictId ?? '', choose: 'i-fail', decidedBy: 'hq-ana', comment: '' };
    await expect(decideConflict(sql, tenantId, request, { now: () => NOW })).rejects.toMatchObject({ code: 'COMMENT_REQUIRED' });
    await expect(decideConflict(sql, tenantId, { ...request, choose: 'i-pass', comment: 'superseded at the office' }, { now: () => NOW })).rejects.toMatchObject({ code: 'NOT_A_CANDIDATE' });
    const decided = await decideConflict(sql, tenantId, { ...request, comment: 'belt cracked on the photo' }, { now: () => NOW, newId: () => 'hqd-1' });
    expect(decided).toEqual({ decisionId: 'hqd-1', conflictId: review?.conflictId, recordKey: INSPECTION_KEY });
    expect(await hqRecord(tenantId, INSPECTION_KEY)).toMatchObject({ status: 'OK', valueFrom: 'hqd-1', value: { result: 'FAIL' }, conflictId: null });
    expect(await listConflicts(sql, tenantId)).toMatchObject([{ status: 'RESOLVED', winner: 'i-fail', isOpen: false }]);
    await expect(decideConflict(sql, tenantId, { ...request, comment: 'again' }, { now: () => NOW })).rejects.toBeInstanceOf(HqDecisionError);
    // The decision goes down to stations with the updates.
    const updates = await readUpdates(sql, tenantSchemaName(tenantId), 0);
    expect(updates.decisions).toMatchObject([
      { conflictId: review?.conflictId, decisionId: 'hqd-1', recordKey: INSPECTION_KEY, chosenEventId: 'i-fail', decidedBy: 'hq-ana', comment: 'belt cracked on the photo', supersedes: ['i-fail', 'i-pass-2'], value: { result: 'FAIL' } },
    ]);
  });

  /** The same tablets dock at two offices: both stations hold the same events, in the same order. */
  function twinStations(): [Fixture, Fixture] {
    const twins: [Fixture, Fixture] = [station(), station()];
    for (const f of twins) {
      f.sync('tab-A', [ev.production({ oilBbl: 100 }, { id: 'p-a' }), ev.inspection({ result: 'PASS' }, { id: 'i-a' }), ev.reading({ value: 500 }, { id: 'r-a' }), ev.note({ text: 'gate open' }, { id: 'n-a' })]);
      f.sync('tab-B', [ev.production({ oilBbl: 110 }, { id: 'p-b' }), ev.inspection({ result: 'FAIL' }, { id: 'i-b' }), ev.note({ text: 'gate shut' }, { id: 'n-b' })]);
      // A correction by someone who saw the reading: supersedes it, no conflict.
      f.sync('tab-A', [ev.reading({ value: 510, measuredAt: '2026-06-10T15:30:00.000Z' }, { id: 'r-a2', baseVersion: 1, occurredAt: '2026-06-10T15:30:00.000Z' })]);
    }
    return twins;
  }

  it('the same events and conflicts relayed by two stations, in either order and resent, give HQ what one station alone gives', async () => {
    const [one, two] = twinStations();
    const alone = await newTenant();
    await relay(one, 'ST-1', alone);
    const oneThenTwo = await newTenant();
    await relay(one, 'ST-1', oneThenTwo);
    await relay(two, 'ST-2', oneThenTwo);
    const twoThenOne = await newTenant();
    // The second station's lanes even arrive in the opposite order.
    await apply(outboxBatches(two.db, 'ST-2', twoThenOne).reverse());
    await relay(one, 'ST-1', twoThenOne);
    await relay(two, 'ST-2', twoThenOne);
    await relay(one, 'ST-1', twoThenOne);

    const expected = { records: await hqRecords(alone), conflicts: await hqConflictsCore(alone) };
    expect(expected.records.map((r) => [r.key, r.status])).toEqual([
      ['inspection/W-42/COMP-1/2026-06-10', 'DISPUTED'],
      ['notes/W-42/2026-06-10', 'OK'],
      [PRODUCTION_KEY, 'OK'],
      ['reading/W-42/TUBING_PRESSURE/2026-06-10', 'OK'],
    ]);
    for (const tenantId of [oneThenTwo, twoThenOne]) {
      expect({ records: await hqRecords(tenantId), conflicts: await hqConflictsCore(tenantId) }).toEqual(expected);
      expect((await listConflicts(sql, tenantId)).map((c) => c.stations)).toEqual(expected.conflicts.map(() => ['ST-1', 'ST-2']));
    }
    // HQ agrees with the station on every record.
    for (const record of expected.records) {
      expect({ key: record.key, status: record.status, value: record.value }).toEqual({ key: record.key, status: one.record(record.key)?.status, value: one.record(record.key)?.value });
    }
    const counted = await sql.query(`SELECT count(*) AS n FROM "${tenantSchemaName(twoThenOne)}".engine_inputs`);
    expect(toNumber(counted[0]?.['n'])).toBe(8);
  });

  it('a decision relayed before the events it decided ends where the events-first order ends', async () => {
    const f = station();
    f.sync('tab-A', [ev.production({ oilBbl: 100 }, { id: 'p-1' })]);
    f.resolve(conflictIdOf(f.sync('tab-B', [ev.production({ oilBbl: 160 }, { id: 'p-2' })])), { choose: 'p-1' }, 'tank strapped twice');
    const batches = outboxBatches(f.db, 'ST-1', 'x');
    const critical = batches.filter((b) => b.lane === 'critical');
    const production = batches.filter((b) => b.lane === 'production');
    const eventsFirst = await newTenant();
    await apply([...production, ...critical].map((b) => ({ ...b, tenantId: eventsFirst })));
    const decisionFirst = await newTenant();
    await apply([...critical, ...production].map((b) => ({ ...b, tenantId: decisionFirst })));

    const records = await hqRecords(eventsFirst);
    expect(records).toMatchObject([{ key: PRODUCTION_KEY, status: 'OK', value: { oilBbl: 100 }, conflictId: null }]);
    expect(await hqRecords(decisionFirst)).toEqual(records);
    expect(f.record(PRODUCTION_KEY)?.value).toEqual(records[0]?.value);
    // Events first, HQ saw the review and the decision closed it; decision first, there was none.
    expect(await listConflicts(sql, eventsFirst)).toMatchObject([{ status: 'RESOLVED', winner: 'p-1', isOpen: false }]);
    expect(await listConflicts(sql, decisionFirst)).toEqual([]);
  });

  it('a station decision covers only what its supervisor saw: another station’s differing report keeps HQ’s review open', async () => {
    const tenantId = await newTenant();
    const north = station();
    const south = station();
    north.sync('tab-A', [ev.production({ oilBbl: 100 }, { id: 'p-1' })]);
    const decision = north.resolve(conflictIdOf(north.sync('tab-B', [ev.production({ oilBbl: 160 }, { id: 'p-2' })])), { choose: 'p-1' }, 'tank strapped twice');
    south.sync('tab-C', [ev.production({ oilBbl: 130 }, { id: 'p-3' })]);
    await relay(south, 'ST-SOUTH', tenantId);
    await relay(north, 'ST-NORTH', tenantId);

    expect(await hqRecord(tenantId, PRODUCTION_KEY)).toMatchObject({ status: 'DISPUTED' });
    const [review] = await listConflicts(sql, tenantId, { status: 'PENDING_REVIEW' });
    expect(review).toMatchObject({ candidates: ['p-3', decision.decisionId].sort((a, b) => a.localeCompare(b)), stations: ['ST-NORTH', 'ST-SOUTH'], isOpen: true });
    expect(review?.reason).toMatch(/never overturned automatically/);
    await decideConflict(sql, tenantId, { conflictId: review?.conflictId ?? '', choose: decision.decisionId, decidedBy: 'hq-ana', comment: 'the office decision stands' }, { now: () => NOW });
    expect(await hqRecord(tenantId, PRODUCTION_KEY)).toMatchObject({ status: 'OK', value: { oilBbl: 100 } });
  });

  it('a correction of the winning report, relayed later, brings back the older report’s value', async () => {
    const tenantId = await newTenant();
    await apply([
      laneBatch('ST-1', tenantId, 'production', 1, [
        { kind: 'event', data: relayedEvent(ev.production({ oilBbl: 110 }, { id: 'p-low' }), 'tab-B') },
        { kind: 'event', data: relayedEvent(ev.production({ oilBbl: 120 }, { id: 'p-high' }), 'tab-A') },
      ]),
    ]);
    expect(await hqRecord(tenantId, PRODUCTION_KEY)).toMatchObject({ valueFrom: 'p-high', value: { oilBbl: 120 } });
    const fix = ev.production({ oilBbl: 100, measuredAt: '2026-06-10T16:00:00.000Z' }, { id: 'p-fix', baseVersion: 2 });
    await apply([laneBatch('ST-1', tenantId, 'production', 3, [{ kind: 'event', data: relayedEvent(fix, 'tab-A', { supersedes: ['p-high'] }) }])]);
    expect(await hqRecord(tenantId, PRODUCTION_KEY)).toMatchObject({ status: 'OK', valueFrom: 'p-low', value: { oilBbl: 110 } });
    expect(await listConflicts(sql, tenantId)).toMatchObject([{ status: 'AUTO_RESOLVED', winner: 'p-low', candidates: ['p-low', 'p-fix'] }]);
  });

  it('bad input is stored, counted and reported; it never aborts the batch or its acknowledgement', async () => {
    const tenantId = await newTenant();
    const good = ev.production({ oilBbl: 100 }, { id: 'p-good' });
    await apply([laneBatch('ST-1', tenantId, 'production', 1, [{ kind: 'event', data: relayedEvent(good, 'tab-A') }])]);
    const batch = laneBatch('ST-2', tenantId, 'production', 1, [
      { kind: 'event', data: relayedEvent(ev.production({ oilBbl: 105 }, { id: 'p-ok' }), 'tab-B') },
      { kind: 'event', data: relayedEvent({ ...ev.production({ oilBbl: 1 }, { id: 'p-bad' }), payload: { wellId: 'W-42', oilBbl: -5 } }, 'tab-B') },
      { kind: 'event', data: relayedEvent(ev.production({ oilBbl: 999 }, { id: 'p-good' }), 'tab-B') },
      { kind: 'event', data: { eventId: 'not-an-event' } },
      { kind: 'decision', data: { decisionId: 'd-bad', conflictId: 'cf-x', value: { nonsense: true }, decidedBy: 'sup', decidedAt: '2026-06-10T20:00:00.000Z', supersedes: [] } },
      { kind: 'conflict', data: { conflictId: 'cf-station', status: 'AUTO_RESOLVED' } },
    ]);
    const result = await applyBatch(sql, tenantSchemaName(tenantId), batch);
    expect(result).toEqual({ ok: true, lane: 'production', ackedThroughSeq: 6, appliedCount: 6, engine: { applied: 1, duplicates: 0, reused: 1, invalid: 3, failed: 0 } });
    const stored = await sql.query(`SELECT count(*) AS n FROM "${tenantSchemaName(tenantId)}".items WHERE station_id = 'ST-2'`);
    expect(toNumber(stored[0]?.['n'])).toBe(6);
    const rejects = await listEngineRejects(sql, tenantId);
    expect(rejects.map((r) => [r.seq, r.itemId, r.code]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [2, 'p-bad', 'VALIDATION_FAILED'],
      [3, 'p-good', 'EVENT_ID_REUSED'],
      [4, null, 'VALIDATION_FAILED'],
      [5, 'd-bad', 'VALIDATION_FAILED'],
    ]);
    expect(rejects.find((r) => r.seq === 2)?.message).toMatch(/oilBbl/);
    // The reused id was not applied: HQ keeps the first content, in conflict only with p-ok.
    expect(await hqRecord(tenantId, PRODUCTION_KEY)).toMatchObject({ valueFrom: 'p-ok', value: { oilBbl: 105 } });
    expect(await listConflicts(sql, tenantId)).toMatchObject([{ candidates: ['p-good', 'p-ok'], winner: 'p-ok' }]);
  });

  it('an item the engine fails on is rejected and its id released; the rest of the batch is applied and acknowledged', async () => {
    const tenantId = await newTenant();
    const schema = `"${tenantSchemaName(tenantId)}"`;
    await apply([laneBatch('ST-1', tenantId, 'production', 1, [{ kind: 'event', data: relayedEvent(ev.production({ oilBbl: 100 }, { id: 'p-1' }), 'tab-A') }])]);
    // A fault at HQ, not in the data: the stored state of the key no longer fits its type.
    await sql.query(`UPDATE ${schema}.records SET state = jsonb_set(state::jsonb, '{engine,type}', '"NOTES_ADDED"')::text`);
    const batch = laneBatch('ST-2', tenantId, 'production', 1, [
      { kind: 'event', data: relayedEvent(ev.production({ oilBbl: 110 }, { id: 'p-2' }), 'tab-B') },
      { kind: 'event', data: relayedEvent(ev.production({ wellId: 'W-9', oilBbl: 90 }, { id: 'p-3' }), 'tab-B') },
    ]);
    expect(await applyBatch(sql, tenantSchemaName(tenantId), batch)).toMatchObject({ ok: true, ackedThroughSeq: 2, engine: { applied: 1, failed: 1 } });
    expect(await listEngineRejects(sql, tenantId)).toMatchObject([{ seq: 1, itemId: 'p-2', code: 'ENGINE_FAILED' }]);
    const claims = await sql.query(`SELECT input_id FROM ${schema}.engine_inputs ORDER BY input_id`);
    expect(claims.map((row) => row['input_id'])).toEqual(['p-1', 'p-3']);
    expect(await hqRecord(tenantId, 'production/W-9/2026-06-10')).toMatchObject({ status: 'OK', value: { oilBbl: 90 } });
  });
});
