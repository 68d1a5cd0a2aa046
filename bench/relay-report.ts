/**
 * The relay bench's arithmetic and report: what was collected during the drain (link
 * emulator samples and events, HQ's request log, the station's relay changes, the
 * critical probes) turned into the figures of issue 6 and an account of where the time
 * and the bytes went. Pure functions of `Collected`, apart from printing.
 */
import type { LinkStatus } from '../src/shared/api/station-api.ts';
import { LANES, type Lane } from '../src/shared/protocol/sync.ts';
import type { SatLinkStats } from '../tools/sat-link/sat-link.ts';
import type { HqLoss, HqRequest } from './relay-hq.ts';
import type { LaneRaw, RelayLogEntry, StationStatus } from './relay-station.ts';
import type { RelayFlags } from './relay.ts';

export interface LinkEvent {
  at: number;
  kind: 'down' | 'up' | 'reset' | 'stall-reset';
  line: string;
}

export interface Sample {
  at: number;
  bytesUp: number;
  bytesDown: number;
  isOnline: boolean;
  open: number;
}

export interface Probe {
  k: number;
  eventId: string;
  downAt: number;
  dockedAt: number;
  lane: string;
  seq: number;
  /** The link came back (sat-link's own log line). */
  upAt: number | null;
  /** The bench's poll of HQ's database first found the item. */
  seenAt: number | null;
  queueAtUp: Record<Lane, number> | null;
}

export interface Collected {
  flags: RelayFlags;
  /** git describe of the checkout, and whether the relay's or HQ's code had uncommitted changes. */
  codeState: string;
  drained: boolean;
  backlog: { docked: number; statuses: Record<string, number>; seconds: number; photoBytes: number };
  stationLanes: Record<Lane, number>;
  finalStatus: LinkStatus;
  hqLanes: Record<string, { n: number; distinct: number; max: number }>;
  duplicateEvents: number;
  blobs: { complete: number; n: number; heldBytes: number };
  raw: { backlog: Record<Lane, LaneRaw>; probes: Record<Lane, LaneRaw> };
  linkStart: number;
  drainStart: number;
  detectedAt: number;
  upBytesPerSec: number;
  oneWayLatencyMs: number;
  linkEvents: LinkEvent[];
  endStats: SatLinkStats;
  samples: Sample[];
  statuses: StationStatus[];
  hqRequests: HqRequest[];
  hqLosses: HqLoss[];
  relayLog: RelayLogEntry[];
  probes: Probe[];
}

interface Interval {
  from: number;
  to: number;
}

export interface OutageRow {
  n: number;
  downAt: number;
  upAt: number | null;
  /** Requests HQ had not answered when the link dropped (stalled, then cut). */
  inFlight: number;
  /** Link back → first request of any kind reached HQ's listener. */
  firstRequestMs: number | null;
  firstRequestKind: string | null;
  /** Link back → first bytes moved on the link (from 250 ms samples). */
  firstByteMs: number | null;
  /** Link back → the first batch HQ committed. */
  firstCommitMs: number | null;
  /** The relay's last words before the link came back (its back-off). */
  stationError: string | null;
  /** Link down → the relay first reported a failure, and what. */
  noticedMs: number | null;
  noticed: string | null;
  probeMs: number | null;
}

export interface LaneWire {
  /** First request of the lane reached HQ, last one answered (ms since epoch; 0 when none). */
  firstAt: number;
  lastAt: number;
  requests: number;
  ok: number;
  items: number;
  /** Σ Content-Length of every batch HQ read in full (gzip bodies, resends included). */
  bodyBytes: number;
  /** Σ bytes the socket read for them (headers too). */
  wireBytes: number;
  medianRequestMs: number;
  medianItems: number;
}

export interface Phase {
  name: string;
  from: number;
  to: number;
  outageSeconds: number;
  upBytes: number;
}

export interface Analysis {
  verified: boolean;
  phases: Phase[];
  problems: string[];
  drainEnd: number;
  drainSeconds: number;
  outages: Interval[];
  outageSeconds: number;
  upBytes: number;
  floorSeconds: number;
  events: number;
  eventsNonPhoto: number;
  rawNonPhoto: number;
  gzip6NonPhoto: number;
  gzip6SmallNonPhoto: number;
  rawBytesPerEvent: number;
  wireBytesPerEvent: number;
  wireSource: string;
  wireByLane: Record<string, number>;
  lanes: Record<Lane, LaneWire & LaneRaw>;
  blobPuts: { n: number; ok: number; resumed: number; bytes: number; medianMs: number };
  sockets: number;
  requestCount: number;
  blobHeads: number;
  otherRequests: Record<string, number>;
  time: {
    upSeconds: number;
    busySeconds: number;
    idleSeconds: number;
    idleSampledSeconds: number;
  } & TimeSlots;
  bytes: {
    /** Bytes HQ read of requests the link cut (the socket closed before an answer). */
    cutByLink: number;
    cuts: number;
    /** Of the cut bytes and of blob PUTs answered ≥ 300: photo bytes HQ kept (the next PUT of that photo resumed past them). */
    blobBytesKept: number;
    refusedOrFailedAnswers: number;
    resentItems: number;
    resentBytes: number;
    headerBytes: number;
    downBytes: number;
  };
  outageRows: OutageRow[];
  criticalLatencyMs: number | null;
  criticalSamplesMs: number[];
  criticalPollSamplesMs: number[];
  stationErrors: Record<string, number>;
  stateChanges: { at: number; state: string }[];
}

const PHOTO: Lane = 'photos';

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

function overlap(a: Interval, b: Interval): number {
  return Math.max(0, Math.min(a.to, b.to) - Math.max(a.from, b.from));
}

/** The link's outages as intervals (an open one ends at `end`). */
function outagesOf(events: readonly LinkEvent[], end: number): Interval[] {
  const out: Interval[] = [];
  let down: number | null = null;
  for (const e of events) {
    if (e.kind === 'down' && down === null) down = e.at;
    if (e.kind === 'up' && down !== null) {
      out.push({ from: down, to: e.at });
      down = null;
    }
  }
  if (down !== null) out.push({ from: down, to: end });
  return out;
}

/** "next try in 17 s" → "next try in N s": errors grouped by their shape. */
function errorShape(message: string): string {
  return message.replace(/\d+(\.\d+)?/g, 'N').replace(/http:\/\/[^\s)]+/g, 'HQ').slice(0, 160);
}

export function analyse(c: Collected): Analysis {
  const problems: string[] = [];
  const inDrain = (t: number): boolean => t >= c.drainStart;
  const requests = c.hqRequests.filter((r) => inDrain(r.tReq)).sort((a, b) => a.tReq - b.tReq);
  const commits = requests.filter((r) => r.kind === 'batch' && r.status === 200);
  const drainEnd = c.drained ? Math.max(c.drainStart, ...commits.map((r) => r.tRes)) : c.detectedAt;
  const drain: Interval = { from: c.drainStart, to: drainEnd };
  const drainSeconds = (drainEnd - c.drainStart) / 1000;
  const outages = outagesOf(c.linkEvents, c.detectedAt).filter((o) => overlap(o, drain) > 0);
  const outageSeconds = outages.reduce((s, o) => s + overlap(o, drain), 0) / 1000;
  const upBytes = c.endStats.bytesUp;
  const floorSeconds = upBytes / c.upBytesPerSec + outageSeconds;

  // Verification: HQ holds every lane 1..max exactly once, as the station numbered it.
  for (const lane of LANES) {
    const want = c.stationLanes[lane];
    const held = c.hqLanes[lane] ?? { n: 0, distinct: 0, max: 0 };
    if (held.max !== want || held.n !== want || held.distinct !== want) problems.push(`lane ${lane}: station numbered ${want}, HQ holds ${held.n} items (${held.distinct} distinct seqs, max ${held.max})`);
  }
  if (c.duplicateEvents !== 0) problems.push(`HQ holds ${c.duplicateEvents} event ids more than once`);
  if (c.blobs.complete !== c.flags.photos) problems.push(`HQ holds ${c.blobs.complete} complete photos of ${c.flags.photos}`);
  if (!c.drained) problems.push('the backlog did not drain before the timeout');

  // Raw JSON and gzip-6, per lane (backlog + the items added during the drain).
  const lanes = {} as Record<Lane, LaneWire & LaneRaw>;
  for (const lane of LANES) {
    const a = c.raw.backlog[lane];
    const b = c.raw.probes[lane];
    const batches = requests.filter((r) => r.kind === 'batch' && r.lane === lane);
    lanes[lane] = {
      items: a.items + b.items,
      events: a.events + b.events,
      jsonBytes: a.jsonBytes + b.jsonBytes,
      gzip6Bytes: a.gzip6Bytes + b.gzip6Bytes,
      gzip6SmallBytes: (a.gzip6SmallBytes ?? 0) + (b.gzip6SmallBytes ?? 0),
      lastSeq: Math.max(a.lastSeq, b.lastSeq),
      firstAt: batches[0]?.tReq ?? 0,
      lastAt: Math.max(0, ...batches.map((r) => r.tRes)),
      requests: batches.length,
      ok: batches.filter((r) => r.status === 200).length,
      bodyBytes: batches.reduce((s, r) => s + r.contentLength, 0),
      wireBytes: batches.reduce((s, r) => s + r.bytesIn, 0),
      medianRequestMs: median(batches.map((r) => r.tRes - r.tReq)),
      medianItems: median(batches.filter((r) => r.toSeq !== undefined && r.fromSeq !== undefined).map((r) => (r.toSeq ?? 0) - (r.fromSeq ?? 0) + 1)),
    };
  }
  const nonPhoto = LANES.filter((l) => l !== PHOTO);
  const events = LANES.reduce((s, l) => s + lanes[l].events, 0);
  const eventsNonPhoto = nonPhoto.reduce((s, l) => s + lanes[l].events, 0);
  const rawNonPhoto = nonPhoto.reduce((s, l) => s + lanes[l].jsonBytes, 0);
  const gzip6NonPhoto = nonPhoto.reduce((s, l) => s + lanes[l].gzip6Bytes, 0);
  const gzip6SmallNonPhoto = nonPhoto.reduce((s, l) => s + lanes[l].gzip6SmallBytes, 0);
  const bytesByLane = (c.finalStatus as { bytesByLane?: Record<string, number> }).bytesByLane;
  const wireByLane = bytesByLane ?? Object.fromEntries(LANES.map((l) => [l, lanes[l].bodyBytes]));
  const wireSource = bytesByLane === undefined ? "HQ's log: Σ Content-Length of the batches it read (the station reports no bytesByLane)" : "the station's bytesByLane";
  const wireNonPhoto = nonPhoto.reduce((s, l) => s + (wireByLane[l] ?? 0), 0);

  // Bytes that bought nothing.
  const heldThrough = new Map<string, number>();
  let resentItems = 0;
  let resentBytes = 0;
  for (const r of [...commits].sort((a, b) => a.tRes - b.tRes)) {
    const lane = r.lane ?? '?';
    const held = heldThrough.get(lane) ?? 0;
    const from = r.fromSeq ?? 0;
    const to = r.toSeq ?? 0;
    const again = Math.max(0, Math.min(to, held) - from + 1);
    if (again > 0) {
      resentItems += again;
      resentBytes += Math.round((r.bytesIn * again) / Math.max(1, to - from + 1));
    }
    heldThrough.set(lane, Math.max(held, to));
  }
  // Phases: the lanes before photos; the photos lane up to the first photo byte; the photo bytes.
  const bytesAt = (t: number): number => {
    let b = 0;
    for (const x of c.samples) {
      if (x.at > t) break;
      b = x.bytesUp;
    }
    return b;
  };
  const firstPhotoBatch = requests.find((r) => r.kind === 'batch' && r.lane === PHOTO)?.tReq;
  const firstPut = requests.find((r) => r.kind === 'blob-put')?.tReq;
  const cutsAt = [c.drainStart, firstPhotoBatch ?? drainEnd, firstPut ?? drainEnd, drainEnd];
  const phases: Phase[] = ['lanes before photos', 'photos lane up to the first photo byte', 'photo bytes (and the metadata after them)']
    .map((name, i) => {
      const p = { from: cutsAt[i] ?? drainEnd, to: Math.max(cutsAt[i] ?? drainEnd, cutsAt[i + 1] ?? drainEnd) };
      return { name, ...p, outageSeconds: outages.reduce((s, o) => s + overlap(o, p), 0) / 1000, upBytes: bytesAt(p.to) - bytesAt(p.from) };
    })
    .filter((p) => p.to > p.from);
  const cuts = c.hqLosses.filter((l) => inDrain(l.at));
  const cutByLink = cuts.reduce((s, l) => s + l.bytesIn, 0);
  const refusedOrFailedAnswers = requests.filter((r) => r.status >= 300).reduce((s, r) => s + r.bytesIn, 0);
  // A cut or refused photo PUT's bytes are not lost when HQ kept them: the next PUT of the photo starts past them.
  const kept = (sha: string | undefined, start: number | undefined, at: number, bytes: number): number => {
    if (sha === undefined || start === undefined) return 0;
    const next = requests.find((r) => r.kind === 'blob-put' && r.sha256 === sha && r.tReq > at);
    return next === undefined ? 0 : Math.min(bytes, Math.max(0, (next.rangeStart ?? 0) - start));
  };
  const blobBytesKept =
    cuts.reduce((s, l) => s + (l.kind === 'blob-put' ? kept(l.sha256, l.rangeStart, l.at, l.bytesIn) : 0), 0) +
    requests.filter((r) => r.kind === 'blob-put' && r.status >= 300).reduce((s, r) => s + kept(r.sha256, r.rangeStart, r.tRes, r.bytesIn), 0);
  const headerBytes = requests.reduce((s, r) => s + Math.max(0, r.bytesIn - r.contentLength), 0);
  const puts = requests.filter((r) => r.kind === 'blob-put');

  // Time: the link was up for upSeconds; it carried bytes for busySeconds of it.
  const upSeconds = drainSeconds - outageSeconds;
  const busySeconds = upBytes / c.upBytesPerSec;
  const ups: Interval[] = [];
  let from = c.drainStart;
  for (const o of outages) {
    ups.push({ from, to: Math.min(o.from, drainEnd) });
    from = o.to;
  }
  if (from < drainEnd) ups.push({ from, to: drainEnd });
  let idleSampled = 0;
  for (let i = 1; i < c.samples.length; i++) {
    const a = c.samples[i - 1];
    const b = c.samples[i];
    if (a === undefined || b === undefined || b.at > drainEnd || a.at < c.drainStart) continue;
    if (a.isOnline && b.isOnline && b.bytesUp === a.bytesUp) idleSampled += b.at - a.at;
  }
  const slots = classifyTime(requests, ups, c.drainStart, drainEnd);
  const outageRows: OutageRow[] = outagesOf(c.linkEvents, c.detectedAt).filter((o) => o.from < drainEnd).map((o, i) => {
    const upAt = o.to >= c.detectedAt && !c.linkEvents.some((e) => e.kind === 'up' && e.at === o.to) ? null : o.to;
    const inFlight = requests.filter((r) => r.tReq < o.from && r.tRes > o.from).length + c.hqLosses.filter((l) => l.at >= o.from && l.at <= o.to).length;
    const firstAfter = upAt === null ? undefined : requests.find((r) => r.tReq >= upAt);
    const firstCommit = upAt === null ? undefined : commits.filter((r) => r.tRes >= upAt).sort((a, b) => a.tRes - b.tRes)[0];
    let firstByteMs: number | null = null;
    if (upAt !== null) {
      const base = [...c.samples].reverse().find((s) => s.at <= upAt)?.bytesUp ?? 0;
      const moved = c.samples.find((s) => s.at > upAt && s.bytesUp > base);
      firstByteMs = moved === undefined ? null : moved.at - upAt;
    }
    const before = upAt === null ? undefined : [...c.relayLog].reverse().find((e) => e.at <= upAt && e.at >= o.from);
    const probe = c.probes.find((p) => p.upAt === upAt && upAt !== null);
    const noticed = c.relayLog.find((e) => e.at >= o.from && e.state !== 'ONLINE');
    return {
      n: i + 1,
      downAt: o.from,
      upAt,
      inFlight,
      firstRequestMs: firstAfter === undefined || upAt === null ? null : firstAfter.tReq - upAt,
      firstRequestKind: firstAfter === undefined ? null : firstAfter.kind === 'batch' ? `batch ${firstAfter.lane ?? ''}` : firstAfter.kind,
      firstByteMs,
      firstCommitMs: firstCommit === undefined || upAt === null ? null : firstCommit.tRes - upAt,
      stationError: before?.lastError ?? null,
      noticedMs: noticed === undefined ? null : noticed.at - o.from,
      noticed: noticed?.lastError ?? null,
      probeMs: probe === undefined ? null : probeLatency(probe, commits),
    };
  });

  const criticalSamplesMs = c.probes.filter((p) => p.upAt !== null).map((p) => probeLatency(p, commits) ?? Number.NaN);
  const criticalPollSamplesMs = c.probes.filter((p) => p.upAt !== null && p.seenAt !== null).map((p) => (p.seenAt ?? 0) - (p.upAt ?? 0));
  const valid = criticalSamplesMs.filter((x) => Number.isFinite(x));
  if (valid.length !== criticalSamplesMs.length) problems.push('a critical probe never reached HQ');

  const stationErrors: Record<string, number> = {};
  let lastError: string | null = null;
  const stateChanges: { at: number; state: string }[] = [];
  let lastState = '';
  for (const e of c.relayLog) {
    if (e.lastError !== null && e.lastError !== lastError) stationErrors[errorShape(e.lastError)] = (stationErrors[errorShape(e.lastError)] ?? 0) + 1;
    lastError = e.lastError;
    if (e.state !== lastState) stateChanges.push({ at: e.at, state: e.state });
    lastState = e.state;
  }
  const otherRequests: Record<string, number> = {};
  for (const r of requests) if (r.kind !== 'batch' && r.kind !== 'blob-put') otherRequests[r.kind] = (otherRequests[r.kind] ?? 0) + 1;

  return {
    verified: problems.length === 0,
    phases,
    problems,
    drainEnd,
    drainSeconds,
    outages,
    outageSeconds,
    upBytes,
    floorSeconds,
    events,
    eventsNonPhoto,
    rawNonPhoto,
    gzip6NonPhoto,
    gzip6SmallNonPhoto,
    rawBytesPerEvent: rawNonPhoto / Math.max(1, eventsNonPhoto),
    wireBytesPerEvent: wireNonPhoto / Math.max(1, eventsNonPhoto),
    wireSource,
    wireByLane,
    lanes,
    sockets: new Set(requests.map((r) => r.socket)).size,
    requestCount: requests.length,
    blobPuts: { n: puts.length, ok: puts.filter((r) => r.status === 200).length, resumed: puts.filter((r) => (r.rangeStart ?? 0) > 0).length, bytes: puts.reduce((s, r) => s + r.bytesIn, 0), medianMs: median(puts.map((r) => r.tRes - r.tReq)) },
    blobHeads: requests.filter((r) => r.kind === 'blob-head').length,
    otherRequests,
    time: {
      upSeconds,
      busySeconds,
      idleSeconds: upSeconds - busySeconds,
      idleSampledSeconds: idleSampled / 1000,
      ...slots,
    },
    bytes: { cutByLink, cuts: cuts.length, blobBytesKept, refusedOrFailedAnswers, resentItems, resentBytes, headerBytes, downBytes: c.endStats.bytesDown },
    outageRows,
    criticalLatencyMs: valid.length === 0 ? null : Math.max(...valid),
    criticalSamplesMs,
    criticalPollSamplesMs,
    stationErrors,
    stateChanges,
  };
}

const SLOT_MS = 10;

export interface TimeSlots {
  /** Some request's body was on its way in (headers in, body not yet). */
  uploadingSeconds: number;
  /** Bodies were in and HQ had not answered yet (parse, apply, COMMIT), nothing uploading. */
  hqProcessingSeconds: number;
  /** No request open at HQ between two requests (the answer going down, the station preparing, the next request coming up). */
  betweenSeconds: number;
  gaps: number;
  medianGapMs: number;
  /** No request open at HQ from the link coming up (or the relay connecting) to the first one. */
  afterLinkUpSeconds: number;
}

/** What HQ was doing in each 10 ms of the time the link was up, from its request log. */
function classifyTime(requests: readonly HqRequest[], ups: readonly Interval[], from: number, to: number): TimeSlots {
  const n = Math.max(0, Math.ceil((to - from) / SLOT_MS));
  const uploading = new Int32Array(n + 1);
  const processing = new Int32Array(n + 1);
  const mark = (diff: Int32Array, a: number, b: number): void => {
    const i = Math.max(0, Math.floor((a - from) / SLOT_MS));
    const j = Math.min(n, Math.floor((b - from) / SLOT_MS));
    if (j <= i) return;
    diff[i] = (diff[i] ?? 0) + 1;
    diff[j] = (diff[j] ?? 0) - 1;
  };
  for (const r of requests) {
    // A blob PUT streams its body into HQ: it is coming in until HQ answers.
    const body = r.kind === 'blob-put' ? r.tRes : (r.tBody ?? r.tRes);
    mark(uploading, r.tReq, body);
    mark(processing, body, r.tRes);
  }
  const out: TimeSlots = { uploadingSeconds: 0, hqProcessingSeconds: 0, betweenSeconds: 0, gaps: 0, medianGapMs: 0, afterLinkUpSeconds: 0 };
  const gaps: number[] = [];
  let up = 0;
  let proc = 0;
  const upAt = new Uint8Array(n);
  for (const u of ups) for (let i = Math.max(0, Math.floor((u.from - from) / SLOT_MS)); i < Math.min(n, Math.floor((u.to - from) / SLOT_MS)); i++) upAt[i] = 1;
  let seenRequest = false;
  let gap = 0;
  for (let i = 0; i < n; i++) {
    up += uploading[i] ?? 0;
    proc += processing[i] ?? 0;
    if (upAt[i] === 0) {
      seenRequest = false;
      gap = 0;
      continue;
    }
    if (up > 0) out.uploadingSeconds += SLOT_MS;
    else if (proc > 0) out.hqProcessingSeconds += SLOT_MS;
    else if (!seenRequest) out.afterLinkUpSeconds += SLOT_MS;
    else {
      out.betweenSeconds += SLOT_MS;
      gap += SLOT_MS;
    }
    if (up > 0 || proc > 0) {
      seenRequest = true;
      if (gap > 0) gaps.push(gap);
      gap = 0;
    }
  }
  return {
    uploadingSeconds: out.uploadingSeconds / 1000,
    hqProcessingSeconds: out.hqProcessingSeconds / 1000,
    betweenSeconds: out.betweenSeconds / 1000,
    gaps: gaps.length,
    medianGapMs: median(gaps),
    afterLinkUpSeconds: out.afterLinkUpSeconds / 1000,
  };
}

/** Link back → HQ answered the first batch that carried the probe (after its COMMIT). */
function probeLatency(p: Probe, commits: readonly HqRequest[]): number | null {
  if (p.upAt === null) return null;
  const carrying = commits.filter((r) => r.lane === p.lane && (r.fromSeq ?? 0) <= p.seq && p.seq <= (r.toSeq ?? 0)).sort((a, b) => a.tRes - b.tRes)[0];
  if (carrying !== undefined) return carrying.tRes - p.upAt;
  return p.seenAt === null ? null : p.seenAt - p.upAt;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const sec = (ms: number): string => (ms / 1000).toFixed(1);
const met = (ok: boolean): string => (ok ? 'met' : 'NOT MET');

export function printReport(c: Collected, a: Analysis): void {
  const f = c.flags;
  const t = (at: number): string => `${sec(at - c.drainStart)} s`;
  const ratio = a.wireBytesPerEvent / a.rawBytesPerEvent;
  const out: string[] = [];
  out.push(
    `Relay benchmark${f.quick ? ' (quick)' : ''}: ${int(c.backlog.docked)} events docked (${Object.entries(c.backlog.statuses).map(([s, n]) => `${s} ${int(n)}`).join(', ')}) in ${c.backlog.seconds.toFixed(0)} s, ${f.photos} photos × ${int(f.photoBytes)} B; then drained through sat-link geo (256 kbit/s up, 1 Mbit/s down, 600 ms RTT), outage ${f.outageForSec} s every ${f.outageEverySec} s`,
  );
  out.push(`  code: ${c.codeState}`);
  out.push(`  HQ ${a.verified ? 'holds everything' : 'DOES NOT HOLD EVERYTHING'}: ${LANES.map((l) => `${l} ${int(c.hqLanes[l]?.n ?? 0)}/${int(c.stationLanes[l])}`).join(', ')} (HQ/station outbox seq); duplicate event ids ${c.duplicateEvents}; photos complete ${c.blobs.complete}/${f.photos} (${int(c.blobs.heldBytes)} B)`);
  for (const p of a.problems) out.push(`  PROBLEM: ${p}`);
  out.push('');
  out.push(`Bytes per event (${int(a.eventsNonPhoto)} events in the critical, production, readings and notes lanes; ${int(a.events)} events in all lanes)`);
  out.push(`  raw §5 JSON ${int(a.rawBytesPerEvent)} B/event; on the wire ${int(a.wireBytesPerEvent)} B/event (${a.wireSource}): 1/${(1 / ratio).toFixed(1)} of raw (target ≤ 1/10: ${met(ratio <= 0.1)}); gzip-6 of the same JSON: 1/${(a.rawNonPhoto / a.gzip6NonPhoto).toFixed(1)} in 1,000-item batches, 1/${(a.rawNonPhoto / a.gzip6SmallNonPhoto).toFixed(1)} in 100-item batches`);
  out.push('  lane        items   events   raw JSON B   gzip-6 B     wire B   batches (ok)  median items  median ms');
  for (const l of LANES) {
    const x = a.lanes[l];
    out.push(`  ${l.padEnd(10)} ${int(x.items).padStart(7)} ${int(x.events).padStart(8)} ${int(x.jsonBytes).padStart(12)} ${int(x.gzip6Bytes).padStart(10)} ${int(a.wireByLane[l] ?? 0).padStart(10)} ${`${int(x.requests)} (${int(x.ok)})`.padStart(13)} ${int(x.medianItems).padStart(13)} ${int(x.medianRequestMs).padStart(10)}`);
  }
  out.push(
    `  lanes in time (s since the relay was connected, first request → last answer): ${LANES.filter((l) => a.lanes[l].firstAt > 0)
      .map((l) => `${l} ${sec(a.lanes[l].firstAt - c.drainStart)}–${sec(a.lanes[l].lastAt - c.drainStart)}`)
      .join(', ')}`,
  );
  out.push(`  the photos lane: ${int(a.lanes.photos.items)} items, ${f.photos} of them photos the station holds the bytes of; the rest are the workload's PHOTO_ATTACHED metadata (no tablet uploaded those bytes)`);
  out.push(
    `  photo bytes: ${int(a.blobPuts.n)} PUTs (${a.blobPuts.ok} answered 200, ${a.blobPuts.resumed} resuming past bytes HQ kept), ${int(a.blobPuts.bytes)} B read by HQ, median ${int(a.blobPuts.medianMs)} ms each; ${a.blobHeads} HEADs; other requests ${JSON.stringify(a.otherRequests)}; ${int(a.sockets)} TCP connections for ${int(a.requestCount)} requests`,
  );
  out.push('');
  const drainRatio = a.drainSeconds / a.floorSeconds;
  out.push(`Drain ${a.drainSeconds.toFixed(1)} s vs floor ${a.floorSeconds.toFixed(1)} s = ${int(a.upBytes)} B up ÷ ${int(c.upBytesPerSec)} B/s (${(a.upBytes / c.upBytesPerSec).toFixed(1)} s) + ${a.outageSeconds.toFixed(1)} s in ${a.outages.length} outages: ×${drainRatio.toFixed(2)} (target ≤ ×1.25: ${met(drainRatio <= 1.25)})`);
  out.push(`  link up ${a.time.upSeconds.toFixed(1)} s: busy ${a.time.busySeconds.toFixed(1)} s (${((100 * a.time.busySeconds) / a.time.upSeconds).toFixed(0)} %), idle ${a.time.idleSeconds.toFixed(1)} s (250 ms samples with no byte up: ${a.time.idleSampledSeconds.toFixed(1)} s)`);
  out.push(`  phases (wall, of it link up; bytes up ÷ 32,000 B/s = busy; busy ÷ up):`);
  for (const p of a.phases) {
    const up = (p.to - p.from) / 1000 - p.outageSeconds;
    const busy = p.upBytes / c.upBytesPerSec;
    out.push(`    ${p.name.padEnd(44)} ${t(p.from)}–${t(p.to)}: ${sec(p.to - p.from)} s, up ${up.toFixed(1)} s, ${int(p.upBytes)} B = busy ${busy.toFixed(1)} s: ${((100 * busy) / Math.max(up, 0.001)).toFixed(0)} %`);
  }
  out.push(`  the link's up time as HQ saw it (request log, 10 ms slots):`);
  out.push(`    a request body coming in (a blob PUT: until HQ answers, it streams): ${a.time.uploadingSeconds.toFixed(1)} s`);
  out.push(`    bodies in, waiting for HQ's answer (parse, apply, COMMIT): ${a.time.hqProcessingSeconds.toFixed(1)} s`);
  out.push(`    no request open between two requests (answer down, station prepares, next request up: ≥ 1 RTT): ${a.time.betweenSeconds.toFixed(1)} s in ${int(a.time.gaps)} gaps, median ${int(a.time.medianGapMs)} ms`);
  out.push(`    from the link (re)starting to the first request reaching HQ: ${a.time.afterLinkUpSeconds.toFixed(1)} s`);
  out.push(
    `  bytes that bought nothing: ${int(a.bytes.cutByLink)} B in ${a.bytes.cuts} requests cut by outages and ${int(a.bytes.refusedOrFailedAnswers)} B in requests answered ≥ 300, of which ${int(a.bytes.blobBytesKept)} B photo bytes HQ kept (the next PUT resumed past them); ${int(a.bytes.resentBytes)} B resending ${int(a.bytes.resentItems)} items HQ already held. Overhead: HTTP request headers ${int(a.bytes.headerBytes)} B up; ${int(a.bytes.downBytes)} B down`,
  );
  out.push('');
  out.push('Outages (times from the relay being connected)');
  out.push('  #   down      up        cut at HQ  → first request   → first byte  → first commit   critical probe  relay noticed (after down)  /  said before link-up');
  for (const r of a.outageRows) {
    out.push(
      `  ${String(r.n).padEnd(3)} ${t(r.downAt).padEnd(9)} ${(r.upAt === null ? '—' : t(r.upAt)).padEnd(9)} ${String(r.inFlight).padStart(9)}  ${(r.firstRequestMs === null ? '—' : `${int(r.firstRequestMs)} ms ${r.firstRequestKind ?? ''}`).padEnd(17)} ${(r.firstByteMs === null ? '—' : `${int(r.firstByteMs)} ms`).padEnd(13)} ${(r.firstCommitMs === null ? '—' : `${int(r.firstCommitMs)} ms`).padEnd(16)} ${(r.probeMs === null ? '—' : `${int(r.probeMs)} ms`).padEnd(15)} ${r.noticedMs === null ? '—' : `${sec(r.noticedMs)} s: ${r.noticed ?? ''}`}  /  ${r.stationError ?? ''}`,
    );
  }
  out.push('');
  const crit = a.criticalLatencyMs;
  out.push(
    `Critical items docked during an outage, link back → HQ answered the batch carrying them: max ${crit === null ? '—' : `${int(crit)} ms`} (target ≤ 5,000 ms: ${met(crit !== null && crit <= 5_000)}); samples ${JSON.stringify(a.criticalSamplesMs.map(Math.round))} ms; HQ polled every 100 ms: ${JSON.stringify(a.criticalPollSamplesMs.map(Math.round))} ms`,
  );
  const queues = c.probes.filter((p) => p.queueAtUp !== null).map((p) => `#${p.k} critical ${p.queueAtUp?.critical ?? 0}, photos ${p.queueAtUp?.photos ?? 0}`);
  if (queues.length > 0) out.push(`  queue when the link came back: ${queues.join('; ')}`);
  out.push(`Relay errors seen by the station: ${Object.entries(a.stationErrors).map(([m, n]) => `${n}× "${m}"`).join('; ') || 'none'}`);
  out.push(`Relay state changes: ${a.stateChanges.map((s) => `${t(s.at)} ${s.state}`).join(', ')}`);
  for (const line of out) console.log(line);
  console.log(
    JSON.stringify({
      bench: 'relay',
      rawBytesPerEvent: Math.round(a.rawBytesPerEvent),
      wireBytesPerEvent: Math.round(a.wireBytesPerEvent),
      drainSeconds: Number(a.drainSeconds.toFixed(1)),
      floorSeconds: Number(a.floorSeconds.toFixed(1)),
      criticalLatencyMs: crit === null ? null : Math.round(crit),
      wireToRaw: Number(ratio.toFixed(4)),
      gzip6ToRaw: Number((a.gzip6NonPhoto / a.rawNonPhoto).toFixed(4)),
      gzip6Of100ToRaw: Number((a.gzip6SmallNonPhoto / a.rawNonPhoto).toFixed(4)),
      drainToFloor: Number(drainRatio.toFixed(3)),
      criticalLatencySamplesMs: a.criticalSamplesMs.map(Math.round),
      events: a.events,
      eventsNonPhoto: a.eventsNonPhoto,
      photos: f.photos,
      photoBytes: f.photoBytes,
      outages: a.outages.length,
      outageSeconds: Number(a.outageSeconds.toFixed(1)),
      upBytes: a.upBytes,
      wireBytesByLane: a.wireByLane,
      wireSource: c.finalStatus && 'bytesByLane' in c.finalStatus ? 'station' : 'hq-log',
      idleSeconds: Number(a.time.idleSeconds.toFixed(1)),
      bytesCutByOutages: a.bytes.cutByLink,
      bytesLostToOutages: Math.max(0, a.bytes.cutByLink + a.bytes.refusedOrFailedAnswers - a.bytes.blobBytesKept) + a.bytes.resentBytes,
      verified: a.verified,
      quick: f.quick,
    }),
  );
}
