/**
 * Photos never hold up data (protocol §5, issue 6): on a slow emulated uplink, an
 * inspection docked while a large photo is uploading reaches HQ within seconds; the photo
 * upload is cut to make way and completes afterwards. (That HQ keeps the bytes of a cut PUT
 * is tested in hq-encoding.test.ts: here the emulator's buffers usually hold the whole PUT
 * already, so it lands whole.)
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addStation } from '../../hq/admin.ts';
import { createPgliteSql, type Sql } from '../../hq/db.ts';
import { migrate } from '../../hq/schema.ts';
import { buildHqServer } from '../../hq/server.ts';
import { createStation, type Station } from '../../src/main/station/create-station.ts';
import { createPairingCode } from '../../src/main/station/devices/device-auth.ts';
import { silentLogger } from '../../src/main/station/logger.ts';
import { createSatLink } from '../../tools/sat-link/sat-link.ts';
import { ev } from '../support/events.ts';
import { Tablet } from '../support/lan-client.ts';
import { makeTempDir } from '../support/temp-store.ts';

const SUPERVISOR = { username: 'marta', role: 'supervisor' as const };
let sql: Sql;
let hq: FastifyInstance;
let link: Awaited<ReturnType<typeof createSatLink>>;
let station: Station;
let lan: string;

beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql);
  hq = buildHqServer({ sql, logger: silentLogger() });
  const hqPort = Number(new URL(await hq.listen({ host: '127.0.0.1', port: 0 })).port);
  // 400 kbit/s up: a 600 KB photo takes about 12 s.
  link = await createSatLink({ targetHost: '127.0.0.1', targetPort: hqPort, profile: 'perfect', overrides: { oneWayLatencyMs: 50, upBitsPerSecond: 400_000, downBitsPerSecond: 2_000_000 }, seed: 3 });
  station = createStation({ dataDir: makeTempDir(), lanHost: '127.0.0.1', lanPort: 0, uiPort: 0, logger: silentLogger(), timeZone: 'America/Denver', staticDir: null });
  lan = (await station.start()).lan;
  const { stationKey } = await addStation(sql, { stationId: station.identity.stationId, tenantId: 'default' });
  await station.api.updateSettings({ hqUrl: `http://127.0.0.1:${link.port}`, hqKey: stationKey }, SUPERVISOR);
}, 60_000);

afterAll(async () => {
  await station.stop();
  await link.close();
  await hq.close();
  await sql.close();
});

async function hqHas(sqlText: string, params: unknown[]): Promise<boolean> {
  return (await sql.query(sqlText, params)).length > 0;
}

it('an inspection docked during a photo upload goes first; the photo completes afterwards', async () => {
  const stationId = station.identity.stationId;
  const photo = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), randomBytes(600_000)]);
  const sha = createHash('sha256').update(photo).digest('hex');
  const t = new Tablet(lan, 'tab-A');
  await t.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  expect((await fetch(`${lan}/api/v1/photos/${sha}`, { method: 'PUT', headers: t.headers({ 'content-type': 'application/octet-stream' }), body: photo })).status).toBe(201);
  await t.sync([ev.photo({ sha256: sha })]);
  // Wait until the photo is well under way: HQ has seen its PUT begin.
  const started = Date.now();
  while (link.stats().bytesUp < 150_000 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
  expect(link.stats().bytesUp).toBeGreaterThanOrEqual(150_000);
  const docked = Date.now();
  await t.sync([ev.inspection({ result: 'FAIL', wellId: 'W-9' }, { id: 'urgent-inspection' })]);
  while (!(await hqHas("SELECT 1 FROM tenant_default.items WHERE station_id = $1 AND lane = 'critical' AND data->>'id' = 'urgent-inspection'", [stationId])) && Date.now() - docked < 20_000) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const criticalMs = Date.now() - docked;
  // Far sooner than the ~8 s the rest of the photo needs on this link.
  expect(criticalMs).toBeLessThan(4_000);
  expect(await hqHas("SELECT 1 FROM tenant_default.blobs WHERE station_id = $1 AND sha256 = $2 AND complete", [stationId, sha])).toBe(false);
  // Then the photo finishes and its metadata follows its bytes.
  const until = Date.now() + 40_000;
  while (!(await hqHas("SELECT 1 FROM tenant_default.items WHERE station_id = $1 AND lane = 'photos'", [stationId])) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  expect(await hqHas('SELECT 1 FROM tenant_default.blobs WHERE station_id = $1 AND sha256 = $2 AND complete', [stationId, sha])).toBe(true);
  expect((await station.api.getRelayStatus({}, SUPERVISOR)).queue).toEqual({ critical: 0, production: 0, readings: 0, notes: 0, photos: 0 });
}, 90_000);
