/**
 * HQ reads the relay's compact encoding (ADR 0006) next to protocol §5's gzip JSON, and
 * keeps the bytes of a blob PUT that the link cut short, over real HTTP on PGlite.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStation } from '../../hq/admin.ts';
import { readBlob } from '../../hq/blob-store.ts';
import { createPgliteSql, toNumber, type Sql } from '../../hq/db.ts';
import { migrate, tenantSchemaName } from '../../hq/schema.ts';
import { buildHqServer } from '../../hq/server.ts';
import { silentLogger } from '../../src/main/station/logger.ts';
import { COLUMNAR_CONTENT_TYPE, encodeColumnar } from '../../src/shared/protocol/columnar.ts';

let sql: Sql;
let app: FastifyInstance;
let url: string;

async function newStation(): Promise<{ stationId: string; key: string }> {
  const stationId = `st-${randomBytes(4).toString('hex')}`;
  return { stationId, key: (await addStation(sql, { stationId, tenantId: 'acme' })).stationKey };
}

function batchOf(stationId: string, lane: string, fromSeq: number, n: number): { stationId: string; tenantId: string; lane: string; fromSeq: number; toSeq: number; items: unknown[] } {
  const items = Array.from({ length: n }, (_, i) => ({
    seq: fromSeq + i,
    kind: 'event',
    at: new Date(Date.UTC(2026, 5, 10, 15, i)).toISOString(),
    data: { id: `ev-${fromSeq + i}`, type: 'WELL_READING_RECORDED', payload: { wellId: 'W-1', value: 100 + i, unit: 'psi' }, supersedes: [], result: { eventId: `ev-${fromSeq + i}`, status: 'APPLIED' } },
  }));
  return { stationId, tenantId: 'acme', lane, fromSeq, toSeq: fromSeq + n - 1, items };
}

async function post(station: { stationId: string; key: string }, body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${url}/api/v1/stations/${station.stationId}/batches`, { method: 'POST', headers: { authorization: `Bearer ${station.key}`, ...headers }, body });
  return { status: r.status, body: await r.json() };
}

async function stored(stationId: string, lane: string): Promise<unknown[]> {
  const rows = await sql.query(`SELECT seq, kind, at, data FROM "${tenantSchemaName('acme')}".items WHERE station_id = $1 AND lane = $2 ORDER BY seq`, [stationId, lane]);
  return rows.map((r) => ({ seq: toNumber(r['seq']), kind: r['kind'], at: r['at'], data: r['data'] }));
}

beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql);
  app = buildHqServer({ sql, logger: silentLogger() });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await sql.close();
});

describe('compact batches', () => {
  it('health announces the columnar encoding', async () => {
    expect(await (await fetch(`${url}/api/v1/health`)).json()).toMatchObject({ encodings: [COLUMNAR_CONTENT_TYPE] });
  });

  it('a columnar brotli batch is stored exactly as the same batch sent as gzip JSON', async () => {
    const a = await newStation();
    const b = await newStation();
    const plainA = batchOf(a.stationId, 'readings', 1, 40);
    const plainB = batchOf(b.stationId, 'readings', 1, 40);
    const columnar = await post(a, brotliCompressSync(JSON.stringify(encodeColumnar(plainA))), { 'content-type': COLUMNAR_CONTENT_TYPE, 'content-encoding': 'br' });
    const json = await post(b, gzipSync(JSON.stringify(plainB)), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(columnar).toEqual({ status: 200, body: { lane: 'readings', ackedThroughSeq: 40 } });
    expect(json).toEqual({ status: 200, body: { lane: 'readings', ackedThroughSeq: 40 } });
    expect(await stored(a.stationId, 'readings')).toEqual(plainA.items);
    expect(await stored(a.stationId, 'readings')).toEqual(await stored(b.stationId, 'readings'));
  });

  it('a malformed columnar batch or broken brotli gets 400 with a reason and stores nothing', async () => {
    const a = await newStation();
    const broken = { ...encodeColumnar(batchOf(a.stationId, 'notes', 1, 3)), n: 4 };
    const bad = await post(a, Buffer.from(JSON.stringify(broken)), { 'content-type': COLUMNAR_CONTENT_TYPE });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/columnar batch could not be read: .*3 values for 4 rows/) } });
    const notBrotli = await post(a, Buffer.from('this is not brotli at all'), { 'content-type': COLUMNAR_CONTENT_TYPE, 'content-encoding': 'br' });
    expect(notBrotli).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', message: expect.stringMatching(/not valid brotli/) } } });
    const unknown = await post(a, Buffer.from('{}'), { 'content-type': 'application/json', 'content-encoding': 'zstd' });
    expect(unknown).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_ENCODING' } } });
    expect(await stored(a.stationId, 'notes')).toEqual([]);
  });
});

describe('blob PUT cut short', () => {
  it('keeps the bytes that arrived before the connection dropped; the upload resumes from there', async () => {
    const a = await newStation();
    const photo = randomBytes(200_000);
    const sha = createHash('sha256').update(photo).digest('hex');
    const { port } = new URL(url);
    // A PUT of the whole photo whose connection ends after 120,000 bytes of body.
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('connect', () => {
        socket.write(
          `PUT /api/v1/stations/${a.stationId}/blobs/${sha} HTTP/1.1\r\nHost: hq\r\nAuthorization: Bearer ${a.key}\r\n` +
            `Content-Type: application/octet-stream\r\nContent-Range: bytes 0-${photo.length - 1}/${photo.length}\r\nContent-Length: ${photo.length}\r\n\r\n`,
        );
        // FIN, not RST: an RST may make the kernel drop bytes the server has not read yet.
        socket.end(photo.subarray(0, 120_000), () => resolve());
      });
    });
    const head = async (): Promise<number> => Number((await fetch(`${url}/api/v1/stations/${a.stationId}/blobs/${sha}`, { method: 'HEAD', headers: { authorization: `Bearer ${a.key}` } })).headers.get('upload-offset'));
    const until = Date.now() + 5_000;
    while ((await head()) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(await head()).toBe(120_000);
    socket.destroy();
    const rest = await fetch(`${url}/api/v1/stations/${a.stationId}/blobs/${sha}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${a.key}`, 'content-type': 'application/octet-stream', 'content-range': `bytes 120000-${photo.length - 1}/${photo.length}` },
      body: photo.subarray(120_000),
    });
    expect(await rest.json()).toMatchObject({ heldBytes: photo.length, complete: true });
    expect((await readBlob(sql, tenantSchemaName('acme'), a.stationId, sha))?.equals(photo)).toBe(true);
  });

  it('refuses a chunk larger than one PUT may carry before reading it', async () => {
    const a = await newStation();
    const sha = 'a'.repeat(64);
    const r = await fetch(`${url}/api/v1/stations/${a.stationId}/blobs/${sha}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${a.key}`, 'content-type': 'application/octet-stream', 'content-range': `bytes 0-${20 * 1024 * 1024 - 1}/${30 * 1024 * 1024}` },
      body: Buffer.alloc(10),
    });
    expect(r.status).toBe(413);
  });
});

describe('no key, no work', () => {
  it('refuses a batch without a valid key before reading its body', async () => {
    const a = await newStation();
    // Were the body read first, this malformed one would get 400: the 401 shows it was not looked at.
    const heavy = { v: 99, stationId: a.stationId, tenantId: 'acme', lane: 'notes', fromSeq: 1, toSeq: 1, n: 50_000, cols: [] };
    const r = await fetch(`${url}/api/v1/stations/${a.stationId}/batches`, { method: 'POST', headers: { authorization: 'Bearer not-a-key', 'content-type': COLUMNAR_CONTENT_TYPE }, body: JSON.stringify(heavy) });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });
});
