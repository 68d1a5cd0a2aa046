/**
 * The HQ receiver on a real PostgreSQL (a throwaway cluster, test/support/pg-cluster.ts):
 * two receiver instances on one database, three stations relaying at once with overlapping
 * and racing resends → every (station, lane, seq) stored exactly once, no gaps.
 * Skipped, with the reason, when the PostgreSQL binaries are not installed.
 */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { addStation, upsertWell } from '../../hq/admin.ts';
import { createPostgresSql, toNumber, type Sql } from '../../hq/db.ts';
import { getUpdates, headBlob, makeBatch, postBatch, putBlobRange } from '../../hq/hq-client.ts';
import { applyBatch, type Batch } from '../../hq/apply-batch.ts';
import { listConflicts } from '../../hq/hq-conflicts.ts';
import { ensureTenant, migrate, tenantSchemaName } from '../../hq/schema.ts';
import { buildHqServer } from '../../hq/server.ts';
import { ev } from '../support/events.ts';
import { laneBatch, relayedEvent } from '../support/hq-relay.ts';
import { pgClusterUnavailableReason, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';

const unavailable = pgClusterUnavailableReason();
if (unavailable !== undefined) console.warn(`hq-postgres tests skipped: ${unavailable}`);

const LANES = ['critical', 'production'] as const;
const ITEMS_PER_LANE = 240;
const MAX_BATCH = 25;

interface TestStation {
  stationId: string;
  tenantId: string;
  key: string;
}

/** A deterministic pseudo-random source, so a failure replays. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const RACE_STATIONS = ['race-1', 'race-2', 'race-3', 'race-4'];
const RACE_WELLS = 30;
const RACE_CHUNK = 12;

/**
 * What each racing station relays, per lane, in chunks: its own production report for
 * every well-day (different values: HQ conflicts), a correction of some of them (edges),
 * an inspection of every third well (PASS or FAIL: HQ reviews), and events from a tablet
 * that docked at every office (the same ids and content from each station).
 */
function raceBatches(stationId: string, index: number, tenantId: string): Batch[] {
  const production: { kind: string; data: Record<string, unknown> }[] = [];
  const critical: { kind: string; data: Record<string, unknown> }[] = [];
  for (let w = 0; w < RACE_WELLS; w++) {
    const wellId = `RW-${w}`;
    const own = ev.production({ wellId, oilBbl: 100 + index * 3 + (w % 4) }, { id: `${stationId}-p-${w}` });
    production.push({ kind: 'event', data: relayedEvent(own, `tab-${stationId}`) });
    if (w % 5 === index) {
      const fix = ev.production({ wellId, oilBbl: 101 + index * 3, measuredAt: '2026-06-10T16:00:00.000Z' }, { id: `${stationId}-fix-${w}`, baseVersion: 1 });
      production.push({ kind: 'event', data: relayedEvent(fix, `tab-${stationId}`, { supersedes: [`${stationId}-p-${w}`] }) });
    }
    production.push({ kind: 'event', data: relayedEvent(ev.production({ wellId, oilBbl: 104 }, { id: `roaming-p-${w}` }), 'tab-roaming') });
    if (w % 3 === 0) critical.push({ kind: 'event', data: relayedEvent(ev.inspection({ wellId, result: (w + index) % 2 === 0 ? 'PASS' : 'FAIL' }, { id: `${stationId}-i-${w}` }), `tab-${stationId}`) });
  }
  const chunks = (lane: 'production' | 'critical', items: typeof production): Batch[] =>
    Array.from({ length: Math.ceil(items.length / RACE_CHUNK) }, (_, c) => laneBatch(stationId, tenantId, lane, 1 + c * RACE_CHUNK, items.slice(c * RACE_CHUNK, (c + 1) * RACE_CHUNK)));
  return [...chunks('critical', critical), ...chunks('production', production)];
}

describe.skipIf(unavailable !== undefined)('HQ receiver on PostgreSQL: two receiver processes, one database', () => {
  let cluster: PgCluster;
  let sqlA: Sql;
  let sqlB: Sql;
  let servers: FastifyInstance[] = [];
  let urls: string[] = [];

  beforeAll(async () => {
    cluster = await startPgCluster();
    sqlA = createPostgresSql(cluster.url);
    sqlB = createPostgresSql(cluster.url);
    // Both receivers start at once: the migration lock makes them take turns.
    await Promise.all([migrate(sqlA), migrate(sqlB)]);
    servers = [buildHqServer({ sql: sqlA, logger: pino({ level: 'silent' }) }), buildHqServer({ sql: sqlB, logger: pino({ level: 'silent' }) })];
    urls = await Promise.all(servers.map((server) => server.listen({ port: 0, host: '127.0.0.1' })));
  }, 60_000);

  afterAll(async () => {
    for (const server of servers) await server.close();
    await sqlA?.close();
    await sqlB?.close();
    await cluster?.stop();
  });

  /**
   * One relay worker for a (station, lane): sends batches to either receiver, at random
   * resending from a few seqs before its ack (a lost answer), following SEQ_GAP.
   */
  const highestAck = new Map<string, number>();
  /** Every answer in which HQ's word went back, or acked less than the batch it applied. */
  const regressions: string[] = [];

  async function relayLane(station: TestStation, lane: string, random: () => number): Promise<number> {
    const laneKey = `${station.stationId}/${lane}`;
    let acked = 0;
    let requests = 0;
    while (acked < ITEMS_PER_LANE) {
      requests += 1;
      if (requests > 2000) throw new Error(`${station.stationId}/${lane} made no progress (acked ${acked})`);
      const back = random() < 0.4 ? Math.floor(random() * 15) : 0;
      const from = Math.max(1, acked + 1 - back);
      const to = Math.min(ITEMS_PER_LANE, from + Math.floor(random() * MAX_BATCH));
      const url = urls[Math.floor(random() * urls.length)] ?? '';
      // HQ's word never goes back: whatever it acked before this request still holds.
      const ackedBefore = highestAck.get(laneKey) ?? 0;
      const answer = await postBatch(url, station.key, station.stationId, makeBatch(station.stationId, station.tenantId, lane, from, to));
      if (answer.status === 200) {
        const ack = (answer.body as { ackedThroughSeq: number }).ackedThroughSeq;
        if (ack < Math.max(to, ackedBefore)) regressions.push(`${laneKey}: ack ${ack} for ${from}-${to} after ${ackedBefore}`);
        highestAck.set(laneKey, Math.max(highestAck.get(laneKey) ?? 0, ack));
        acked = Math.max(acked, ack);
      } else if (answer.status === 409) {
        const expected = (answer.body as { error: { details: { expectedFromSeq: number } } }).error.details.expectedFromSeq;
        if (expected - 1 < ackedBefore) regressions.push(`${laneKey}: expectedFromSeq ${expected} after ack ${ackedBefore}`);
        acked = Math.max(acked, expected - 1);
      } else {
        throw new Error(`unexpected ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
    }
    return requests;
  }

  it('three stations relaying at once through two receivers: each seq stored once, no gaps', async () => {
    const stations: TestStation[] = [];
    for (const [index, tenantId] of ['north-co', 'north-co', 'south-co'].entries()) {
      const stationId = `pg-station-${index + 1}`;
      const { stationKey } = await addStation(sqlA, { stationId, tenantId });
      stations.push({ stationId, tenantId, key: stationKey });
    }
    const random = seededRandom(20_260_101);
    // Two racing workers per (station, lane): the same items sent at the same time to both receivers.
    const workers = stations.flatMap((station) => LANES.flatMap((lane) => [relayLane(station, lane, seededRandom(Math.floor(random() * 1e9))), relayLane(station, lane, seededRandom(Math.floor(random() * 1e9)))]));
    await Promise.all(workers);
    expect(regressions).toEqual([]);

    for (const station of stations) {
      const schema = `"${tenantSchemaName(station.tenantId)}"`;
      for (const lane of LANES) {
        const rows = await sqlB.query(`SELECT seq, data FROM ${schema}.items WHERE station_id = $1 AND lane = $2 ORDER BY seq`, [station.stationId, lane]);
        const seqs = rows.map((row) => toNumber(row['seq']));
        expect(seqs).toEqual(Array.from({ length: ITEMS_PER_LANE }, (_, index) => index + 1));
        expect(rows.every((row) => (row['data'] as { eventId: string }).eventId === `${station.stationId}-${lane}-${toNumber(row['seq'])}`)).toBe(true);
        const cursor = await sqlB.query(`SELECT acked_through_seq FROM ${schema}.lane_cursors WHERE station_id = $1 AND lane = $2`, [station.stationId, lane]);
        expect(toNumber(cursor[0]?.['acked_through_seq'])).toBe(ITEMS_PER_LANE);
      }
    }
    // Per-tenant schemas: south-co's schema holds only its station.
    const south = await sqlA.query(`SELECT DISTINCT station_id FROM "${tenantSchemaName('south-co')}".items`);
    expect(south.map((row) => row['station_id'])).toEqual(['pg-station-3']);
  });

  it('HQ restored from an older backup on PostgreSQL: the station learns HQ’s lower word and resends', async () => {
    const { stationKey } = await addStation(sqlA, { stationId: 'pg-restore', tenantId: 'north-co' });
    const schema = `"${tenantSchemaName('north-co')}"`;
    const [urlA = '', urlB = ''] = urls;
    expect((await postBatch(urlA, stationKey, 'pg-restore', makeBatch('pg-restore', 'north-co', 'notes', 1, 20))).body).toEqual({ lane: 'notes', ackedThroughSeq: 20 });
    await sqlA.transaction(async (tx) => {
      await tx.query(`DELETE FROM ${schema}.items WHERE station_id = 'pg-restore' AND lane = 'notes' AND seq > 12`);
      await tx.query(`UPDATE ${schema}.lane_cursors SET acked_through_seq = 12 WHERE station_id = 'pg-restore' AND lane = 'notes'`);
    });
    const next = await postBatch(urlB, stationKey, 'pg-restore', makeBatch('pg-restore', 'north-co', 'notes', 21, 25));
    expect(next.status).toBe(409);
    expect(next.body).toMatchObject({ error: { code: 'SEQ_GAP', details: { expectedFromSeq: 13, ackedThroughSeq: 12 } } });
    expect((await postBatch(urlB, stationKey, 'pg-restore', makeBatch('pg-restore', 'north-co', 'notes', 13, 25))).body).toEqual({ lane: 'notes', ackedThroughSeq: 25 });
    const count = await sqlA.query(`SELECT count(*) AS n, count(DISTINCT seq) AS d, max(seq) AS m FROM ${schema}.items WHERE station_id = 'pg-restore' AND lane = 'notes'`);
    expect(count[0]).toMatchObject({ n: '25', d: '25', m: '25' });
  });

  it('a photo upload started on one receiver resumes on the other from the byte HQ holds', async () => {
    const { stationKey } = await addStation(sqlA, { stationId: 'pg-photos', tenantId: 'south-co' });
    const [urlA = '', urlB = ''] = urls;
    const photo = randomBytes(300 * 1024);
    const sha = createHash('sha256').update(photo).digest('hex');
    expect((await putBlobRange(urlA, stationKey, 'pg-photos', sha, 0, photo.subarray(0, 123_456), photo.length)).status).toBe(200);
    const held = await headBlob(urlB, stationKey, 'pg-photos', sha);
    expect(held.headers.get('upload-offset')).toBe('123456');
    expect((await putBlobRange(urlB, stationKey, 'pg-photos', sha, 0, photo.subarray(0, 10), photo.length)).status).toBe(409);
    const done = await putBlobRange(urlB, stationKey, 'pg-photos', sha, 123_456, photo.subarray(123_456), photo.length);
    expect(done.body).toMatchObject({ heldBytes: photo.length, complete: true });
    const bad = createHash('sha256').update('not these bytes').digest('hex');
    expect((await putBlobRange(urlA, stationKey, 'pg-photos', bad, 0, photo.subarray(0, 1000), 1000)).status).toBe(422);
  });

  it('reference data written through one receiver’s database reaches a station through the other', async () => {
    const { stationKey } = await addStation(sqlA, { stationId: 'pg-updates', tenantId: 'south-co' });
    await upsertWell(sqlA, 'south-co', { wellId: 'S-1', name: 'South 1', primaryProduct: 'oil' });
    const first = await getUpdates(urls[1] ?? '', stationKey, 'pg-updates', '0');
    expect(first.body).toMatchObject({ wells: [{ wellId: 'S-1', primaryProduct: 'oil' }], policy: null });
    const cursor = (first.body as { nextCursor: string }).nextCursor;
    expect((await getUpdates(urls[0] ?? '', stationKey, 'pg-updates', cursor)).body).toMatchObject({ wells: [], nextCursor: cursor });
  });
  it('two receivers applying batches for the same keys at once end where a serial apply ends', async () => {
    const keys = new Map<string, string>();
    for (const stationId of RACE_STATIONS) keys.set(stationId, (await addStation(sqlA, { stationId, tenantId: 'race-co' })).stationKey);
    // Every station-lane relays at the same time, its chunks alternating between the receivers.
    const lanes = RACE_STATIONS.flatMap((stationId, index) => {
      const batches = raceBatches(stationId, index, 'race-co');
      return ['critical', 'production'].map((lane) => ({ stationId, batches: batches.filter((b) => b.lane === lane) }));
    });
    await Promise.all(
      lanes.map(async ({ stationId, batches }, worker) => {
        for (const [chunk, batch] of batches.entries()) {
          const answer = await postBatch(urls[(worker + chunk) % urls.length] ?? '', keys.get(stationId), stationId, batch);
          expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { lane: batch.lane, ackedThroughSeq: batch.toSeq } });
        }
      }),
    );
    const serial = await ensureTenant(sqlA, 'serial-co');
    for (const [index, stationId] of RACE_STATIONS.entries()) {
      for (const batch of raceBatches(stationId, index, 'serial-co')) expect(await applyBatch(sqlA, serial, batch)).toMatchObject({ ok: true });
    }

    const recordsOf = async (tenantId: string): Promise<unknown[]> =>
      (await sqlB.query(`SELECT record_key, status, value FROM "${tenantSchemaName(tenantId)}".records ORDER BY record_key`)).map((row) => [row['record_key'], row['status'], row['value']]);
    const openConflictsOf = async (tenantId: string): Promise<unknown[]> =>
      (await listConflicts(sqlB, tenantId))
        .filter((c) => c.isOpen)
        .map((c) => [c.recordKey, c.status, c.strategy, c.winner, c.candidates, c.stations])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const serialRecords = await recordsOf('serial-co');
    expect(serialRecords).toHaveLength(RACE_WELLS + RACE_WELLS / 3);
    expect(await recordsOf('race-co')).toEqual(serialRecords);
    const serialConflicts = await openConflictsOf('serial-co');
    expect(serialConflicts.filter((c) => (c as unknown[])[1] === 'PENDING_REVIEW').length).toBeGreaterThanOrEqual(RACE_WELLS / 3);
    expect(await openConflictsOf('race-co')).toEqual(serialConflicts);
    // The roaming tablet's events count once, whichever station's relay came first.
    const inputs = await sqlB.query(`SELECT count(*) AS n FROM "${tenantSchemaName('race-co')}".engine_inputs WHERE input_id LIKE 'roaming-%'`);
    expect(toNumber(inputs[0]?.['n'])).toBe(RACE_WELLS);
  });
});
