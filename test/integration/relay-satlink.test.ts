/**
 * Station → emulated satellite link → HQ: a link that drops out for a while and resets
 * connections in mid-request. Afterwards HQ holds every outbox item exactly once, with
 * no gap in any lane, and the station's queue is empty (protocol §5).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPairingCode } from '../../src/main/station/devices/device-auth.ts';
import { ev } from '../support/events.ts';
import { Tablet } from '../support/lan-client.ts';
import { startRelayRig, SUPERVISOR, type RelayRig } from '../support/relay-rig.ts';

let rig: RelayRig;

beforeAll(async () => {
  rig = await startRelayRig({
    profile: 'perfect',
    overrides: { oneWayLatencyMs: 20, upBitsPerSecond: 4_000_000, downBitsPerSecond: 8_000_000, resetProbability: 0.3, resetAfterMinBytes: 300, resetAfterMaxBytes: 5_000, stallResetMs: 500 },
    seed: 7,
  });
}, 60_000);

afterAll(async () => {
  await rig.close();
});

it('after an outage and mid-request resets, HQ holds every item exactly once with no gaps', async () => {
  const tablets = await Promise.all(
    ['tab-A', 'tab-B', 'tab-C'].map(async (id) => {
      const t = new Tablet(rig.lan, id);
      await t.pair(createPairingCode(rig.station.db, { now: new Date(), actor: 'test' }).code);
      return t;
    }),
  );
  const dock = async (round: number): Promise<void> => {
    for (const [i, t] of tablets.entries()) {
      await t.sync(
        Array.from({ length: 100 }, (_, j) => {
          const well = `W-${(j % 25) + round * 25}`;
          const hour = `2026-06-10T${String(14 + (j % 6)).padStart(2, '0')}:0${i}:00.000Z`;
          return j % 3 === 0 ? ev.production({ wellId: well, oilBbl: 100 + i, measuredAt: hour }) : j % 3 === 1 ? ev.reading({ wellId: well, value: 500 + i, measuredAt: hour }) : ev.note({ wellId: well, text: `r${round} t${i} n${j}`, notedAt: hour });
        }),
      );
    }
  };
  await dock(0);
  rig.link.setOnline(false);
  await dock(1);
  await new Promise((r) => setTimeout(r, 1_500));
  rig.link.setOnline(true);
  await dock(2);

  const stationId = rig.station.identity.stationId;
  const expected = (): Record<string, number> =>
    Object.fromEntries((rig.station.db.prepare('SELECT lane, max(seq) AS max FROM outbox GROUP BY lane').all() as { lane: string; max: number }[]).map((r) => [r.lane, r.max]));
  const held = async (): Promise<Record<string, { n: number; max: number }>> =>
    Object.fromEntries(
      (await rig.sql.query('SELECT lane, count(*) AS n, max(seq) AS max FROM tenant_default.items WHERE station_id = $1 GROUP BY lane', [stationId])).map((r) => [String(r['lane']), { n: Number(r['n']), max: Number(r['max']) }]),
    );
  const until = Date.now() + 120_000;
  for (;;) {
    const h = await held();
    const queue = (await rig.station.api.getRelayStatus({}, SUPERVISOR)).queue;
    if (Object.entries(expected()).every(([lane, max]) => h[lane]?.max === max) && Object.values(queue).every((n) => n === 0)) break;
    if (Date.now() > until) throw new Error(`not drained: ${JSON.stringify(h)} vs ${JSON.stringify(expected())}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const [lane, { n, max }] of Object.entries(await held())) expect({ lane, n }).toEqual({ lane, n: max });
  const stats = rig.link.stats();
  expect(stats.connectionsReset + stats.connectionsRefused).toBeGreaterThan(0);
  expect((await rig.station.api.getRelayStatus({}, SUPERVISOR)).queue).toEqual({ critical: 0, production: 0, readings: 0, notes: 0, photos: 0 });
}, 180_000);
