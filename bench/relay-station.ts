/**
 * The station of the relay bench, in its own process (forked by `bench/relay.ts`): the
 * real composition root (`createStation`, as `wellos-station serve` runs it) on a fresh
 * data dir, LAN and UI listeners on loopback. The bench docks tablets over the LAN API
 * like any device; over IPC it asks for pairing codes, sets the HQ link, reads the relay
 * status and the outbox. Every change the relay publishes is logged here with its wall
 * clock time, so the bench can tell afterwards when the relay failed, probed or sent.
 */
import { gzipSync } from 'node:zlib';
import type { LinkStatus } from '../src/shared/api/station-api.ts';
import { LANES, type Lane } from '../src/shared/protocol/sync.ts';
import { createStation, type Station } from '../src/main/station/create-station.ts';
import { createPairingCode } from '../src/main/station/devices/device-auth.ts';
import { createLogger } from '../src/main/station/logger.ts';
import { OutboxSource } from '../src/main/station/relay/outbox-source.ts';
import { serve } from './relay-ipc.ts';

const BENCH_USER = { username: 'bench', role: 'supervisor' as const };
const RAW_PAGE_ITEMS = 1_000;
const SMALL_PAGE_ITEMS = 100;

/** One change of the relay as the dashboard would see it. */
export interface RelayLogEntry {
  at: number;
  state: LinkStatus['state'];
  lastError: string | null;
  lastSuccessAt: string | null;
  queued: number;
  bytesToday: number;
}

export interface LaneRaw {
  /** Items read (seq > fromSeq). */
  items: number;
  /** Of those, kind `event`. */
  events: number;
  /** Σ of the uncompressed §5 batch bodies, pages of RAW_PAGE_ITEMS items. */
  jsonBytes: number;
  /** The same bodies, each gzip level 6 (what a plain gzip relay would send). */
  gzip6Bytes: number;
  /** gzip-6 of bodies of SMALL_PAGE_ITEMS items (the relay's first batch size). */
  gzip6SmallBytes: number;
  lastSeq: number;
}

export interface StationStatus {
  at: number;
  status: LinkStatus;
  lanes: Record<Lane, number>;
}

let station: Station | null = null;
const relayLog: RelayLogEntry[] = [];

function need(): Station {
  if (station === null) throw new Error('station not started');
  return station;
}

function outboxLanes(s: Station): Record<Lane, number> {
  const rows = s.db.prepare('SELECT lane, max(seq) AS max FROM outbox GROUP BY lane').all() as { lane: Lane; max: number }[];
  const lanes = Object.fromEntries(LANES.map((l) => [l, 0])) as Record<Lane, number>;
  for (const r of rows) lanes[r.lane] = r.max;
  return lanes;
}

serve({
  init: async (args: { dataDir: string; timeZone: string }) => {
    const s = createStation({ dataDir: args.dataDir, lanHost: '127.0.0.1', lanPort: 0, uiHost: '127.0.0.1', uiPort: 0, timeZone: args.timeZone, logger: createLogger(process.env['LOG_LEVEL'] ?? 'warn'), staticDir: null });
    station = s;
    const { lan } = await s.start();
    s.bus.subscribe((change) => {
      if (change.kind !== 'relay') return;
      const st = s.api.getRelayStatus({}, BENCH_USER) as LinkStatus;
      relayLog.push({ at: Date.now(), state: st.state, lastError: st.lastError, lastSuccessAt: st.lastSuccessAt, queued: Object.values(st.queue).reduce((a, b) => a + b, 0), bytesToday: st.bytesToday });
    });
    return { lan, stationId: s.identity.stationId, tenantId: s.identity.tenantId };
  },
  pairingCodes: (args: { n: number }) => Array.from({ length: args.n }, () => createPairingCode(need().db, { now: new Date(), actor: 'bench', ttlSeconds: 3_600 }).code),
  connect: async (args: { hqUrl: string; hqKey: string }) => {
    await need().api.updateSettings({ hqUrl: args.hqUrl, hqKey: args.hqKey }, BENCH_USER);
    return Date.now();
  },
  status: async (): Promise<StationStatus> => {
    const s = need();
    return { at: Date.now(), status: await s.api.getRelayStatus({}, BENCH_USER), lanes: outboxLanes(s) };
  },
  /** The relay changes logged since the last call. */
  relayLog: () => relayLog.splice(0, relayLog.length),
  seqOf: (args: { eventId: string }) => need().db.prepare('SELECT o.lane, o.seq FROM outbox o JOIN events e ON e.seq = o.event_seq WHERE e.id = ?').get(args.eventId) ?? null,
  /** Per lane: what the items after `fromSeq` weigh as plain §5 JSON and as gzip-6 of it. */
  raw: (args: { fromSeq: Partial<Record<Lane, number>> }) => {
    const s = need();
    const source = new OutboxSource(s.db);
    const out = {} as Record<Lane, LaneRaw>;
    for (const lane of LANES) {
      const r: LaneRaw = { items: 0, events: 0, jsonBytes: 0, gzip6Bytes: 0, gzip6SmallBytes: 0, lastSeq: args.fromSeq[lane] ?? 0 };
      for (;;) {
        const items = source.read(lane, r.lastSeq + 1, RAW_PAGE_ITEMS);
        const first = items[0];
        const last = items.at(-1);
        if (first === undefined || last === undefined) break;
        const bodyOf = (page: typeof items): Buffer =>
          Buffer.from(JSON.stringify({ stationId: s.identity.stationId, tenantId: s.identity.tenantId, lane, fromSeq: page[0]?.seq ?? 0, toSeq: page.at(-1)?.seq ?? 0, items: page }));
        const body = bodyOf(items);
        for (let i = 0; i < items.length; i += SMALL_PAGE_ITEMS) r.gzip6SmallBytes += gzipSync(bodyOf(items.slice(i, i + SMALL_PAGE_ITEMS)), { level: 6 }).length;
        r.items += items.length;
        r.events += items.filter((i) => i.kind === 'event').length;
        r.jsonBytes += body.length;
        r.gzip6Bytes += gzipSync(body, { level: 6 }).length;
        r.lastSeq = last.seq;
      }
      out[lane] = r;
    }
    return out;
  },
  stop: async () => {
    if (station !== null) await station.stop();
    station = null;
  },
});
