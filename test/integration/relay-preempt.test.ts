/**
 * Photos never hold up data (protocol §5, issue 6): on a slow emulated uplink, an
 * inspection docked while a large photo is uploading reaches HQ within seconds; the photo
 * upload is cut to make way and completes afterwards. (That HQ keeps the bytes of a cut PUT
 * is tested in hq-encoding.test.ts: here the emulator's buffers usually hold the whole PUT
 * already, so it lands whole.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPairingCode } from '../../src/main/station/devices/device-auth.ts';
import { ev } from '../support/events.ts';
import { Tablet } from '../support/lan-client.ts';
import { startRelayRig, SUPERVISOR, type RelayRig } from '../support/relay-rig.ts';

let rig: RelayRig;

beforeAll(async () => {
  // 400 kbit/s up: a 600 KB photo takes about 12 s.
  rig = await startRelayRig({ profile: 'perfect', overrides: { oneWayLatencyMs: 50, upBitsPerSecond: 400_000, downBitsPerSecond: 2_000_000 }, seed: 3 });
}, 60_000);

afterAll(async () => {
  await rig.close();
});

async function hqHas(sqlText: string, params: unknown[]): Promise<boolean> {
  return (await rig.sql.query(sqlText, params)).length > 0;
}

it('an inspection docked during a photo upload goes first; the photo completes afterwards', async () => {
  const stationId = rig.station.identity.stationId;
  const photo = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), randomBytes(600_000)]);
  const sha = createHash('sha256').update(photo).digest('hex');
  const t = new Tablet(rig.lan, 'tab-A');
  await t.pair(createPairingCode(rig.station.db, { now: new Date(), actor: 'test' }).code);
  expect((await fetch(`${rig.lan}/api/v1/photos/${sha}`, { method: 'PUT', headers: t.headers({ 'content-type': 'application/octet-stream' }), body: photo })).status).toBe(201);
  await t.sync([ev.photo({ sha256: sha })]);
  // Wait until the photo is well under way: HQ has seen its PUT begin.
  const started = Date.now();
  while (rig.link.stats().bytesUp < 150_000 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
  expect(rig.link.stats().bytesUp).toBeGreaterThanOrEqual(150_000);
  const docked = Date.now();
  await t.sync([ev.inspection({ result: 'FAIL', wellId: 'W-9' }, { id: 'urgent-inspection' })]);
  while (!(await hqHas("SELECT 1 FROM tenant_default.items WHERE station_id = $1 AND lane = 'critical' AND data->>'id' = 'urgent-inspection'", [stationId])) && Date.now() - docked < 20_000) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const criticalMs = Date.now() - docked;
  // Far sooner than the ~8 s the rest of the photo needs on this rig.link.
  expect(criticalMs).toBeLessThan(4_000);
  expect(await hqHas("SELECT 1 FROM tenant_default.blobs WHERE station_id = $1 AND sha256 = $2 AND complete", [stationId, sha])).toBe(false);
  // Then the photo finishes and its metadata follows its bytes.
  const until = Date.now() + 40_000;
  while (!(await hqHas("SELECT 1 FROM tenant_default.items WHERE station_id = $1 AND lane = 'photos'", [stationId])) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  expect(await hqHas('SELECT 1 FROM tenant_default.blobs WHERE station_id = $1 AND sha256 = $2 AND complete', [stationId, sha])).toBe(true);
  // HQ's answer reaches the station a moment after HQ committed.
  const acked = Date.now() + 10_000;
  while ((await rig.station.api.getRelayStatus({}, SUPERVISOR)).queue.photos > 0 && Date.now() < acked) await new Promise((r) => setTimeout(r, 100));
  expect((await rig.station.api.getRelayStatus({}, SUPERVISOR)).queue).toEqual({ critical: 0, production: 0, readings: 0, notes: 0, photos: 0 });
}, 90_000);
