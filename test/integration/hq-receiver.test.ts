/**
 * The HQ receiver (protocol §5) on PGlite in memory, over real HTTP on 127.0.0.1.
 * One PGlite instance for the file (a fresh one takes 6–7 s); each test uses its own stations.
 */
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStation, setPolicy, upsertReference, upsertWell } from '../../hq/admin.ts';
import { readBlob } from '../../hq/blob-store.ts';
import { createPgliteSql, toNumber, type Sql, type SqlExecutor } from '../../hq/db.ts';
import { getUpdates, headBlob, makeBatch, postBatch, putBlobRange } from '../../hq/hq-client.ts';
import { migrate, tenantSchemaName } from '../../hq/schema.ts';
import { buildHqServer } from '../../hq/server.ts';

let sql: Sql;
let app: FastifyInstance;
let url: string;
let stationCounter = 0;

/** When set, the items INSERT of the next batch fails inside its transaction. */
let failNextItemsInsert = false;

/** The real database, with a switch that breaks the items INSERT (a crash between insert and commit). */
function withInjectedFailure(inner: Sql): Sql {
  const wrap = (tx: SqlExecutor): SqlExecutor => ({
    async query(text, params) {
      if (failNextItemsInsert && /INSERT INTO \S+\.items/.test(text)) {
        failNextItemsInsert = false;
        throw new Error('injected failure before COMMIT');
      }
      return tx.query(text, params);
    },
  });
  return { kind: inner.kind, query: (text, params) => inner.query(text, params), transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))), close: () => inner.close() };
}

async function newStation(tenantId = 'acme'): Promise<{ stationId: string; tenantId: string; key: string }> {
  stationCounter += 1;
  const stationId = `st-${stationCounter}-${randomBytes(3).toString('hex')}`;
  const { stationKey } = await addStation(sql, { stationId, tenantId });
  return { stationId, tenantId, key: stationKey };
}

async function laneItems(tenantId: string, stationId: string, lane: string): Promise<{ seq: number; data: unknown }[]> {
  const rows = await sql.query(`SELECT seq, data FROM "${tenantSchemaName(tenantId)}".items WHERE station_id = $1 AND lane = $2 ORDER BY seq`, [stationId, lane]);
  return rows.map((row) => ({ seq: toNumber(row['seq']), data: row['data'] }));
}

beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql);
  app = buildHqServer({ sql: withInjectedFailure(sql), logger: pino({ level: 'silent' }) });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await sql?.close();
});

describe('HQ receiver (PGlite)', () => {
  it('answers health without a key', async () => {
    const response = await fetch(`${url}/api/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', protocol: 1 });
  });

  it('refuses a missing or unknown key with 401 and another station’s key with 403', async () => {
    const a = await newStation();
    const b = await newStation();
    const batch = makeBatch(a.stationId, a.tenantId, 'critical', 1, 2);
    const none = await postBatch(url, undefined, a.stationId, batch);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect((await postBatch(url, 'hqk_not-a-key', a.stationId, batch)).status).toBe(401);
    const other = await postBatch(url, b.key, a.stationId, batch);
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await headBlob(url, b.key, a.stationId, '0'.repeat(64))).status).toBe(403);
    expect((await getUpdates(url, b.key, a.stationId, '0')).status).toBe(403);
    const wrongTenant = await postBatch(url, a.key, a.stationId, { ...batch, tenantId: 'someone-else' });
    expect(wrongTenant.status).toBe(403);
    expect(await laneItems(a.tenantId, a.stationId, 'critical')).toEqual([]);
  });

  it('a re-issued key replaces the old one at once', async () => {
    const a = await newStation();
    const { stationKey } = await addStation(sql, { stationId: a.stationId, tenantId: a.tenantId });
    expect((await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'notes', 1, 1))).status).toBe(401);
    expect((await postBatch(url, stationKey, a.stationId, makeBatch(a.stationId, a.tenantId, 'notes', 1, 1))).status).toBe(200);
  });

  it('rejects a malformed batch with 400 and the error shape, storing nothing', async () => {
    const a = await newStation();
    const good = makeBatch(a.stationId, a.tenantId, 'readings', 1, 3);
    const holes = { ...good, items: [good.items[0], good.items[2], good.items[1]] };
    const cases: unknown[] = [{ ...good, lane: 'gossip' }, { ...good, toSeq: 7 }, holes, { ...good, items: [] }, { ...good, fromSeq: 0 }, 'not an object'];
    for (const body of cases) {
      const answer = await postBatch(url, a.key, a.stationId, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    const notGzip = await fetch(`${url}/api/v1/stations/${a.stationId}/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.key}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: Buffer.from(JSON.stringify(good)),
    });
    expect(notGzip.status).toBe(400);
    expect(await laneItems(a.tenantId, a.stationId, 'readings')).toEqual([]);
    // Plain JSON (no Content-Encoding) is accepted too.
    expect((await postBatch(url, a.key, a.stationId, good, { gzip: false })).body).toEqual({ lane: 'readings', ackedThroughSeq: 3 });
  });

  it('limits the body after decompression', async () => {
    const a = await newStation();
    const huge = makeBatch(a.stationId, a.tenantId, 'notes', 1, 1);
    const item = huge.items[0];
    if (item === undefined) throw new Error('no item');
    item.data = { text: 'x'.repeat(40 * 1024 * 1024) };
    const compressed = gzipSync(Buffer.from(JSON.stringify(huge)));
    expect(compressed.length).toBeLessThan(1024 * 1024);
    const response = await fetch(`${url}/api/v1/stations/${a.stationId}/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.key}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: compressed,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('applies each (station, lane, seq) once whatever is resent', async () => {
    const a = await newStation();
    const first = makeBatch(a.stationId, a.tenantId, 'production', 1, 5);
    expect((await postBatch(url, a.key, a.stationId, first)).body).toEqual({ lane: 'production', ackedThroughSeq: 5 });
    // The same seqs with other contents: HQ keeps what it applied first.
    const tampered = { ...first, items: first.items.map((item) => ({ ...item, data: { changed: true } })) };
    expect((await postBatch(url, a.key, a.stationId, tampered)).body).toEqual({ lane: 'production', ackedThroughSeq: 5 });
    expect((await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'production', 3, 8))).body).toEqual({ lane: 'production', ackedThroughSeq: 8 });
    // An old batch, wholly acked, answers the cumulative ack.
    expect((await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'production', 2, 4))).body).toEqual({ lane: 'production', ackedThroughSeq: 8 });
    const items = await laneItems(a.tenantId, a.stationId, 'production');
    expect(items.map((item) => item.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(items[2]?.data).toEqual({ eventId: `${a.stationId}-production-3`, value: 3 });
    // Lanes are independent.
    expect((await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'critical', 1, 1))).body).toEqual({ lane: 'critical', ackedThroughSeq: 1 });
  });

  it('answers SEQ_GAP with expectedFromSeq for a batch that starts past the next expected seq', async () => {
    const a = await newStation();
    expect((await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'readings', 1, 3))).status).toBe(200);
    const gap = await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'readings', 6, 8));
    expect(gap.status).toBe(409);
    expect(gap.body).toMatchObject({ error: { code: 'SEQ_GAP', message: expect.any(String), details: { expectedFromSeq: 4 } } });
    expect((await laneItems(a.tenantId, a.stationId, 'readings')).map((item) => item.seq)).toEqual([1, 2, 3]);
    const fresh = await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'notes', 2, 3));
    expect(fresh.body).toMatchObject({ error: { code: 'SEQ_GAP', details: { expectedFromSeq: 1 } } });
  });

  it('acknowledges only what committed: a failure before COMMIT stores nothing and acks nothing', async () => {
    const a = await newStation();
    expect((await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'critical', 1, 2))).status).toBe(200);
    failNextItemsInsert = true;
    const failed = await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'critical', 3, 6));
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ error: { code: 'INTERNAL' } });
    expect((await laneItems(a.tenantId, a.stationId, 'critical')).map((item) => item.seq)).toEqual([1, 2]);
    // The cursor did not move: a later batch is a gap, the resend is applied.
    expect((await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'critical', 7, 7))).body).toMatchObject({ error: { details: { expectedFromSeq: 3 } } });
    const resent = await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'critical', 3, 6));
    expect(resent.body).toEqual({ lane: 'critical', ackedThroughSeq: 6 });
    // What an ack covers is in the database when the answer arrives.
    expect((await laneItems(a.tenantId, a.stationId, 'critical')).map((item) => item.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('HQ restored from an older backup: its word is lower than what was sent, and the resend fills the hole once', async () => {
    const a = await newStation();
    expect((await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'production', 1, 10))).body).toEqual({ lane: 'production', ackedThroughSeq: 10 });
    // The restore: the lane's tail (6–10) and its cursor go back to seq 5.
    const schema = `"${tenantSchemaName(a.tenantId)}"`;
    await sql.query(`DELETE FROM ${schema}.items WHERE station_id = $1 AND lane = 'production' AND seq > 5`, [a.stationId]);
    await sql.query(`UPDATE ${schema}.lane_cursors SET acked_through_seq = 5 WHERE station_id = $1 AND lane = 'production'`, [a.stationId]);
    // The station's next batch (11–12) learns that HQ holds only through 5.
    const next = await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'production', 11, 12));
    expect(next.status).toBe(409);
    expect(next.body).toMatchObject({ error: { code: 'SEQ_GAP', details: { expectedFromSeq: 6, ackedThroughSeq: 5 } } });
    // A batch that overlaps the hole is applied from HQ's cursor on.
    const resend = await postBatch(url, a.key, a.stationId, makeBatch(a.stationId, a.tenantId, 'production', 4, 12));
    expect(resend.body).toEqual({ lane: 'production', ackedThroughSeq: 12 });
    const seqs = (await laneItems(a.tenantId, a.stationId, 'production')).map((item) => item.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('resumes a blob upload across two PUTs, refusing a wrong offset and checking the hash', async () => {
    const a = await newStation();
    const photo = randomBytes(300 * 1024);
    const sha = createHash('sha256').update(photo).digest('hex');
    const before = await headBlob(url, a.key, a.stationId, sha);
    expect(before.status).toBe(200);
    expect(before.headers.get('upload-offset')).toBe('0');
    const firstPart = await putBlobRange(url, a.key, a.stationId, sha, 0, photo.subarray(0, 100_000), photo.length);
    expect(firstPart.status).toBe(200);
    expect(firstPart.body).toMatchObject({ heldBytes: 100_000, complete: false });
    // The link dropped; the station guesses wrong about where it stopped.
    const wrong = await putBlobRange(url, a.key, a.stationId, sha, 150_000, photo.subarray(150_000), photo.length);
    expect(wrong.status).toBe(409);
    expect(wrong.body).toMatchObject({ error: { code: 'OFFSET_MISMATCH', details: { heldBytes: 100_000 } } });
    expect(wrong.headers.get('upload-offset')).toBe('100000');
    const held = await headBlob(url, a.key, a.stationId, sha);
    expect(held.headers.get('upload-offset')).toBe('100000');
    expect(held.headers.get('upload-length')).toBe(String(photo.length));
    expect(held.headers.get('upload-complete')).toBe('?0');
    const rest = await putBlobRange(url, a.key, a.stationId, sha, 100_000, photo.subarray(100_000), photo.length);
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ heldBytes: photo.length, complete: true });
    expect((await headBlob(url, a.key, a.stationId, sha)).headers.get('upload-complete')).toBe('?1');
    expect((await readBlob(sql, tenantSchemaName(a.tenantId), a.stationId, sha))?.equals(photo)).toBe(true);
    // A resend of a complete blob changes nothing.
    expect((await putBlobRange(url, a.key, a.stationId, sha, 0, photo.subarray(0, 10), photo.length)).body).toMatchObject({ complete: true });
  });

  it('refuses a blob whose bytes do not match its name with 422 HASH_MISMATCH and drops them', async () => {
    const a = await newStation();
    const bytes = randomBytes(5000);
    const claimed = createHash('sha256').update('something else').digest('hex');
    expect((await putBlobRange(url, a.key, a.stationId, claimed, 0, bytes.subarray(0, 2000), bytes.length)).status).toBe(200);
    const bad = await putBlobRange(url, a.key, a.stationId, claimed, 2000, bytes.subarray(2000), bytes.length);
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error: { code: 'HASH_MISMATCH' } });
    expect((await headBlob(url, a.key, a.stationId, claimed)).headers.get('upload-offset')).toBe('0');
    const badRange = await fetch(`${url}/api/v1/stations/${a.stationId}/blobs/${claimed}`, { method: 'PUT', headers: { authorization: `Bearer ${a.key}`, 'content-range': 'bytes 0-9/5' }, body: bytes.subarray(0, 10) });
    expect(badRange.status).toBe(400);
  });

  it('sends reference data, policy and decisions down from a cursor', async () => {
    const a = await newStation('updates-co');
    await upsertWell(sql, a.tenantId, { wellId: 'W-1', name: 'North 1', primaryProduct: 'oil' });
    await upsertWell(sql, a.tenantId, { wellId: 'W-2', name: 'North 2', primaryProduct: 'gas' });
    await upsertReference(sql, a.tenantId, 'equipment', 'PUMP-1', { wellId: 'W-1', name: 'Pump jack' });
    await upsertReference(sql, a.tenantId, 'operators', 'op-7', { name: 'Dana' });
    await upsertReference(sql, a.tenantId, 'decisions', 'conflict-1', { chosenEventId: 'e-1', decidedBy: 'hq-admin' });
    await setPolicy(sql, a.tenantId, { production: 'HIGHEST_VALUE' });
    const all = await getUpdates(url, a.key, a.stationId, '0');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      wells: [
        { wellId: 'W-1', name: 'North 1', primaryProduct: 'oil' },
        { wellId: 'W-2', name: 'North 2', primaryProduct: 'gas' },
      ],
      equipment: [{ equipmentId: 'PUMP-1', wellId: 'W-1' }],
      operators: [{ operatorId: 'op-7', name: 'Dana' }],
      policy: { production: 'HIGHEST_VALUE' },
      decisions: [{ conflictId: 'conflict-1', chosenEventId: 'e-1' }],
    });
    const cursor = (all.body as { nextCursor: string }).nextCursor;
    expect((await getUpdates(url, a.key, a.stationId, cursor)).body).toEqual({ wells: [], equipment: [], operators: [], policy: null, decisions: [], nextCursor: cursor });
    await upsertWell(sql, a.tenantId, { wellId: 'W-2', name: 'North 2 (renamed)', primaryProduct: 'gas' });
    const later = await getUpdates(url, a.key, a.stationId, cursor);
    expect(later.body).toMatchObject({ wells: [{ wellId: 'W-2', name: 'North 2 (renamed)' }], equipment: [], policy: null });
    expect((await getUpdates(url, a.key, a.stationId, 'abc')).status).toBe(400);
    // Another tenant sees none of it.
    const b = await newStation('other-co');
    expect((await getUpdates(url, b.key, b.stationId, '0')).body).toMatchObject({ wells: [], nextCursor: '0' });
  });
});
