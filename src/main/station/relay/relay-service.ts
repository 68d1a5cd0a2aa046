/**
 * The relay as a service of the station: the RelayLoop with a delegate that reads the
 * outbox, POSTs gzip batches to HQ (protocol §5), probes HQ's health, keeps HQ's acks,
 * counts bytes per day against the budget and holds photos to their time window; and the
 * link status the dashboard shows. Runs only while an HQ URL and station key are set.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Logger } from 'pino';
import type { LinkStatus } from '../../../shared/api/station-api.ts';
import { COLUMNAR_CONTENT_TYPE, encodeColumnar, type PlainBatch } from '../../../shared/protocol/columnar.ts';
import { LANES, type Lane } from '../../../shared/protocol/sync.ts';
import type { StationDb } from '../db/open-database.ts';
import type { Store } from '../ingest/write-session.ts';
import type { StationIdentity } from '../identity.ts';
import { OutboxSource, parkedPlaceholder, UNREADABLE_PREFIX, type RelayItem } from './outbox-source.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { applyHqUpdates, hqUpdatesCursor, parseHqUpdates } from './hq-updates.ts';
import { hasPhoto } from '../photos/photo-store.ts';
import { photoOffsets, uploadPhoto, type PhotoUploadTarget } from './photo-upload.ts';
import { parseUsage, RelayMeter, REQUEST_OVERHEAD_BYTES, type Meter } from './relay-meter.ts';
import { loadEngineSettings, writeSettings } from '../settings/settings-store.ts';
import { RelayLoop, type OutboxBatch, type RelayDelegate, type RelayEvent, type SendOutcome } from './relay-loop.ts';

export const PROBE_TIMEOUT_MS = 10_000;
/** Bounds of a request's deadline, which otherwise follows the bytes it carries. */
export const MIN_REQUEST_TIMEOUT_MS = 15_000;
export const MAX_REQUEST_TIMEOUT_MS = 120_000;
/** The rate assumed before one was measured: 128 kbit/s, a slow satellite uplink. */
const ASSUMED_BYTES_PER_MS = 16;
/** Photos with bytes per batch: each is seconds to minutes on a satellite link. */
export const PHOTOS_PER_BATCH = 8;
/** Items parked per hour at most: more, and the trouble is HQ, not the items. */
const MAX_PARKS_PER_HOUR = 5;
/** How often a photo upload looks for items of a higher lane to make way for. */
const PREEMPT_CHECK_MS = 250;
/** Brotli quality for relay batches: 5 measured within 1 % of 9 in bytes at ~5× the speed (ADR 0006). */
const BROTLI_QUALITY = 5;

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);
/** How often HQ's reference data and policy are fetched while the link is up. */
export const UPDATES_EVERY_MS = 10 * 60_000;

export interface RelayConfig {
  hqUrl: string;
  hqKey: string;
  /** Bytes per UTC day on the wire; null: no limit. */
  dailyByteBudget: number | null;
  /** Local hours [start, end) in which photos may be sent (may wrap midnight); null: always. */
  photoWindow: { startHour: number; endHour: number } | null;
  timeZone: string;
}

export interface RelayServiceDeps {
  source: OutboxSource;
  /** Where the station keeps photo bytes (uploaded to HQ before their metadata). */
  photosDir: string;
  db: StationDb;
  /** The store HQ's decisions are applied to, like a supervisor's. */
  store: Store;
  /** HQ's decisions changed conflicts. */
  onDecided?: (conflictIds: readonly string[]) => void;
  /** HQ's reference data or policy changed the engine's inputs. */
  onReferenceData?: () => void;
  identity: StationIdentity;
  logger: Logger;
  now: () => Date;
  config: () => RelayConfig | null;
  onChange?: () => void;
}

function localHour(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(at));
}

export function inWindow(hour: number, window: { startHour: number; endHour: number }): boolean {
  return window.startHour <= window.endHour ? hour >= window.startHour && hour < window.endHour : hour >= window.startHour || hour < window.endHour;
}

export class RelayService {
  readonly #deps: RelayServiceDeps;
  #loop: RelayLoop | null = null;
  #state: LinkStatus['state'] = 'NOT_CONFIGURED';
  #lastSuccessAt: string | null = null;
  #lastError: string | null = null;
  readonly #meter = new RelayMeter();
  readonly #nextSeq = new Map<Lane, number>();
  #updatesTimer: ReturnType<typeof setInterval> | null = null;
  readonly #pending = new Map<Lane, RelayItem[]>();
  /** HQ's health said it reads the columnar encoding… */
  #columnar = false;
  /** …unless HQ refused it once: then plain JSON for as long as the station runs. */
  #columnarRefused = false;
  /** Aborted when the loop it belongs to stops: its requests end and its answers change nothing. */
  #run = new AbortController();
  /** Lanes waiting for the next UTC day (an item larger than what today's budget has left) → that day. */
  readonly #deferredUntil = new Map<Lane, string>();
  /** When items were parked lately: past MAX_PARKS_PER_HOUR the trouble is HQ, not the items. */
  #parkTimes: number[] = [];
  /** Items set aside (`lane:seq` → reason), from the audit log: they travel as placeholders. */
  readonly #parked = new Map<string, string>();

  constructor(deps: RelayServiceDeps) {
    this.#deps = deps;
    const row = deps.db.prepare("SELECT value FROM settings WHERE key = 'relayUsage'").get() as { value: string } | undefined;
    this.#meter.load(row === undefined ? null : parseUsage(JSON.parse(row.value)));
    for (const { details } of deps.db.prepare("SELECT details FROM audit WHERE action = 'relay.parked'").all() as { details: string }[]) {
      const parked = JSON.parse(details) as { lane: Lane; seq: number; reason: string };
      this.#parked.set(`${parked.lane}:${parked.seq}`, parked.reason);
    }
  }

  /**
   * Sets an item aside for good, with the reason, in the audit log; it then travels as a
   * placeholder. Refuses (false) past MAX_PARKS_PER_HOUR: an HQ that refuses everything is
   * waited for, not given the lane as placeholders.
   */
  #park(lane: Lane, seq: number, reason: string): boolean {
    if (this.#parked.has(`${lane}:${seq}`)) return true;
    const now = this.#deps.now().getTime();
    this.#parkTimes = this.#parkTimes.filter((t) => now - t < 3_600_000);
    if (this.#parkTimes.length >= MAX_PARKS_PER_HOUR && !reason.startsWith(UNREADABLE_PREFIX)) {
      this.#lastError = `HQ refuses item after item (${reason}); the relay waits instead of setting more aside. Check HQ.`;
      return false;
    }
    this.#parkTimes.push(now);
    const original = this.#pending.get(lane)?.find((item) => item.seq === seq);
    const data = original?.data as { id?: unknown; parkedKind?: unknown } | null | undefined;
    const at = this.#deps.now().toISOString();
    appendAudit(this.#deps.db, {
      at,
      actor: 'station:relay',
      action: 'relay.parked',
      subject: `outbox/${lane}/${seq}`,
      details: { lane, seq, reason, kind: original?.kind === 'parked' ? data?.parkedKind : (original?.kind ?? null), id: typeof data?.id === 'string' ? data.id : null },
    });
    this.#parked.set(`${lane}:${seq}`, reason);
    this.#deps.logger.error({ lane, seq, reason }, 'relay item parked: HQ gets a placeholder, the station keeps the item');
    return true;
  }

  /** The lane's items as they travel: parked ones as placeholders (a damaged row is parked on sight). */
  #read(lane: Lane, fromSeq: number, limit: number): RelayItem[] {
    const items = this.#deps.source.read(lane, fromSeq, limit);
    return items.map((item) => {
      if (item.kind === 'parked') {
        const reason = (item.data as { reason: string }).reason;
        if (reason.startsWith(UNREADABLE_PREFIX) && !this.#parked.has(`${lane}:${item.seq}`)) {
          this.#pending.set(lane, items);
          this.#park(lane, item.seq, reason);
        }
        return item;
      }
      const reason = this.#parked.get(`${lane}:${item.seq}`);
      if (reason === undefined) return item;
      const id = (item.data as { id?: unknown; decisionId?: unknown } | null)?.id ?? (item.data as { decisionId?: unknown } | null)?.decisionId;
      return parkedPlaceholder(item.seq, item.at, reason, { kind: item.kind, id: typeof id === 'string' ? id : null });
    });
  }

  start(): void {
    const config = this.#deps.config();
    if (config === null) {
      this.#state = 'NOT_CONFIGURED';
      return;
    }
    this.#state = 'OFFLINE';
    this.#nextSeq.clear();
    this.#deferredUntil.clear();
    this.#run = new AbortController();
    this.#loop = new RelayLoop(this.#delegate(config, this.#run.signal));
    this.#loop.start();
    this.#updatesTimer = setInterval(() => void this.pullUpdates(), UPDATES_EVERY_MS);
    this.#updatesTimer.unref();
  }

  stop(): void {
    this.#loop?.stop();
    this.#loop = null;
    // A send in flight ends now; whatever it learns afterwards is ignored (the next loop asks HQ again).
    this.#run.abort();
    if (this.#updatesTimer !== null) clearInterval(this.#updatesTimer);
    this.#updatesTimer = null;
  }

  /** Fetches HQ's updates since the last cursor and applies them; false when HQ did not answer usably. */
  async pullUpdates(): Promise<boolean> {
    const config = this.#deps.config();
    if (config === null) return false;
    const base = config.hqUrl.replace(/\/+$/, '');
    const url = `${base}/api/v1/stations/${encodeURIComponent(this.#deps.identity.stationId)}/updates?since=${hqUpdatesCursor(this.#deps.db)}`;
    if (REQUEST_OVERHEAD_BYTES > this.#budgetLeft(config)) return false;
    try {
      const response = await fetch(url, { headers: { authorization: `Bearer ${config.hqKey}` }, signal: AbortSignal.timeout(MAX_REQUEST_TIMEOUT_MS) });
      const text = await response.text().catch(() => '');
      this.#countBytes('control', REQUEST_OVERHEAD_BYTES + Buffer.byteLength(text));
      const updates = parseHqUpdates(jsonOrNull(text));
      if (!response.ok || updates === null) {
        this.#deps.logger.warn({ status: response.status }, 'HQ updates could not be read');
        return false;
      }
      const { store, now } = this.#deps;
      const applied = applyHqUpdates(store, updates, () => loadEngineSettings(store.db), now);
      if (applied.wells + applied.equipment + applied.operators > 0 || applied.policy === 'applied') this.#deps.onReferenceData?.();
      if (applied.decisionsApplied.length > 0) this.#deps.onDecided?.(applied.decisionsApplied);
      for (const skip of applied.decisionsSkipped) this.#deps.logger.warn(skip, "HQ's decision not applied");
      if (applied.policy === 'refused') this.#deps.logger.warn('HQ sent a policy that would weaken a safety type; it was refused and audited');
      return true;
    } catch (err) {
      this.#deps.logger.warn({ err }, 'HQ updates failed');
      return false;
    }
  }

  /** Settings changed: start over with the new HQ link. */
  restart(): void {
    this.stop();
    this.start();
  }

  wake(): void {
    this.#loop?.wake();
  }

  #day(): string {
    return this.#deps.now().toISOString().slice(0, 10);
  }

  /** Bytes the daily budget still allows today (Infinity without a budget). */
  #budgetLeft(config: RelayConfig): number {
    return config.dailyByteBudget === null ? Infinity : config.dailyByteBudget - this.#meter.bytesToday(this.#day());
  }

  /** Counts bytes that went on the wire and keeps the day's count across restarts. */
  #countBytes(lane: Meter, n: number): void {
    if (n <= 0) return;
    this.#meter.count(this.#day(), lane, n);
    writeSettings(this.#deps.db, { relayUsage: this.#meter.snapshot() }, this.#deps.now().toISOString());
  }

  status(): LinkStatus {
    const config = this.#deps.config();
    const queue = Object.fromEntries(LANES.map((l) => [l, this.#deps.source.lastSeq(l) - this.#deps.source.ackedThrough(l)])) as Record<Lane, number>;
    return {
      state: config === null ? 'NOT_CONFIGURED' : this.#state === 'NOT_CONFIGURED' ? 'OFFLINE' : this.#state,
      hqUrl: config?.hqUrl ?? null,
      lastSuccessAt: this.#lastSuccessAt,
      lastError: config === null ? 'No HQ link is set up yet (Settings → HQ link).' : this.#lastError,
      bytesToday: this.#meter.bytesToday(this.#day()),
      bytesByLane: this.#meter.bytesByLane(this.#day()),
      queue,
      etaSeconds: this.#meter.etaSeconds(queue),
      parked: this.#parked.size,
    };
  }

  /** A request's deadline from the bytes it carries: generous for the measured rate, short enough that a stalled link is noticed. */
  #timeoutMs(bytes: number): number {
    const rate = this.#meter.rateBytesPerMs() ?? ASSUMED_BYTES_PER_MS;
    return Math.min(MAX_REQUEST_TIMEOUT_MS, MIN_REQUEST_TIMEOUT_MS + Math.ceil((3 * bytes) / rate));
  }

  /** Whether a lane sent before `lane` has items HQ has not been sent yet (photos make way for them). */
  #higherLaneWaiting(lane: Lane, config: RelayConfig, nextSeq: (l: Lane) => number): boolean {
    for (const l of LANES) {
      if (l === lane) return false;
      if (this.#deps.source.lastSeq(l) >= nextSeq(l) && this.#mayUse(l, config) && this.#deferredUntil.get(l) !== this.#day()) return true;
    }
    return false;
  }

  #mayUse(lane: Lane, config: RelayConfig): boolean {
    if (config.dailyByteBudget !== null && this.#meter.bytesToday(this.#day()) >= config.dailyByteBudget) return false;
    return lane !== 'photos' || config.photoWindow === null || inWindow(localHour(this.#deps.now(), config.timeZone), config.photoWindow);
  }

  /**
   * Photo bytes go to HQ before their metadata: one round of HEADs for the batch, then each
   * photo's missing bytes. Photos never hold up data: when an item of a higher lane comes
   * in, the upload in flight is cut (HQ keeps the bytes that arrived; the next upload
   * resumes from them), the metadata of the photos already at HQ is sent, and the rest
   * comes after the higher lane. Returns the last seq whose photo HQ holds (fromSeq − 1
   * when none) and whether it stopped to make way.
   */
  async #uploadPhotos(config: RelayConfig, items: readonly RelayItem[], nextSeq: (l: Lane) => number, run: AbortSignal): Promise<{ through: number; failure: string | null; deferred?: string; yielded?: true }> {
    const preempt = new AbortController();
    const stopped = (): void => preempt.abort();
    run.addEventListener('abort', stopped, { once: true });
    const watch = setInterval(() => {
      // A higher lane has items, or the photo window (or today's budget) has closed.
      if (this.#higherLaneWaiting('photos', config, nextSeq) || !this.#mayUse('photos', config)) preempt.abort();
    }, PREEMPT_CHECK_MS);
    watch.unref();
    try {
      return await this.#uploadPhotosUntil(config, items, preempt.signal);
    } finally {
      clearInterval(watch);
      run.removeEventListener('abort', stopped);
    }
  }

  async #uploadPhotosUntil(config: RelayConfig, items: readonly RelayItem[], preempted: AbortSignal): Promise<{ through: number; failure: string | null; deferred?: string; yielded?: true }> {
    const target: PhotoUploadTarget = { baseUrl: baseOf(config), stationId: this.#deps.identity.stationId, stationKey: config.hqKey, photosDir: this.#deps.photosDir, timeoutMs: (n) => this.#timeoutMs(n), signal: preempted };
    const first = items[0];
    let through = first === undefined ? 0 : first.seq - 1;
    // Only photos whose bytes the station holds are asked about and sent; the rest is metadata only.
    const shas = [...new Set(items.map(photoShaOf).filter((sha): sha is string => sha !== null && hasPhoto(this.#deps.photosDir, sha)))];
    if (shas.length * REQUEST_OVERHEAD_BYTES > this.#budgetLeft(config)) return { through, failure: null, deferred: "today's byte budget does not allow checking the photos" };
    const offsets = await photoOffsets(target, shas);
    this.#countBytes('photos', shas.length * REQUEST_OVERHEAD_BYTES);
    for (const item of items) {
      const sha = photoShaOf(item);
      const offset = sha === null ? null : offsets.get(sha);
      if (sha !== null && offset !== undefined && offset !== null) {
        if (!offset.ok) return preempted.aborted ? { through, failure: null, yielded: true } : { through, failure: offset.reason };
        if (!offset.complete) {
          const started = this.#deps.now().getTime();
          const upload = await uploadPhoto(target, sha, offset.heldBytes, this.#budgetLeft(config), REQUEST_OVERHEAD_BYTES);
          this.#countBytes('photos', upload.sentBytes + upload.requests * REQUEST_OVERHEAD_BYTES);
          if (!upload.ok && upload.deferred === true) return { through, failure: null, deferred: upload.reason };
          if (!upload.ok && preempted.aborted) return { through, failure: null, yielded: true };
          if (!upload.ok) return { through, failure: upload.reason };
          this.#meter.measure('photos', upload.sentBytes, 0, this.#deps.now().getTime() - started);
        }
      }
      through = item.seq;
      // The watch in #uploadPhotos aborts `preempted` for a higher lane, a closed window or a spent budget.
      if (preempted.aborted) return { through, failure: null, yielded: true };
    }
    return { through, failure: null };
  }

  /** A photos batch ends after PHOTOS_PER_BATCH photos with bytes to send; metadata-only items ride along. */
  #photoBatch(items: RelayItem[]): RelayItem[] {
    let withBytes = 0;
    const end = items.findIndex((item) => {
      const sha = photoShaOf(item);
      if (sha !== null && hasPhoto(this.#deps.photosDir, sha)) withBytes++;
      return withBytes > PHOTOS_PER_BATCH;
    });
    return end === -1 ? items : items.slice(0, end);
  }

  /** The batch body: columnar + brotli where HQ said it reads it, else protocol §5's gzip JSON. */
  async #encode(batch: PlainBatch, columnar: boolean): Promise<{ body: Buffer; headers: Record<string, string> }> {
    if (columnar && !this.#columnarRefused) {
      let json: string | null = null;
      try {
        json = JSON.stringify(encodeColumnar(batch));
      } catch (err) {
        // Never let the compact form stop a lane: protocol §5's JSON carries anything.
        this.#deps.logger.error({ err, lane: batch.lane, fromSeq: batch.fromSeq }, 'compact encoding failed; sending this batch as JSON');
      }
      if (json !== null) {
        const body = await brotli(json, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } });
        return { body, headers: { 'content-type': COLUMNAR_CONTENT_TYPE, 'content-encoding': 'br' } };
      }
    }
    return { body: await gzip(JSON.stringify(batch)), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } };
  }

  /** POSTs one encoded batch; status 0 when HQ did not answer. Counts the bytes sent. */
  async #post(config: RelayConfig, lane: Lane, encoded: { body: Buffer; headers: Record<string, string> }, run: AbortSignal): Promise<PostResult> {
    const { body, headers } = encoded;
    this.#countBytes(lane, body.length + REQUEST_OVERHEAD_BYTES);
    try {
      const response = await fetch(`${baseOf(config)}/api/v1/stations/${encodeURIComponent(this.#deps.identity.stationId)}/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.hqKey}`, ...headers },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(this.#timeoutMs(body.length)), run]),
      });
      return { status: response.status, answer: (await response.json().catch(() => null)) as PostResult['answer'], bytes: body.length };
    } catch (err) {
      return { status: 0, answer: null, bytes: body.length, error: `HQ did not answer at ${baseOf(config)} (${err instanceof Error ? err.message : String(err)})` };
    }
  }

  /**
   * The loop's window on the station. `run` is aborted when this loop stops (settings
   * changed): its requests end, and nothing it learns afterwards changes the station's state.
   */
  #delegate(config: RelayConfig, run: AbortSignal): RelayDelegate {
    const { source, identity, logger, now } = this.#deps;
    const base = baseOf(config);
    const nextSeq = (lane: Lane): number => this.#nextSeq.get(lane) ?? source.ackedThrough(lane) + 1;
    const live = (): boolean => !run.aborted;
    return {
      now: () => now().getTime(),
      setTimer: (ms, fn) => {
        const t = setTimeout(fn, ms);
        t.unref();
        return () => clearTimeout(t);
      },
      random: Math.random,
      probe: async () => {
        try {
          const r = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.any([AbortSignal.timeout(PROBE_TIMEOUT_MS), run]) });
          const text = await r.text().catch(() => '');
          // Only an answered probe crossed the link (a refused connection costs nothing).
          this.#countBytes('control', REQUEST_OVERHEAD_BYTES + Buffer.byteLength(text));
          const health = jsonOrNull(text) as { encodings?: unknown } | null;
          if (live()) this.#columnar = Array.isArray(health?.encodings) && health.encodings.includes(COLUMNAR_CONTENT_TYPE);
          return r.ok && live();
        } catch {
          return false;
        }
      },
      nextBatch: (lane, maxItems) => {
        let items = this.#read(lane, nextSeq(lane), maxItems);
        if (lane === 'photos') items = this.#photoBatch(items);
        const first = items[0];
        const last = items.at(-1);
        if (first === undefined || last === undefined) return null;
        this.#pending.set(lane, items);
        return { lane, fromSeq: first.seq, toSeq: last.seq, items: items.length };
      },
      send: async (batch: OutboxBatch): Promise<SendOutcome> => {
        let items = this.#pending.get(batch.lane) ?? [];
        if (batch.lane === 'photos') {
          const photos = await this.#uploadPhotos(config, items, nextSeq, run);
          if (photos.failure !== null) return { kind: 'failed', reason: photos.failure, bytes: 0 };
          items = items.filter((item) => item.seq <= photos.through);
          if (items.length === 0) {
            if (photos.yielded === true) return { kind: 'yielded' };
            this.#deferredUntil.set('photos', this.#day());
            return { kind: 'deferred', reason: photos.deferred ?? 'no photo of this batch reached HQ' };
          }
        }
        // Within today's budget: halve the batch until it fits; one item that does not fit waits for tomorrow.
        let encoded: { body: Buffer; headers: Record<string, string> };
        let plain: PlainBatch;
        for (;;) {
          plain = { stationId: identity.stationId, tenantId: identity.tenantId, lane: batch.lane, fromSeq: batch.fromSeq, toSeq: items.at(-1)?.seq ?? batch.fromSeq, items };
          encoded = await this.#encode(plain, this.#columnar);
          if (encoded.body.length + REQUEST_OVERHEAD_BYTES <= this.#budgetLeft(config)) break;
          if (items.length === 1) {
            // Lower lanes may go meanwhile: one large item must not hold the whole relay until tomorrow.
            this.#deferredUntil.set(batch.lane, this.#day());
            const need = encoded.body.length + REQUEST_OVERHEAD_BYTES;
            const why = config.dailyByteBudget !== null && need > config.dailyByteBudget ? `its next item (${need} bytes) is larger than the whole daily budget; raise the budget in Settings → HQ link` : `its next item (${need} bytes) does not fit in what is left of today's budget (${Math.max(0, this.#budgetLeft(config))} bytes); it goes tomorrow`;
            return { kind: 'deferred', reason: why };
          }
          items = items.slice(0, Math.ceil(items.length / 2));
        }
        const last = items.at(-1) as RelayItem;
        const started = now().getTime();
        let posted = await this.#post(config, batch.lane, encoded, run);
        const compact = encoded.headers['content-type'] === COLUMNAR_CONTENT_TYPE;
        const asJson = compact && posted.status === 400 ? await this.#encode(plain, false) : null;
        if (asJson !== null && asJson.body.length + REQUEST_OVERHEAD_BYTES <= this.#budgetLeft(config)) {
          // Refused in the compact form: is it the encoding or the content? The same batch as plain JSON tells.
          posted = await this.#post(config, batch.lane, asJson, run);
          if (posted.status === 200) {
            this.#columnarRefused = true;
            logger.error('HQ could not read a batch in the compact encoding but took it as JSON; sending JSON from now on');
          }
        }
        const { status, answer, bytes } = posted;
        if (!live()) return { kind: 'failed', reason: 'the relay restarted', bytes };
        if (status === 200 && typeof answer?.ackedThroughSeq === 'number') {
          this.#meter.measure(batch.lane, bytes, items.length, now().getTime() - started);
          this.#nextSeq.set(batch.lane, last.seq + 1);
          return { kind: 'acked', ackedThroughSeq: answer.ackedThroughSeq, sentThroughSeq: last.seq, bytes };
        }
        if (status === 409 && answer?.error?.code === 'SEQ_GAP' && typeof answer.error.details?.expectedFromSeq === 'number') {
          return { kind: 'gap', expectedFromSeq: answer.error.details.expectedFromSeq, bytes };
        }
        if (status === 415 && compact) {
          // HQ no longer reads the compact encoding (e.g. rolled back): plain gzip JSON from now on.
          this.#columnarRefused = true;
          return { kind: 'failed', reason: 'HQ refused the compact encoding; sending plain JSON from now on', bytes };
        }
        const said = `HQ answered ${status}: ${answer?.error?.message ?? 'no reason given'}`;
        if (status === 0) return { kind: 'failed', reason: posted.error ?? said, bytes };
        if (status === 401 || status === 403) return { kind: 'failed', reason: `HQ refused the station key (${answer?.error?.message ?? status}); set the key HQ issued in Settings → HQ link`, bytes };
        // HQ named the content as the trouble (a field that fails its validation, a batch too large):
        // the loop looks for the item HQ refuses. Any other refusal is waited out, never parked.
        if ((status === 400 && answer?.error?.code === 'VALIDATION_FAILED') || status === 413) return { kind: 'refused', reason: said, bytes };
        return { kind: 'failed', reason: said, bytes };
      },
      park: (lane, seq, reason) => live() && this.#park(lane, seq, reason),
      acknowledge: (lane, seq) => {
        if (live()) source.setAckedThrough(lane, seq, now().toISOString());
      },
      rewind: (lane, fromSeq) => {
        if (live()) this.#nextSeq.set(lane, fromSeq);
      },
      mayUse: (lane) => this.#mayUse(lane, config) && this.#deferredUntil.get(lane) !== this.#day(),
      onEvent: (event: RelayEvent) => {
        if (!live()) return;
        if (event.type === 'state') {
          this.#state = event.state;
          if (event.state === 'ONLINE') void this.pullUpdates();
        }
        if (event.type === 'sent') {
          this.#lastSuccessAt = new Date(event.at).toISOString();
          this.#lastError = null;
        }
        if (event.type === 'failed') this.#lastError = event.reason;
        if (event.type === 'deferred') this.#lastError = `${LANE_WORDS[event.lane]} wait: ${event.reason}`;
        if (event.type === 'probe' && !event.ok) this.#lastError = `HQ at ${base} does not answer; next try in ${Math.round((event.nextInMs ?? 0) / 1000)} s`;
        if (event.type === 'rewind') logger.warn({ lane: event.lane, fromSeq: event.fromSeq, why: event.why }, 'relay resends');
        this.#deps.onChange?.();
      },
    };
  }
}

const LANE_WORDS: Readonly<Record<Lane, string>> = { critical: 'Critical items', production: 'Production', readings: 'Readings', notes: 'Notes', photos: 'Photos' };

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

interface PostResult {
  status: number;
  answer: { ackedThroughSeq?: number; error?: { code?: string; message?: string; details?: { expectedFromSeq?: number } } } | null;
  bytes: number;
  error?: string;
}

function baseOf(config: RelayConfig): string {
  return config.hqUrl.replace(/\/+$/, '');
}

function photoShaOf(item: RelayItem): string | null {
  const data = item.data as { type?: string; payload?: { sha256?: unknown } } | null;
  return data?.type === 'PHOTO_ATTACHED' && typeof data.payload?.sha256 === 'string' ? data.payload.sha256.toLowerCase() : null;
}
