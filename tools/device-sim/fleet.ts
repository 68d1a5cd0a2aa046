/**
 * A fleet of simulated tablets docking with a real station over HTTP (protocol §2), the
 * way real ones do, checking every answer against what they sent.
 *
 * Per tablet: pair with a fresh code; then, per simulated day, record the day's events
 * (workload.ts) with `baseVersion`s from the last pull, and — unless it is one of the
 * undocked tablet's days — dock: upload the photos of each batch (`PUT /photos/{sha256}`),
 * send its outbox in gzip batches, drop what `syncedEventIds` names, pull
 * `GET /changes?since=…` until `hasMore` is false and keep the cursor and a map
 * recordKey → version. Tablets dock concurrently; each one's calls are sequential.
 * ~3 % of batches (and always the first batch of the second day) are resent as if the
 * answer had been lost: the exact same bytes again, whose accepted events must all come
 * back DUPLICATE. A request that gets no answer is retried (its events may then come back
 * DUPLICATE); one still failing leaves the events in the outbox for the next dock.
 *
 * Library code: no console (progress goes to `log`), no Math.random (seeded streams).
 */
import { createHash } from 'node:crypto';
import { recordKeyOf } from '../../src/shared/events/record-key.ts';
import type { FieldDaySettings } from '../../src/shared/events/types.ts';
import { validateEvent } from '../../src/shared/events/validate-event.ts';
import { roundSig4 } from '../../src/shared/units/normalize.ts';
import type { SyncEventResult } from '../../src/shared/protocol/sync.ts';
import type { BatchExpectation } from './checks.ts';
import { checkChangesPage, checkPullCoversOwnResults, checkSkews, checkSyncResponse } from './checks.ts';
import type { HttpAnswer } from './lan-client.ts';
import { describeAnswer, gzipJson, LanClient } from './lan-client.ts';
import { rngOf } from './prng.ts';
import type { DraftEvent, FleetPlan, JsonObject, JsonValue, PhotoBlob, TabletPlan } from './workload.ts';
import { DEFAULT_WORKLOAD, generateTabletDay, planFleet } from './workload.ts';

export interface FleetOptions {
  /** The station's LAN base URL, e.g. http://127.0.0.1:7420 */
  lanUrl: string;
  /** A fresh single-use pairing code for each tablet. */
  mintCode: () => Promise<string>;
  tablets?: number;
  days?: number;
  /** First simulated field day, YYYY-MM-DD. */
  startDate: string;
  seed: number;
  wellsPerRoute?: number;
  batchSize?: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** The station's field-day settings (`--timezone`, `--gauge-day-start-hour`). */
  timeZone?: string;
  gaugeDayStartHour?: number;
  /** Prefix of event/batch ids; default: unique per run, so reruns against one station never collide. */
  runId?: string;
  /** Share of batches resent as after a lost answer (default 0.03). */
  resendRate?: number;
  /** Per request (default 60 s). */
  requestTimeoutMs?: number;
  /** Extra attempts for a request that gets no answer or a 5xx (default 3). */
  retries?: number;
}

export interface FleetReport {
  tablets: number;
  /** Distinct batches sent (a deliberate resend is not counted here but in `resends`). */
  batches: number;
  /** Distinct events sent. */
  events: number;
  /** Results by status over every answer, resends included (so DUPLICATE counts resent events). */
  byStatus: Record<string, number>;
  /** Distinct conflict ids named in sync results. */
  conflicts: number;
  violations: string[];
  photosUploaded: number;
  elapsedMs: number;
  /** Batches deliberately sent twice. */
  resends: number;
  /** Requests retried after no answer or a 5xx. */
  retries: number;
}

const DEFAULT_BATCH_SIZE = 500;
const CHANGES_PAGE = 1000;
const SKEW_TOLERANCE_MS = 60_000;
const MAX_VIOLATIONS = 500;

interface WireEvent {
  id: string;
  type: string;
  operatorId: string;
  occurredAt: string;
  baseVersion: number | null;
  payload: JsonObject;
}

interface Pending {
  event: WireEvent;
  recordKey: string;
  photo: PhotoBlob | null;
}

interface Tablet {
  plan: TabletPlan;
  token: string | null;
  cursor: string | null;
  /** recordKey → version as last pulled. */
  versions: Map<string, number>;
  outbox: Pending[];
  uploaded: Set<string>;
  /** Ids sent in a request that got no answer: they may come back DUPLICATE. */
  maybeHeld: Set<string>;
  batchNo: number;
  skews: number[];
}

interface SentRecord {
  deviceId: string;
  event: WireEvent;
  recordKey: string;
  result: SyncEventResult | null;
}

class AbortedError extends Error {}
class StationGoneError extends Error {}

const MINT_CONCURRENCY = 4;

/** `fn` over the items, at most `limit` at a time, results in item order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<(R | undefined)[]> {
  const out = new Map<number, R>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      const item = items[i];
      if (item !== undefined) out.set(i, await fn(item));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return items.map((_, i) => out.get(i));
}

/** Requests in a row that end without any answer before the run gives up on the station. */
const GIVE_UP_AFTER_UNANSWERED = 3;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(new AbortedError('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? ` (${String((cause as { code: unknown }).code)})` : '';
    return `${err.name}: ${err.message}${code}`;
  }
  return String(err);
}

function isHttpAnswer(a: { status: number }): a is HttpAnswer {
  return 'text' in a && 'body' in a;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function productionContent(payload: JsonObject): string {
  const n = (v: JsonValue | undefined): string => (typeof v === 'number' ? String(roundSig4(v)) : 'null');
  return [n(payload['oilBbl']), n(payload['gasMcf']), n(payload['waterBbl']), n(payload['hoursOn'])].join('|');
}

function countStatuses(results: readonly (SyncEventResult | null)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) if (r !== null) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

function formatCounts(counts: Record<string, number>): string {
  const order = ['APPLIED', 'CONFIRMED', 'SUPERSEDED', 'CONFLICT', 'DUPLICATE', 'REJECTED'];
  const keys = [...order.filter((k) => k in counts), ...Object.keys(counts).filter((k) => !order.includes(k)).sort()];
  return keys.map((k) => `${k} ${counts[k] ?? 0}`).join(' · ');
}

/** Runs the simulated fleet against the station at `lanUrl`. Rejects only when aborted or on a bad option. */
export async function runFleet(options: FleetOptions): Promise<FleetReport> {
  const started = performance.now();
  const log = options.log ?? ((): void => undefined);
  const { signal, lanUrl } = options;
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const retries = options.retries ?? 3;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const resendRate = options.resendRate ?? 0.03;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new RangeError(`batchSize must be a whole number from 1 to 10000 (got ${String(batchSize)})`);
  const settings: FieldDaySettings = {
    timeZone: options.timeZone ?? DEFAULT_WORKLOAD.timeZone,
    gaugeDayStartHour: options.gaugeDayStartHour ?? DEFAULT_WORKLOAD.gaugeDayStartHour,
  };
  const runId = options.runId ?? `r${Date.now().toString(36)}${(options.seed >>> 0).toString(36)}`;
  const plan: FleetPlan = planFleet({
    tablets: options.tablets ?? DEFAULT_WORKLOAD.tablets,
    days: options.days ?? DEFAULT_WORKLOAD.days,
    startDate: options.startDate,
    seed: options.seed,
    wellsPerRoute: options.wellsPerRoute ?? DEFAULT_WORKLOAD.wellsPerRoute,
    timeZone: settings.timeZone,
    gaugeDayStartHour: settings.gaugeDayStartHour,
    runId,
  });

  const violations: string[] = [];
  let droppedViolations = 0;
  const violate = (lines: readonly string[]): void => {
    for (const line of lines) {
      if (violations.length < MAX_VIOLATIONS) violations.push(line);
      else droppedViolations += 1;
    }
  };
  const byStatus: Record<string, number> = {};
  const conflictIds = new Set<string>();
  const sent = new Map<string, SentRecord>();
  /** recordKey → the highest version seen in any answer so far. */
  const maxVersion = new Map<string, number>();
  const seeVersion = (key: string, version: number): void => {
    if (version > (maxVersion.get(key) ?? 0)) maxVersion.set(key, version);
  };
  let batches = 0;
  let resends = 0;
  let retried = 0;
  let photosUploaded = 0;
  /** Requests in a row that got no answer at all, even after retries. */
  let unanswered = 0;
  let stationGone = false;
  const client = new LanClient(lanUrl, timeoutMs, signal);
  const isAborted = (): boolean => signal?.aborted === true;
  const checkAbort = (): void => {
    if (isAborted()) throw new AbortedError('aborted');
  };

  /** Runs `fn` with retries on no answer or a 5xx; null when it never got a usable answer. */
  const withRetries = async <A extends { status: number }>(what: string, fn: () => Promise<A>, onNoAnswer?: () => void): Promise<A | null> => {
    for (let attempt = 0; ; attempt++) {
      checkAbort();
      if (stationGone) throw new StationGoneError('the station stopped answering');
      let failure: string;
      let answered = false;
      try {
        const answer = await fn();
        answered = true;
        unanswered = 0;
        if (answer.status < 500) return answer;
        failure = isHttpAnswer(answer) ? describeAnswer(answer) : String(answer.status);
        // 503 is a station that is stopping or busy: retry. Any other 5xx is a station bug.
        if (answer.status !== 503) violate([`${what}: the station answered ${failure} (a valid request must not fail)`]);
      } catch (err) {
        checkAbort();
        failure = errorText(err);
      }
      onNoAnswer?.();
      if (attempt >= retries) {
        violate([`${what}: no usable answer after ${attempt + 1} attempts (last: ${failure})`]);
        if (!answered && ++unanswered >= GIVE_UP_AFTER_UNANSWERED) {
          stationGone = true;
          throw new StationGoneError(`the station stopped answering (${failure})`);
        }
        return null;
      }
      retried += 1;
      log(`  ${what}: ${failure}; retrying`);
      await sleep(250 * 2 ** attempt, signal);
    }
  };

  const tablets: Tablet[] = plan.tablets.map((p) => ({ plan: p, token: null, cursor: null, versions: new Map(), outbox: [], uploaded: new Set(), maybeHeld: new Set(), batchNo: 0, skews: [] }));
  let cutShort = false;

  const pairAll = async (): Promise<void> => {
    const health = await withRetries('GET /health', () => client.getJson('/health'));
    if (health !== null) {
      const b = health.body;
      if (health.status !== 200 || !isObject(b) || b['status'] !== 'ok' || b['protocol'] !== 1 || typeof b['stationId'] !== 'string') {
        violate([`GET /health: expected 200 {"status":"ok","protocol":1,"stationId",…} (got ${describeAnswer(health)})`]);
      } else {
        log(`station ${String(b['stationId'])} (version ${String(b['version'])}) at ${lanUrl}`);
      }
    }

    // ---- pairing ----
    // Minting may start a process per code: a few at a time.
    const codes = await mapLimit(tablets, MINT_CONCURRENCY, async (t) => {
      checkAbort();
      try {
        return (await options.mintCode()).trim();
      } catch (err) {
        violate([`${t.plan.deviceId}: could not mint a pairing code: ${errorText(err)}`]);
        return null;
      }
    });
    for (const [i, t] of tablets.entries()) {
      checkAbort();
      const code = codes[i];
      if (code === null || code === undefined) continue;
      const answer = await withRetries(`${t.plan.deviceId} POST /pair`, () => client.postJson('/pair', { code, deviceId: t.plan.deviceId, deviceName: t.plan.deviceName }));
      if (answer === null) continue;
      const b = answer.body;
      if (answer.status !== 201 || !isObject(b) || typeof b['deviceToken'] !== 'string' || b['deviceToken'] === '') {
        violate([`${t.plan.deviceId} POST /pair: expected 201 {"deviceToken","stationId","tenantId"} (got ${describeAnswer(answer)})`]);
        continue;
      }
      if (typeof b['stationId'] !== 'string' || typeof b['tenantId'] !== 'string') violate([`${t.plan.deviceId} POST /pair: stationId and tenantId must be strings (got ${answer.text})`]);
      t.token = b['deviceToken'];
      log(`paired ${t.plan.deviceId} — ${t.plan.deviceName}${t.plan.clockOffsetMs !== 0 ? `, clock ${t.plan.clockOffsetMs / 60_000} min fast` : ''}${t.plan.undockedDays.length > 0 ? `, undocked after days ${t.plan.undockedDays.map((d) => d + 1).join(', ')}` : ''}`);
    }
  };

  try {
    // ---- health and pairing ----
    try {
      await pairAll();
    } catch (err) {
      if (!(err instanceof StationGoneError)) throw err;
      violations.push(`pairing: ${err.message}; the run stopped there`);
      cutShort = true;
    }

    // ---- one dock ----
    const pull = async (t: Tablet, own: ReadonlyMap<string, number>): Promise<void> => {
      const token = t.token;
      if (token === null) return;
      const pulled = new Map<string, number>();
      for (let page = 0; ; page++) {
        const query = t.cursor === null ? `?limit=${CHANGES_PAGE}` : `?since=${encodeURIComponent(t.cursor)}&limit=${CHANGES_PAGE}`;
        const label = `${t.plan.deviceId} GET /changes${page > 0 ? ` (page ${page + 1})` : ''}`;
        const answer = await withRetries(label, () => client.getJson(`/changes${query}`, token));
        if (answer === null) return;
        if (answer.status !== 200) {
          violate([`${label}: expected 200 (got ${describeAnswer(answer)})`]);
          return;
        }
        const checked = checkChangesPage(label, answer.body);
        violate(checked.violations);
        for (const r of checked.records) {
          const had = t.versions.get(r.key);
          if (had !== undefined && r.version < had) violate([`${label}: ${r.key} at version ${r.version}, below version ${had} the tablet pulled before`]);
          t.versions.set(r.key, Math.max(had ?? 0, r.version));
          pulled.set(r.key, Math.max(pulled.get(r.key) ?? 0, r.version));
          seeVersion(r.key, r.version);
        }
        if (checked.nextCursor === null) return;
        t.cursor = checked.nextCursor;
        if (!checked.hasMore) break;
        if (page > 10_000) {
          violate([`${label}: hasMore is still true after ${page} pages`]);
          return;
        }
      }
      violate(checkPullCoversOwnResults(`${t.plan.deviceId} GET /changes after its dock`, own, pulled));
    };

    const uploadPhoto = async (t: Tablet, token: string, photo: PhotoBlob): Promise<void> => {
      if (t.uploaded.has(photo.sha256)) return;
      const label = `${t.plan.deviceId} PUT /photos/${photo.sha256.slice(0, 12)}…`;
      const answer = await withRetries(label, () => client.putBytes(`/photos/${photo.sha256}`, photo.bytes, photo.mimeType, token));
      if (answer === null) return;
      if (answer.status !== 201 && answer.status !== 200) {
        violate([`${label}: expected 201 (or 200 when already held) (got ${describeAnswer(answer)})`]);
        return;
      }
      t.uploaded.add(photo.sha256);
      photosUploaded += 1;
      const back = await withRetries(`${label} GET`, () => client.getBytes(`/photos/${photo.sha256}`, token));
      if (back === null) return;
      if (back.status !== 200) violate([`${label}: GET of the uploaded photo answered ${back.status}`]);
      else if (createHash('sha256').update(back.bytes).digest('hex') !== photo.sha256) {
        violate([`${label}: GET returned other bytes than were uploaded (${back.bytes.length} vs ${photo.bytes.length})`]);
      }
    };

    const dock = async (t: Tablet, dayLabel: string): Promise<void> => {
      const token = t.token;
      if (token === null) return;
      const dockStart = performance.now();
      const counts: Record<string, number> = {};
      const own = new Map<string, number>();
      let batchCount = 0;
      let eventCount = 0;
      const queue = t.outbox;
      for (let start = 0; start < queue.length; start += batchSize) {
        checkAbort();
        const chunk = queue.slice(start, start + batchSize);
        t.batchNo += 1;
        batches += 1;
        batchCount += 1;
        eventCount += chunk.length;
        const batchId = `${runId}-${t.plan.deviceId}-b${String(t.batchNo).padStart(4, '0')}`;
        for (const p of chunk) if (p.photo !== null) await uploadPhoto(t, token, p.photo);
        const body = {
          deviceId: t.plan.deviceId,
          batchId,
          deviceTime: new Date(Date.now() + t.plan.clockOffsetMs).toISOString(),
          events: chunk.map((p) => p.event),
        };
        const gz = gzipJson(body);
        const ids = chunk.map((p) => p.event.id);
        const label = `${t.plan.deviceId} batch ${batchId}`;
        const floor = new Map<string, number>();
        for (const p of chunk) floor.set(p.recordKey, maxVersion.get(p.recordKey) ?? 0);
        const answer = await withRetries(`${label} POST /sync`, () => client.postGzip('/sync', gz, token), () => {
          for (const id of ids) t.maybeHeld.add(id);
        });
        if (answer === null) continue;
        if (answer.status !== 200) {
          violate([`${label} POST /sync: expected 200 (got ${describeAnswer(answer)})`]);
          continue;
        }
        const expectation: BatchExpectation = {
          label,
          batchId,
          events: chunk.map((p) => ({ id: p.event.id, recordKey: p.recordKey })),
          mustDuplicate: new Set(),
          mustReject: new Set(),
          mayDuplicate: t.maybeHeld,
          versionFloor: floor,
        };
        const checked = checkSyncResponse(expectation, answer.body);
        violate(checked.violations);
        if (checked.clockSkewMs !== null) t.skews.push(checked.clockSkewMs);
        checked.results.forEach((r, i) => {
          const p = chunk[i];
          if (r === null || p === undefined) return;
          counts[r.status] = (counts[r.status] ?? 0) + 1;
          byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
          const record = sent.get(p.event.id);
          if (record !== undefined && record.result === null && r.status !== 'DUPLICATE') record.result = r;
          if (r.status === 'CONFLICT') conflictIds.add(r.conflictId);
          if ('version' in r) {
            seeVersion(r.recordKey, r.version);
            own.set(r.recordKey, Math.max(own.get(r.recordKey) ?? 0, r.version));
          }
        });

        // The dropped answer: the tablet never saw it and sends the very same bytes again.
        const forced = t.plan.index === 0 && t.batchNo === (plan.dates.length > 1 ? 2 : 1);
        if (forced || rngOf(options.seed, 'resend', t.plan.deviceId, t.batchNo)() < resendRate) {
          resends += 1;
          const rejected = new Set(checked.results.filter((r) => r !== null && r.status === 'REJECTED').map((r) => r?.eventId ?? ''));
          const second = await withRetries(`${label} resend POST /sync`, () => client.postGzip('/sync', gz, token));
          if (second !== null && second.status !== 200) violate([`${label} resend POST /sync: expected 200 (got ${describeAnswer(second)})`]);
          else if (second !== null) {
            const recheck = checkSyncResponse(
              { ...expectation, label: `${label} (resent after a dropped answer)`, mustDuplicate: new Set(ids.filter((id) => !rejected.has(id))), mustReject: rejected },
              second.body,
            );
            violate(recheck.violations);
            const again = countStatuses(recheck.results);
            for (const [status, n] of Object.entries(again)) {
              counts[status] = (counts[status] ?? 0) + n;
              byStatus[status] = (byStatus[status] ?? 0) + n;
            }
            log(`  ${t.plan.deviceId}: answer to ${batchId} "lost"; resent the same ${ids.length} events → ${formatCounts(again)}`);
          }
        }
        // Synced events leave the outbox; so does a rejected one (quarantined at the station,
        // shown to the operator): resending it would only be rejected again.
        const drop = new Set(checked.syncedEventIds);
        for (const r of checked.results) if (r?.status === 'REJECTED' && r.eventId !== null) drop.add(r.eventId);
        for (const id of drop) t.maybeHeld.delete(id);
        t.outbox = t.outbox.filter((p) => !drop.has(p.event.id));
      }
      await pull(t, own);
      const skew = t.skews.at(-1);
      log(`${dayLabel} ${t.plan.deviceId}: ${batchCount} batch${batchCount === 1 ? '' : 'es'}, ${eventCount} events → ${formatCounts(counts)}${skew === undefined ? '' : ` · skew ${(skew / 1000).toFixed(1)} s`} · ${Math.round(performance.now() - dockStart)} ms`);
    };

    // ---- the days ----
    for (let d = 0; d < plan.dates.length && !cutShort; d++) {
      if (isAborted()) throw signal?.reason ?? new AbortedError('aborted');
      const dayLabel = `day ${d + 1}/${plan.dates.length} (${plan.dates[d] ?? ''})`;
      // Every tablet finishes (or fails) its dock before the next day or the end of the run,
      // so no request outlives runFleet.
      const outcomes = await Promise.allSettled(
        tablets.map(async (t) => {
          if (t.token === null) return;
          const day = generateTabletDay(plan, t.plan.index, d);
          const photos = new Map(day.photos.map((p) => [p.sha256, p]));
          for (const draft of day.events) t.outbox.push(toPending(t, draft, photos, settings, sent));
          if (day.docks) await dock(t, dayLabel);
          else log(`${dayLabel} ${t.plan.deviceId}: stays undocked with ${t.outbox.length} events`);
        }),
      );
      for (const o of outcomes) {
        if (o.status === 'fulfilled') continue;
        if (isAborted()) throw signal?.reason ?? new AbortedError('aborted');
        if (!(o.reason instanceof StationGoneError)) throw o.reason;
        if (!cutShort) violations.push(`${dayLabel}: ${o.reason.message}; the run stopped there`);
        cutShort = true;
      }
    }

    // ---- run-wide checks ----
    violate(checkSkews(new Map(tablets.map((t) => [t.plan.deviceId, { offsetMs: t.plan.clockOffsetMs, skews: t.skews }])), SKEW_TOLERANCE_MS));
    violate(checkDoubleVisits(plan, sent));
    violate(checkSkewedReadings(plan, sent));
    for (const t of tablets) {
      if (!cutShort && t.token !== null && t.outbox.length > 0) violate([`${t.plan.deviceId}: ${t.outbox.length} events never synced (still in its outbox at the end)`]);
    }
    if (droppedViolations > 0) violations.push(`… and ${droppedViolations} more violations`);

    return {
      tablets: tablets.filter((t) => t.token !== null).length,
      batches,
      events: sent.size,
      byStatus,
      conflicts: conflictIds.size,
      violations,
      photosUploaded,
      elapsedMs: Math.round(performance.now() - started),
      resends,
      retries: retried,
    };
  } catch (err) {
    if (err instanceof AbortedError) throw signal?.reason ?? err;
    throw err;
  } finally {
    // Close our connections: a tablet leaving the dock, and no idle socket keeps a stopping station waiting.
    client.close();
  }
}

function toPending(t: Tablet, draft: DraftEvent, photos: ReadonlyMap<string, PhotoBlob>, settings: FieldDaySettings, sent: Map<string, SentRecord>): Pending {
  const validated = validateEvent({ ...draft, baseVersion: null });
  if (!validated.ok) throw new Error(`simulator bug: generated an invalid event ${draft.id}: ${validated.message}`);
  const recordKey = recordKeyOf(validated.event, settings);
  // The tablet records the version it last pulled when the event is created.
  const event: WireEvent = { ...draft, baseVersion: t.versions.get(recordKey) ?? null };
  sent.set(event.id, { deviceId: t.plan.deviceId, event, recordKey, result: null });
  const sha = draft.type === 'PHOTO_ATTACHED' ? draft.payload['sha256'] : undefined;
  return { event, recordKey, photo: typeof sha === 'string' ? (photos.get(sha) ?? null) : null };
}

/**
 * Two operators who both logged a well-day's production without seeing each other's entry
 * (different contents) must have produced a CONFLICT on that key (protocol §1: live events
 * with different contents), when this run created the key.
 */
function checkDoubleVisits(plan: FleetPlan, sent: ReadonlyMap<string, SentRecord>): string[] {
  const byKey = new Map<string, SentRecord[]>();
  for (const s of sent.values()) {
    if (s.event.type !== 'PRODUCTION_LOGGED') continue;
    const list = byKey.get(s.recordKey);
    if (list === undefined) byKey.set(s.recordKey, [s]);
    else list.push(s);
  }
  const out: string[] = [];
  for (const dv of plan.doubleVisits) {
    const key = `production/${dv.wellId}/${plan.dates[dv.dayIndex] ?? ''}`;
    const events = byKey.get(key) ?? [];
    const latest = (deviceId: string): SentRecord | undefined =>
      events.filter((s) => s.deviceId === deviceId && s.event.baseVersion === null).sort((a, b) => a.event.occurredAt.localeCompare(b.event.occurredAt)).at(-1);
    const a = latest(dv.owner);
    const b = latest(dv.visitor);
    if (a === undefined || b === undefined) continue;
    const results = events.filter((s) => s.deviceId === dv.owner || s.deviceId === dv.visitor).map((s) => s.result);
    if (results.some((r) => r === null)) continue;
    // Only a key this run created: on a station that already held it (a rerun), older
    // events take part too.
    const versions = events.map((s) => (s.result !== null && 'version' in s.result ? s.result.version : Number.POSITIVE_INFINITY));
    if (Math.min(...versions) !== 1) continue;
    if (productionContent(a.event.payload) === productionContent(b.event.payload)) continue;
    if (!results.some((r) => r?.status === 'CONFLICT')) {
      out.push(`expectation: ${key} was logged by ${dv.owner} and ${dv.visitor} without seeing each other (${productionContent(a.event.payload)} vs ${productionContent(b.event.payload)}), yet no result on it was CONFLICT (${results.map((r) => r?.status ?? '?').join(', ')})`);
    }
  }
  return out;
}

/**
 * A NEWEST_WINS conflict with a live event from the tablet an hour fast must go to review
 * (protocol §1, skew limit 120 s by default): a CONFLICT result given to that tablet's own
 * reading is MANUAL_REVIEW.
 */
function checkSkewedReadings(plan: FleetPlan, sent: ReadonlyMap<string, SentRecord>): string[] {
  const skewed = new Set(plan.tablets.filter((t) => Math.abs(t.clockOffsetMs) > 120_000).map((t) => t.deviceId));
  const out: string[] = [];
  for (const s of sent.values()) {
    if (!skewed.has(s.deviceId) || s.event.type !== 'WELL_READING_RECORDED' || s.result?.status !== 'CONFLICT') continue;
    if (s.result.outcome !== 'MANUAL_REVIEW') {
      out.push(`expectation: ${s.deviceId}'s reading ${s.event.id} on ${s.recordKey} came from a clock an hour off, so its NEWEST_WINS conflict must go to review (got outcome ${s.result.outcome}, strategy ${s.result.strategy})`);
    }
  }
  return out;
}
