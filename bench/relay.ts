/**
 * `npm run bench -- relay [--quick] [--events 100000] [--photos 50] [--photo-bytes 300000]
 * [--outage-every 120] [--outage-for 30]`: issue 6's benchmark. A station with a backlog
 * (the realistic 7-type workload docked over the LAN API, plus photos of random bytes)
 * drains it to HQ through the satellite-link emulator (`geo`: 600 ms RTT, 256 kbit/s up)
 * with a scheduled outage every 2 minutes.
 *
 * Three processes: this one runs the link emulator, docks the tablets and watches; the
 * station (`relay-station.ts`) and HQ on PGlite (`relay-hq.ts`) each run in their own,
 * so neither delays the emulator's timers. Reports wire bytes per event against the raw
 * JSON of the relayed items, drain time against the floor (wire bytes ÷ link rate +
 * outage time), and how long a critical item docked during an outage takes to reach HQ
 * once the link is back. Details: bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { LANES, type Lane } from '../src/shared/protocol/sync.ts';
import { createSatLink, type SatLink } from '../tools/sat-link/sat-link.ts';
import { BENCH_DIR, ensureCacheDir, ROOT_DIR } from './bench-files.ts';
import type { HqLoss, HqRequest } from './relay-hq.ts';
import { forkChild, type ChildHandle } from './relay-ipc.ts';
import { analyse, printReport, type Collected, type LinkEvent, type Probe, type Sample } from './relay-report.ts';
import type { LaneRaw, RelayLogEntry, StationStatus } from './relay-station.ts';
import { mulberry32, Workload, type WorkloadBatch } from './workload.ts';

const TIME_ZONE = 'America/Chicago';
const DOCK_BATCH = 5_000;
const SAMPLE_MS = 250;
const PROBE_POLL_MS = 100;

export interface RelayFlags {
  events: number;
  photos: number;
  photoBytes: number;
  outageEverySec: number;
  outageForSec: number;
  /** Seconds into an outage at which the critical probe is docked. */
  probeAfterSec: number;
  seed: number;
  timeoutMin: number;
  keep: boolean;
  quick: boolean;
}

const HELP = `npm run bench -- relay [flags]
  --quick               10,000 events and 5 photos (about 3 minutes); flags given after it still apply
  --events N            events in the backlog (default 100000)
  --photos N            photos (default 50), each --photo-bytes of random bytes (default 300000)
  --outage-every S      a link outage every S seconds (default 120) ...
  --outage-for S        ... lasting S seconds (default 30), at the end of each cycle
  --probe-after S       dock a critical event S seconds into each outage (default 5)
  --seed N              workload and link seed (default 1)
  --timeout-minutes M   give up after M minutes of draining (default 60)
  --keep                keep the station's and HQ's data dirs (bench/.cache/relay-run-*)
Everything collected (link samples, HQ's request log, the relay's changes) is written to
bench/.cache/relay-last.json.`;

function parseFlags(argv: string[]): RelayFlags | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      events: { type: 'string' },
      photos: { type: 'string' },
      'photo-bytes': { type: 'string' },
      'outage-every': { type: 'string' },
      'outage-for': { type: 'string' },
      'probe-after': { type: 'string' },
      seed: { type: 'string' },
      'timeout-minutes': { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) return null;
  const quick = values.quick === true;
  const num = (v: string | undefined, d: number, name: string): number => {
    const n = v === undefined ? d : Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0`);
    return n;
  };
  const flags: RelayFlags = {
    events: Math.floor(num(values.events, quick ? 10_000 : 100_000, 'events')),
    photos: Math.floor(num(values.photos, quick ? 5 : 50, 'photos')),
    photoBytes: Math.floor(num(values['photo-bytes'], 300_000, 'photo-bytes')),
    outageEverySec: num(values['outage-every'], 120, 'outage-every'),
    outageForSec: num(values['outage-for'], 30, 'outage-for'),
    probeAfterSec: num(values['probe-after'], 5, 'probe-after'),
    seed: Math.floor(num(values.seed, 1, 'seed')),
    timeoutMin: num(values['timeout-minutes'], 60, 'timeout-minutes'),
    keep: values.keep === true,
    quick,
  };
  if (flags.outageForSec > 0 && flags.outageForSec >= flags.outageEverySec) throw new Error('--outage-for must be shorter than --outage-every');
  if (flags.probeAfterSec >= flags.outageForSec && flags.outageForSec > 0) throw new Error('--probe-after must fall inside the outage');
  return flags;
}

function progress(message: string): void {
  process.stderr.write(`[relay ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A tablet on the LAN API (protocol §2), as the bench docks it. */
class BenchTablet {
  token = '';
  constructor(
    readonly lan: string,
    readonly deviceId: string,
  ) {}

  async pair(code: string): Promise<void> {
    const res = await fetch(`${this.lan}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceId: this.deviceId, deviceName: this.deviceId }) });
    if (res.status !== 201) throw new Error(`pairing ${this.deviceId} answered ${res.status}: ${await res.text()}`);
    this.token = ((await res.json()) as { deviceToken: string }).deviceToken;
  }

  async sync(batchId: string, deviceTime: string, events: unknown[]): Promise<{ status: string }[]> {
    const body = gzipSync(JSON.stringify({ deviceId: this.deviceId, batchId, deviceTime, events }));
    const res = await fetch(`${this.lan}/api/v1/sync`, { method: 'POST', headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body });
    const json = (await res.json()) as { results?: { status: string }[] };
    if (res.status !== 200 || json.results === undefined) throw new Error(`sync answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
    return json.results;
  }

  async putPhoto(sha256: string, bytes: Buffer): Promise<void> {
    const res = await fetch(`${this.lan}/api/v1/photos/${sha256}`, { method: 'PUT', headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/octet-stream' }, body: bytes });
    if (res.status !== 201 && res.status !== 200) throw new Error(`photo upload answered ${res.status}: ${await res.text()}`);
  }
}

/** Random, incompressible bytes behind a JPEG signature, the same for the same seed. */
function photoBytes(seed: number, size: number): Buffer {
  const rng = mulberry32(seed);
  const bytes = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) bytes.writeUInt32LE(Math.floor(rng() * 0x1_0000_0000), i);
  bytes[0] = 0xff;
  bytes[1] = 0xd8;
  bytes[2] = 0xff;
  bytes[3] = 0xe0;
  return bytes;
}

interface Backlog {
  docked: number;
  statuses: Record<string, number>;
  seconds: number;
  photoBytes: number;
}

async function buildBacklog(flags: RelayFlags, lan: string, station: ChildHandle): Promise<Backlog> {
  const t0 = performance.now();
  const tablets = new Map<string, BenchTablet>();
  const tablet = async (deviceId: string): Promise<BenchTablet> => {
    let t = tablets.get(deviceId);
    if (t === undefined) {
      t = new BenchTablet(lan, deviceId);
      const [code] = await station.ask<string[]>('pairingCodes', { n: 1 });
      await t.pair(code ?? '');
      tablets.set(deviceId, t);
    }
    return t;
  };
  const statuses: Record<string, number> = {};
  let docked = 0;
  const workload = new Workload({ count: flags.events, seed: flags.seed });
  for (const batch of workload.batches(DOCK_BATCH) as Generator<WorkloadBatch>) {
    // Re-based on the real clock, keeping the tablet's skew (deviceTime − receivedAt).
    const skew = Date.parse(batch.deviceTime) - Date.parse(batch.receivedAt);
    const results = await (await tablet(batch.deviceId)).sync(batch.batchId, new Date(Date.now() + skew).toISOString(), batch.events);
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    docked += batch.events.length;
    if (docked % 20_000 === 0 || docked === flags.events) progress(`docked ${docked.toLocaleString('en-US')} / ${flags.events.toLocaleString('en-US')} events`);
  }
  let totalPhotoBytes = 0;
  if (flags.photos > 0) {
    const t = await tablet('tab-photos');
    const events: unknown[] = [];
    const at = new Date(Date.now() - 3_600_000).toISOString();
    for (let i = 0; i < flags.photos; i++) {
      const bytes = photoBytes(flags.seed * 1_000 + i, flags.photoBytes);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await t.putPhoto(sha256, bytes);
      totalPhotoBytes += bytes.length;
      events.push({
        id: `bench-photo-${flags.seed}-${i}`,
        type: 'PHOTO_ATTACHED',
        operatorId: 'op-bench',
        occurredAt: at,
        payload: { wellId: `W-${String((i % 2000) + 1).padStart(4, '0')}`, photoId: `IMG_${i}`, sha256, mimeType: 'image/jpeg', bytes: bytes.length, takenAt: at, subject: 'wellhead', caption: `bench photo ${i}` },
      });
    }
    const results = await t.sync(`bench-photos-${flags.seed}`, new Date().toISOString(), events);
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    docked += events.length;
    progress(`docked ${flags.photos} photos of ${flags.photoBytes.toLocaleString('en-US')} bytes`);
  }
  return { docked, statuses, seconds: (performance.now() - t0) / 1000, photoBytes: totalPhotoBytes };
}

/** The commit, and the relay-related paths with uncommitted changes (the bench measures the working tree). */
function codeState(): string {
  const git = (...args: string[]): string => spawnSync('git', args, { cwd: ROOT_DIR, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const dirty = git('status', '--porcelain', '--', 'src/main/station/relay', 'src/shared', 'hq', 'tools/sat-link').split('\n').filter((l) => l !== '');
  return dirty.length === 0 ? `${head}, relay/HQ code as committed` : `${head} + uncommitted changes in ${dirty.length} relay/HQ/shared files (measured as they stood)`;
}

function sumLanes(lanes: Record<string, number>): number {
  return Object.values(lanes).reduce((a, b) => a + b, 0);
}

export async function runRelayBench(argv: string[]): Promise<number> {
  const flags = parseFlags(argv);
  if (flags === null) {
    console.error(HELP);
    return 0;
  }
  const code = codeState(); // before the children load the code: what is measured
  const runDir = join(ensureCacheDir(), `relay-run-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  const hq = forkChild(join(BENCH_DIR, 'relay-hq.ts'), 'HQ');
  const station = forkChild(join(BENCH_DIR, 'relay-station.ts'), 'station');
  let link: SatLink | null = null;
  let drained = false;
  try {
    const { port: hqPort } = await hq.ask<{ port: number }>('init', { dataDir: join(runDir, 'hq') });
    const ids = await station.ask<{ lan: string; stationId: string; tenantId: string }>('init', { dataDir: join(runDir, 'station'), timeZone: TIME_ZONE });
    const { stationKey } = await hq.ask<{ stationKey: string }>('addStation', { stationId: ids.stationId, tenantId: ids.tenantId });
    progress(`HQ (PGlite, pid ${hq.pid}) on :${hqPort}; station ${ids.stationId} (pid ${station.pid}) on ${ids.lan}`);

    // 1. The backlog, with no HQ link set.
    const backlog = await buildBacklog(flags, ids.lan, station);
    const before = await station.ask<StationStatus>('status');
    progress(`backlog built in ${backlog.seconds.toFixed(1)} s: outbox ${JSON.stringify(before.lanes)}; relay ${before.status.state}`);
    const rawBacklog = await station.ask<Record<Lane, LaneRaw>>('raw', { fromSeq: {} });
    const probeTablet = new BenchTablet(ids.lan, 'tab-probe');
    await probeTablet.pair((await station.ask<string[]>('pairingCodes', { n: 1 }))[0] ?? '');

    // 2. The link, then the relay through it. The outage schedule counts from the link's start.
    const linkEvents: LinkEvent[] = [];
    const probes: Probe[] = [];
    let draining = true;
    let probeCount = 0;
    const dockProbe = async (downAt: number): Promise<void> => {
      const k = ++probeCount;
      const now = new Date().toISOString();
      const eventId = `bench-critical-${flags.seed}-${k}`;
      const probe: Probe = { k, eventId, downAt, dockedAt: 0, lane: 'critical', seq: 0, upAt: null, seenAt: null, queueAtUp: null };
      probes.push(probe);
      const [result] = await probeTablet.sync(`bench-probe-${flags.seed}-${k}`, now, [
        { id: eventId, type: 'EQUIPMENT_INSPECTED', operatorId: 'op-bench', occurredAt: now, payload: { wellId: `W-P${k}`, equipmentId: `EQ-P${k}`, inspectedAt: now, result: 'FAIL', notes: 'bench: critical item docked during an outage' } },
      ]);
      probe.dockedAt = Date.now();
      const where = await station.ask<{ lane: string; seq: number } | null>('seqOf', { eventId });
      if (where === null) throw new Error(`probe ${eventId} is not in the outbox (${result?.status ?? '?'})`);
      probe.lane = where.lane;
      probe.seq = where.seq;
      progress(`outage ${linkEvents.filter((e) => e.kind === 'down').length}: docked critical probe ${k} (${where.lane} seq ${where.seq}) ${((probe.dockedAt - downAt) / 1000).toFixed(1)} s into the outage`);
    };
    const onLog = (line: string): void => {
      const at = Date.now();
      const kind: LinkEvent['kind'] | null = line.startsWith('link down') ? 'down' : line.startsWith('link up') ? 'up' : /reset after/.test(line) ? 'reset' : /outlasted/.test(line) ? 'stall-reset' : null;
      if (kind === null) return;
      linkEvents.push({ at, kind, line });
      if (kind !== 'reset') progress(`sat-link: ${line}`);
      if (kind === 'down' && draining && flags.outageForSec > 0) {
        setTimeout(() => {
          if (draining) dockProbe(at).catch((e: unknown) => progress(`probe failed: ${String(e)}`));
        }, flags.probeAfterSec * 1000);
      }
      if (kind === 'up') {
        for (const p of probes) {
          if (p.upAt === null && p.dockedAt > 0) {
            p.upAt = at;
            station
              .ask<StationStatus>('status')
              .then((s) => {
                p.queueAtUp = s.status.queue;
              })
              .catch(() => undefined);
          }
        }
      }
    };
    const periodicOutage = flags.outageForSec > 0 ? { everyMs: flags.outageEverySec * 1000, forMinMs: flags.outageForSec * 1000, forMaxMs: flags.outageForSec * 1000 } : null;
    link = await createSatLink({ targetHost: '127.0.0.1', targetPort: hqPort, profile: 'geo', overrides: { periodicOutage }, seed: flags.seed, log: onLog });
    const linkStart = Date.now();
    const upBytesPerSec = (link.profile.upBitsPerSecond ?? 0) / 8;
    const drainStart = await station.ask<number>('connect', { hqUrl: `http://127.0.0.1:${link.port}`, hqKey: stationKey });
    progress(`relay connected through sat-link geo (:${link.port}); outage ${flags.outageForSec} s every ${flags.outageEverySec} s`);

    const samples: Sample[] = [];
    const statuses: StationStatus[] = [];
    const hqRequests: HqRequest[] = [];
    const hqLosses: HqLoss[] = [];
    const relayLog: RelayLogEntry[] = [];
    const pullLogs = async (): Promise<void> => {
      const log = await hq.ask<{ requests: HqRequest[]; losses: HqLoss[] }>('log');
      hqRequests.push(...log.requests);
      hqLosses.push(...log.losses);
      relayLog.push(...(await station.ask<RelayLogEntry[]>('relayLog')));
    };
    const deadline = drainStart + flags.timeoutMin * 60_000;
    let lastStatusAt = 0;
    let lastLogsAt = 0;
    let lastProgressAt = drainStart;
    let hqLanes: Record<string, { n: number; distinct: number; max: number }> = {};
    let detectedAt = 0;
    let final: StationStatus | null = null;
    // Critical probes: HQ polled directly for each, from the link's return on.
    const probePoller = setInterval(() => {
      for (const p of probes) {
        if (p.upAt === null || p.seenAt !== null || p.seq === 0) continue;
        hq.ask<number | null>('item', { stationId: ids.stationId, lane: p.lane, seq: p.seq })
          .then((at) => {
            if (at !== null && p.seenAt === null) {
              p.seenAt = Date.now();
              progress(`critical probe ${p.k} at HQ ${((p.seenAt - (p.upAt ?? 0)) / 1000).toFixed(2)} s after the link came back (poll)`);
            }
          })
          .catch(() => undefined);
      }
    }, PROBE_POLL_MS);
    try {
      while (Date.now() < deadline) {
        await sleep(SAMPLE_MS);
        const s = link.stats();
        const now = Date.now();
        samples.push({ at: now, bytesUp: s.bytesUp, bytesDown: s.bytesDown, isOnline: s.isOnline, open: s.connectionsOpen });
        if (now - lastLogsAt >= 5_000) {
          lastLogsAt = now;
          await pullLogs();
        }
        if (now - lastStatusAt < 1_000) continue;
        lastStatusAt = now;
        const st = await station.ask<StationStatus>('status');
        statuses.push(st);
        if (now - lastProgressAt >= 15_000) {
          lastProgressAt = now;
          const bytesByLane = (st.status as { bytesByLane?: Record<string, number> }).bytesByLane;
          progress(
            `${((now - drainStart) / 1000).toFixed(0)} s: ${st.status.state}, queue ${LANES.map((l) => `${l} ${st.status.queue[l]}`).join(', ')}; link up ${s.bytesUp.toLocaleString('en-US')} B (${s.isOnline ? 'up' : 'DOWN'})${bytesByLane === undefined ? '' : `; bytesByLane ${JSON.stringify(bytesByLane)}`}`,
          );
        }
        const probesDone = probes.every((p) => p.dockedAt > 0 && p.seenAt !== null);
        if (sumLanes(st.status.queue) !== 0 || !probesDone) continue;
        hqLanes = await hq.ask<typeof hqLanes>('lanes', { stationId: ids.stationId });
        if (LANES.every((l) => (st.lanes[l] === 0 && hqLanes[l] === undefined) || hqLanes[l]?.max === st.lanes[l])) {
          drained = true;
          detectedAt = Date.now();
          final = st;
          break;
        }
      }
    } finally {
      draining = false;
      clearInterval(probePoller);
    }
    await sleep(500);
    await pullLogs();
    const endStats = link.stats();
    if (!drained) progress(`NOT DRAINED after ${flags.timeoutMin} minutes`);
    else progress(`drained; detected ${((detectedAt - drainStart) / 1000).toFixed(1)} s after the relay was connected`);

    const rawProbes = await station.ask<Record<Lane, LaneRaw>>('raw', { fromSeq: Object.fromEntries(LANES.map((l) => [l, rawBacklog[l].lastSeq])) });
    const duplicateEvents = await hq.ask<number>('duplicateEvents', { stationId: ids.stationId });
    const blobs = await hq.ask<{ complete: number; n: number; heldBytes: number }>('blobs', { stationId: ids.stationId });
    if (!drained) hqLanes = await hq.ask<typeof hqLanes>('lanes', { stationId: ids.stationId });
    const last = final ?? (await station.ask<StationStatus>('status'));
    const collected: Collected = {
      flags,
      codeState: code,
      drained,
      backlog,
      stationLanes: last.lanes,
      finalStatus: last.status,
      hqLanes,
      duplicateEvents,
      blobs,
      raw: { backlog: rawBacklog, probes: rawProbes },
      linkStart,
      drainStart,
      detectedAt: drained ? detectedAt : Date.now(),
      upBytesPerSec,
      oneWayLatencyMs: link.profile.oneWayLatencyMs,
      linkEvents,
      endStats,
      samples,
      statuses,
      hqRequests,
      hqLosses,
      relayLog,
      probes,
    };
    // Everything collected, for a closer look afterwards (gitignored, overwritten by the next run).
    writeFileSync(join(ensureCacheDir(), 'relay-last.json'), JSON.stringify(collected));
    const analysis = analyse(collected);
    printReport(collected, analysis);
    return drained && analysis.verified ? 0 : 1;
  } finally {
    if (link !== null) await link.close();
    await station.ask('stop').catch(() => undefined);
    await hq.ask('stop').catch(() => undefined);
    await station.stop();
    await hq.stop();
    if (flags.keep) progress(`kept ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  }
}
