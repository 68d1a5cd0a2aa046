/**
 * The station relaying to an HQ that implements protocol §5 and nothing more: its health
 * announces no compact encoding, so batches go as gzip JSON, exactly the shape §5 gives.
 * Also: the bytes counted today survive a restart of the station (the budget holds).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStation, type Station } from '../../src/main/station/create-station.ts';
import { createPairingCode } from '../../src/main/station/devices/device-auth.ts';
import { silentLogger } from '../../src/main/station/logger.ts';
import { OutboxSource } from '../../src/main/station/relay/outbox-source.ts';
import { LANES } from '../../src/shared/protocol/sync.ts';
import { ev } from '../support/events.ts';
import { Tablet } from '../support/lan-client.ts';
import { makeTempDir } from '../support/temp-store.ts';

const SUPERVISOR = { username: 'marta', role: 'supervisor' as const };
interface Received {
  contentType: string | undefined;
  contentEncoding: string | undefined;
  body: { lane: string; fromSeq: number; toSeq: number; items: { seq: number }[] };
}
const received: Received[] = [];
const held: Record<string, number> = {};
/** Body bytes of every batch HQ received. */
let receivedBytes = 0;
let hq: Server;
let hqUrl: string;
let dataDir: string;
let station: Station;
let lan: string;

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** Protocol §5 as written: health, batches with cumulative acks, nothing else. */
function protocolOnlyHq(): Server {
  return createServer((req, res) => {
    void (async () => {
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (req.url === '/api/v1/health') return send(200, { status: 'ok' });
      if (req.method === 'POST' && /^\/api\/v1\/stations\/[^/]+\/batches$/.test(req.url ?? '')) {
        const raw = await bodyOf(req);
        receivedBytes += raw.length;
        const body = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')) as Received['body'];
        received.push({ contentType: req.headers['content-type'], contentEncoding: req.headers['content-encoding'], body });
        const acked = held[body.lane] ?? 0;
        if (body.fromSeq > acked + 1) return send(409, { error: { code: 'SEQ_GAP', message: 'gap', details: { expectedFromSeq: acked + 1 } } });
        held[body.lane] = Math.max(acked, body.toSeq);
        return send(200, { lane: body.lane, ackedThroughSeq: held[body.lane] });
      }
      if (req.url?.includes('/updates')) return send(200, { wells: [], equipment: [], operators: [], policy: null, decisions: [], nextCursor: '0' });
      return send(404, { error: { code: 'NOT_FOUND', message: 'no' } });
    })();
  });
}

function open(): Station {
  return createStation({ dataDir, lanHost: '127.0.0.1', lanPort: 0, uiPort: 0, logger: silentLogger(), timeZone: 'America/Denver', staticDir: null });
}

beforeAll(async () => {
  hq = protocolOnlyHq();
  await new Promise<void>((resolve) => hq.listen(0, '127.0.0.1', resolve));
  const address = hq.address();
  hqUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  dataDir = makeTempDir();
  station = open();
  lan = (await station.start()).lan;
  await station.api.updateSettings({ hqUrl, hqKey: 'key-from-hq' }, SUPERVISOR);
}, 60_000);

afterAll(async () => {
  await station.stop();
  await new Promise((resolve) => hq.close(resolve));
});

it('sends gzip JSON batches of protocol §5 to an HQ that announces no compact encoding', async () => {
  const t = new Tablet(lan, 'tab-A');
  await t.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  await t.sync([ev.production({ oilBbl: 100 }), ev.reading({ value: 5 }), ev.note({ text: 'plain' }), ev.inspection({ result: 'PASS' })]);
  const source = new OutboxSource(station.db);
  const until = Date.now() + 15_000;
  while (LANES.some((lane) => (held[lane] ?? 0) < source.lastSeq(lane)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  for (const lane of LANES) expect({ lane, held: held[lane] ?? 0 }).toEqual({ lane, held: source.lastSeq(lane) });
  expect(received.length).toBeGreaterThan(0);
  for (const r of received) {
    expect({ type: r.contentType, encoding: r.contentEncoding }).toEqual({ type: 'application/json', encoding: 'gzip' });
    expect(r.body.items).toEqual(source.read(r.body.lane as (typeof LANES)[number], r.body.fromSeq, r.body.toSeq - r.body.fromSeq + 1));
  }
  const status = await station.api.getRelayStatus({}, SUPERVISOR);
  expect(status.bytesToday).toBeGreaterThan(0);
  // Probes and HQ's updates count too, in no lane.
  expect(Object.values(status.bytesByLane).reduce((a, b) => a + b, 0)).toBeLessThan(status.bytesToday);
  expect(status.etaSeconds).toBe(0);
});

it('never goes over the daily byte budget: what does not fit waits, with the reason shown', async () => {
  const start = await station.api.getRelayStatus({}, SUPERVISOR);
  const budget = start.bytesToday + 6_000;
  const hqBefore = receivedBytes;
  await station.api.updateSettings({ dailyByteBudget: budget }, SUPERVISOR);
  const t = new Tablet(lan, 'tab-B');
  await t.pair(createPairingCode(station.db, { now: new Date(), actor: 'test' }).code);
  // Notes of incompressible text: far more than 6 KB on the wire.
  const text = (i: number): string => Array.from({ length: 40 }, (_, j) => ((i * 7919 + j * 104729) % 1_000_003).toString(36)).join(' ');
  await t.sync(Array.from({ length: 200 }, (_, i) => ev.note({ wellId: `W-${i}`, text: text(i) })));
  const until = Date.now() + 10_000;
  let status = await station.api.getRelayStatus({}, SUPERVISOR);
  while (!/budget/.test(status.lastError ?? '') && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    status = await station.api.getRelayStatus({}, SUPERVISOR);
  }
  expect(status.lastError).toMatch(/budget/);
  expect(status.bytesToday).toBeLessThanOrEqual(budget);
  expect(receivedBytes - hqBefore).toBeLessThanOrEqual(budget - start.bytesToday);
  expect(receivedBytes - hqBefore).toBeGreaterThan(0);
  expect(status.queue.notes).toBeGreaterThan(0);
  // Lifting the limit lets the rest go.
  await station.api.updateSettings({ dailyByteBudget: null }, SUPERVISOR);
  const source = new OutboxSource(station.db);
  const drainedBy = Date.now() + 15_000;
  while ((held['notes'] ?? 0) < source.lastSeq('notes') && Date.now() < drainedBy) await new Promise((r) => setTimeout(r, 50));
  expect(held['notes']).toBe(source.lastSeq('notes'));
});

it("keeps today's byte count across a restart, so the daily budget still holds", async () => {
  const before = (await station.api.getRelayStatus({}, SUPERVISOR)).bytesByLane;
  await station.stop();
  station = open();
  await station.start();
  expect((await station.api.getRelayStatus({}, SUPERVISOR)).bytesByLane).toEqual(before);
});
