/**
 * Crash test (protocol §2, §3: "no acknowledged event is ever lost, even on SIGKILL").
 * Tablets dock continuously while the station is killed with SIGKILL at random moments
 * and restarted on the same data dir. Afterwards every acknowledged event is held exactly
 * once, the unacknowledged ones arrive on resend, the audit chain verifies and the
 * projection equals a rebuild from the history.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { mulberry32 } from '../support/pure-station.ts';
import { ev } from '../support/events.ts';
import { Tablet } from '../support/lan-client.ts';
import { runCli, serve } from '../support/cli-process.ts';
import { makeTempDir } from '../support/temp-store.ts';

const ROUNDS = 5;
const TABLETS = 4;

interface Batch {
  device: string;
  batchId: string;
  events: Record<string, unknown>[];
}

function makeBatch(device: string, n: number, random: () => number): Batch {
  const events = Array.from({ length: 40 }, (_, i) => {
    const well = `W-${Math.floor(random() * 30)}`;
    const hour = String(13 + Math.floor(random() * 8)).padStart(2, '0');
    const kind = Math.floor(random() * 3);
    const id = { id: `${device}-b${n}-e${i}`, operatorId: `op-${device}` };
    if (kind === 0) return ev.production({ wellId: well, oilBbl: 100 + Math.floor(random() * 20), measuredAt: `2026-06-10T${hour}:00:00.000Z` }, id);
    if (kind === 1) return ev.reading({ wellId: well, value: 500 + Math.floor(random() * 50), measuredAt: `2026-06-10T${hour}:00:00.000Z` }, id);
    return ev.note({ wellId: well, text: `note ${n}/${i}`, notedAt: `2026-06-10T${hour}:00:00.000Z` }, id);
  });
  return { device, batchId: `${device}-b${n}`, events };
}

it('no acknowledged event is lost or doubled across SIGKILLs; unacknowledged ones arrive on resend', async () => {
  const dir = makeTempDir();
  const random = mulberry32(20261129);
  const acknowledged = new Set<string>();
  const pending: Batch[] = [];
  const tablets = new Map<string, Tablet>();
  let counter = 0;
  let kills = 0;

  for (let round = 0; round < ROUNDS; round++) {
    const served = await serve(dir);
    for (let t = 0; t < TABLETS && round === 0; t++) {
      const tablet = new Tablet(served.lan, `tab-${t}`);
      const paired = await tablet.pair((await runCli(['pairing-code', '--data-dir', dir])).stdout.trim());
      if (paired.status !== 201) throw new Error(`pairing failed: ${paired.status}`);
      tablets.set(tablet.deviceId, tablet);
    }
    for (const tablet of tablets.values()) tablet.lanUrl = served.lan;
    let alive = true;
    const dock = async (tablet: Tablet): Promise<void> => {
      while (alive) {
        const batch = pending.find((b) => b.device === tablet.deviceId) ?? makeBatch(tablet.deviceId, counter++, random);
        if (!pending.includes(batch)) pending.push(batch);
        try {
          const r = await tablet.sync(batch.events, { batchId: batch.batchId, gzip: true });
          if (r.status !== 200) throw new Error(`status ${r.status}`);
          for (const id of r.body['syncedEventIds'] as string[]) acknowledged.add(id);
          pending.splice(pending.indexOf(batch), 1);
        } catch {
          return; // connection dropped: the batch stays pending, as on a tablet
        }
      }
    };
    const docking = [...tablets.values()].map((t) => dock(t));
    await new Promise((r) => setTimeout(r, 150 + Math.floor(random() * 600)));
    served.child.kill('SIGKILL');
    kills++;
    await served.exited;
    alive = false;
    await Promise.all(docking);
  }

  // Restart once more and resend everything that was never acknowledged.
  const served = await serve(dir);
  for (const batch of pending) {
    const tablet = tablets.get(batch.device);
    if (tablet === undefined) throw new Error('unknown tablet');
    tablet.lanUrl = served.lan;
    const r = await tablet.sync(batch.events, { batchId: batch.batchId });
    expect(r.status).toBe(200);
    for (const res of r.body['results'] as { status: string }[]) expect(res.status).not.toBe('REJECTED');
    for (const id of r.body['syncedEventIds'] as string[]) acknowledged.add(id);
  }
  served.child.kill('SIGTERM');
  expect(await served.exited).toBe(0);

  expect(kills).toBe(ROUNDS);
  expect(acknowledged.size).toBeGreaterThan(100);
  const db = new Database(join(dir, 'station.db'), { readonly: true });
  const held = db.prepare("SELECT id, count(*) AS n FROM events WHERE kind = 'event' GROUP BY id").all() as { id: string; n: number }[];
  db.close();
  expect(held.filter((h) => h.n !== 1)).toEqual([]);
  const heldIds = new Set(held.map((h) => h.id));
  expect([...acknowledged].filter((id) => !heldIds.has(id))).toEqual([]);
  expect(heldIds.size).toBe(acknowledged.size);
  expect((await runCli(['audit', 'verify', '--data-dir', dir])).code).toBe(0);
  expect(await runCli(['rebuild', '--data-dir', dir])).toMatchObject({ code: 0 });
}, 120_000);
