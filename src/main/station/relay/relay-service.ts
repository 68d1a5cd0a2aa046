/**
 * The relay as a service of the station: the RelayLoop with a delegate that reads the
 * outbox, POSTs gzip batches to HQ (protocol §5), probes HQ's health, keeps HQ's acks,
 * counts bytes per day against the budget and holds photos to their time window; and the
 * link status the dashboard shows. Runs only while an HQ URL and station key are set.
 */
import { gzipSync } from 'node:zlib';
import type { Logger } from 'pino';
import type { LinkStatus } from '../../../shared/api/station-api.ts';
import { LANES, type Lane } from '../../../shared/protocol/sync.ts';
import type { StationDb } from '../db/open-database.ts';
import type { StationIdentity } from '../identity.ts';
import { OutboxSource, type RelayItem } from './outbox-source.ts';
import { applyHqUpdates, hqUpdatesCursor, parseHqUpdates } from './hq-updates.ts';
import { uploadPhoto } from './photo-upload.ts';
import { RelayLoop, type OutboxBatch, type RelayDelegate, type RelayEvent, type SendOutcome } from './relay-loop.ts';

export const REQUEST_TIMEOUT_MS = 60_000;
export const PROBE_TIMEOUT_MS = 10_000;
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
  #bytes = { day: '', bytes: 0 };
  readonly #nextSeq = new Map<Lane, number>();
  #updatesTimer: ReturnType<typeof setInterval> | null = null;
  readonly #pending = new Map<Lane, RelayItem[]>();

  constructor(deps: RelayServiceDeps) {
    this.#deps = deps;
  }

  start(): void {
    const config = this.#deps.config();
    if (config === null) {
      this.#state = 'NOT_CONFIGURED';
      return;
    }
    this.#state = 'OFFLINE';
    this.#nextSeq.clear();
    this.#loop = new RelayLoop(this.#delegate(config));
    this.#loop.start();
    this.#updatesTimer = setInterval(() => void this.pullUpdates(), UPDATES_EVERY_MS);
    this.#updatesTimer.unref();
  }

  stop(): void {
    this.#loop?.stop();
    this.#loop = null;
    if (this.#updatesTimer !== null) clearInterval(this.#updatesTimer);
    this.#updatesTimer = null;
  }

  /** Fetches HQ's updates since the last cursor and applies them; false when HQ did not answer usably. */
  async pullUpdates(): Promise<boolean> {
    const config = this.#deps.config();
    if (config === null) return false;
    const base = config.hqUrl.replace(/\/+$/, '');
    const url = `${base}/api/v1/stations/${encodeURIComponent(this.#deps.identity.stationId)}/updates?since=${hqUpdatesCursor(this.#deps.db)}`;
    try {
      const response = await fetch(url, { headers: { authorization: `Bearer ${config.hqKey}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const updates = parseHqUpdates(await response.json().catch(() => null));
      if (!response.ok || updates === null) {
        this.#deps.logger.warn({ status: response.status }, 'HQ updates could not be read');
        return false;
      }
      const applied = applyHqUpdates(this.#deps.db, updates, this.#deps.now().toISOString());
      if (applied.wells + applied.equipment + applied.operators > 0 || applied.policy === 'applied') this.#deps.onReferenceData?.();
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

  #bytesToday(): number {
    const day = this.#deps.now().toISOString().slice(0, 10);
    if (this.#bytes.day !== day) this.#bytes = { day, bytes: 0 };
    return this.#bytes.bytes;
  }

  #countBytes(n: number): void {
    this.#bytesToday();
    this.#bytes.bytes += n;
  }

  status(): LinkStatus {
    const config = this.#deps.config();
    const queue = Object.fromEntries(LANES.map((l) => [l, this.#deps.source.lastSeq(l) - this.#deps.source.ackedThrough(l)])) as Record<Lane, number>;
    return {
      state: config === null ? 'NOT_CONFIGURED' : this.#state === 'NOT_CONFIGURED' ? 'OFFLINE' : this.#state,
      hqUrl: config?.hqUrl ?? null,
      lastSuccessAt: this.#lastSuccessAt,
      lastError: config === null ? 'No HQ link is set up yet (Settings → HQ link).' : this.#lastError,
      bytesToday: this.#bytesToday(),
      queue,
    };
  }

  #delegate(config: RelayConfig): RelayDelegate {
    const { source, identity, logger, now } = this.#deps;
    const base = config.hqUrl.replace(/\/+$/, '');
    const headers = { authorization: `Bearer ${config.hqKey}`, 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const nextSeq = (lane: Lane): number => this.#nextSeq.get(lane) ?? source.ackedThrough(lane) + 1;
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
          const r = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
          return r.ok;
        } catch {
          return false;
        }
      },
      nextBatch: (lane, maxItems) => {
        const items = source.read(lane, nextSeq(lane), maxItems);
        const first = items[0];
        const last = items.at(-1);
        if (first === undefined || last === undefined) return null;
        this.#pending.set(lane, items);
        return { lane, fromSeq: first.seq, toSeq: last.seq, items: items.length };
      },
      send: async (batch: OutboxBatch): Promise<SendOutcome> => {
        const items = this.#pending.get(batch.lane) ?? [];
        if (batch.lane === 'photos') {
          // The bytes go first, resumably; a photo HQ already holds costs one HEAD.
          for (const item of items) {
            const data = item.data as { type?: string; payload?: { sha256?: unknown } } | null;
            const sha = data?.type === 'PHOTO_ATTACHED' && typeof data.payload?.sha256 === 'string' ? data.payload.sha256.toLowerCase() : null;
            if (sha === null) continue;
            const upload = await uploadPhoto({ baseUrl: base, stationId: identity.stationId, stationKey: config.hqKey, photosDir: this.#deps.photosDir, timeoutMs: REQUEST_TIMEOUT_MS }, sha);
            this.#countBytes(upload.sentBytes);
            if (!upload.ok) return { kind: 'failed', reason: upload.reason, bytes: upload.sentBytes };
          }
        }
        const body = gzipSync(JSON.stringify({ stationId: identity.stationId, tenantId: identity.tenantId, lane: batch.lane, fromSeq: batch.fromSeq, toSeq: batch.toSeq, items }));
        this.#countBytes(body.length);
        let response: Response;
        try {
          response = await fetch(`${base}/api/v1/stations/${encodeURIComponent(identity.stationId)}/batches`, { method: 'POST', headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        } catch (err) {
          return { kind: 'failed', reason: `HQ did not answer at ${base} (${err instanceof Error ? err.message : String(err)})`, bytes: body.length };
        }
        const answer = (await response.json().catch(() => null)) as { ackedThroughSeq?: number; error?: { code?: string; message?: string; details?: { expectedFromSeq?: number } } } | null;
        if (response.status === 200 && typeof answer?.ackedThroughSeq === 'number') {
          this.#nextSeq.set(batch.lane, batch.toSeq + 1);
          return { kind: 'acked', ackedThroughSeq: answer.ackedThroughSeq, bytes: body.length };
        }
        if (response.status === 409 && answer?.error?.code === 'SEQ_GAP' && typeof answer.error.details?.expectedFromSeq === 'number') {
          return { kind: 'gap', expectedFromSeq: answer.error.details.expectedFromSeq, bytes: body.length };
        }
        return { kind: 'failed', reason: `HQ answered ${response.status}: ${answer?.error?.message ?? 'no reason given'}`, bytes: body.length };
      },
      acknowledge: (lane, seq) => source.setAckedThrough(lane, seq, now().toISOString()),
      rewind: (lane, fromSeq) => {
        this.#nextSeq.set(lane, fromSeq);
      },
      mayUse: (lane) => {
        if (config.dailyByteBudget !== null && this.#bytesToday() >= config.dailyByteBudget) return false;
        return lane !== 'photos' || config.photoWindow === null || inWindow(localHour(now(), config.timeZone), config.photoWindow);
      },
      onEvent: (event: RelayEvent) => {
        if (event.type === 'state') {
          this.#state = event.state;
          if (event.state === 'ONLINE') void this.pullUpdates();
        }
        if (event.type === 'sent') {
          this.#lastSuccessAt = new Date(event.at).toISOString();
          this.#lastError = null;
        }
        if (event.type === 'failed') this.#lastError = event.reason;
        if (event.type === 'probe' && !event.ok) this.#lastError = `HQ at ${base} does not answer; next try in ${Math.round((event.nextInMs ?? 0) / 1000)} s`;
        if (event.type === 'rewind') logger.warn({ lane: event.lane, fromSeq: event.fromSeq, why: event.why }, 'relay resends');
        this.#deps.onChange?.();
      },
    };
  }
}
