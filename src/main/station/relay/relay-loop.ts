/**
 * The relay loop (protocol §5): drains the outbox lanes to HQ in strict priority
 * (critical, production, readings, notes, photos), one batch at a time, re-checking from
 * the top after every batch so a new critical item never waits behind a backlog. It knows
 * nothing of HTTP or SQLite: a delegate reads the outbox, sends a batch and tells what HQ
 * said. While HQ does not answer, it probes with exponential back-off and jitter, capped
 * low for the first minutes of an outage (a satellite link drops for seconds to minutes,
 * probing a dead link costs no bytes, and a critical item must go out within seconds of the
 * link's return) and at minutes once the outage is long (HQ itself may be down). Batch
 * size adapts so one request takes about TARGET_REQUEST_MS. HQ's ack is its word: a lower
 * ack than was sent (HQ restored from a backup) or a SEQ_GAP rewinds the lane. The loop
 * never wedges on one item: when HQ refuses a batch's content, it halves the batch until
 * one item is refused alone, parks that item (the delegate sends a placeholder in its
 * place and keeps the item) and goes on.
 */
import { LANES, type Lane } from '../../../shared/protocol/sync.ts';

export const TARGET_REQUEST_MS = 4_000;
export const MIN_BATCH_ITEMS = 10;
export const MAX_BATCH_ITEMS = 5_000;
export const FIRST_BACKOFF_MS = 1_000;
/** The back-off cap during the first SHORT_OUTAGE_MS of an outage… */
export const SHORT_OUTAGE_MAX_BACKOFF_MS = 3_000;
export const SHORT_OUTAGE_MS = 10 * 60_000;
/** …and after that. */
export const MAX_BACKOFF_MS = 5 * 60_000;
/** The loop rests this long when everything is sent, unless woken by new outbox items. */
export const IDLE_POLL_MS = 30_000;


export type LinkState = 'ONLINE' | 'DEGRADED' | 'OFFLINE';

export interface OutboxBatch {
  lane: Lane;
  fromSeq: number;
  toSeq: number;
  items: number;
}

export type SendOutcome =
  /** `sentThroughSeq`: the last seq the request carried, when the delegate sent only a prefix of the batch. */
  | { kind: 'acked'; ackedThroughSeq: number; sentThroughSeq?: number; bytes: number }
  | { kind: 'gap'; expectedFromSeq: number; bytes: number }
  /** HQ refused what the batch carries (a 4xx about its content, not the link or the key): some item may be poison. */
  | { kind: 'refused'; reason: string; bytes: number }
  /** Nothing went out: the lane must wait (today's byte budget), the others may go. */
  | { kind: 'deferred'; reason: string }
  /** The delegate stopped to let a higher lane go first (a photo upload preempted): look again from the top. */
  | { kind: 'yielded' }
  | { kind: 'failed'; reason: string; bytes: number };

export interface RelayDelegate {
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
  /** A number in [0, 1) for jitter. */
  random(): number;
  /** HQ's health answers. */
  probe(): Promise<boolean>;
  /** The next items of a lane after what HQ acknowledged, at most `maxItems`; null when the lane is drained. */
  nextBatch(lane: Lane, maxItems: number): OutboxBatch | null;
  send(batch: OutboxBatch): Promise<SendOutcome>;
  /** HQ holds the lane through `seq`: the station may keep fewer rows. */
  acknowledge(lane: Lane, seq: number): void;
  /** Send again from `fromSeq` (SEQ_GAP, or an ack lower than what was sent). */
  rewind(lane: Lane, fromSeq: number): void;
  /** Whether a lane may be sent now (byte budget, photo window). */
  mayUse(lane: Lane): boolean;
  /**
   * HQ refuses item `seq` on its own: set it aside with the reason; it travels as a
   * placeholder so the lane goes on. False when the delegate will not park it (too many
   * refusals lately: the trouble is HQ, not the items); the loop then backs off.
   */
  park(lane: Lane, seq: number, reason: string): boolean;
  onEvent(event: RelayEvent): void;
}

export type RelayEvent =
  | { type: 'state'; at: number; state: LinkState }
  | { type: 'probe'; at: number; ok: boolean; nextInMs: number | null }
  | { type: 'sent'; at: number; lane: Lane; fromSeq: number; toSeq: number; ackedThroughSeq: number; ms: number }
  | { type: 'rewind'; at: number; lane: Lane; fromSeq: number; why: string }
  | { type: 'failed'; at: number; lane: Lane; reason: string }
  | { type: 'parked'; at: number; lane: Lane; seq: number; reason: string }
  | { type: 'deferred'; at: number; lane: Lane; reason: string };

export class RelayLoop {
  readonly #d: RelayDelegate;
  #state: LinkState = 'OFFLINE';
  #backoffMs = FIRST_BACKOFF_MS;
  /** When the link was last seen working (or the loop started): how long the outage is. */
  #lastGoodAt = 0;
  #batchItems = 100;
  /** Lanes whose refused batch (through `untilSeq`) is being halved to find the item HQ refuses. */
  readonly #bisect = new Map<Lane, { limit: number; untilSeq: number }>();
  #cancelTimer: (() => void) | null = null;
  #running = false;
  #busy = false;

  constructor(delegate: RelayDelegate) {
    this.#d = delegate;
  }

  get state(): LinkState {
    return this.#state;
  }

  get batchItems(): number {
    return this.#batchItems;
  }

  start(): void {
    this.#running = true;
    this.#lastGoodAt = this.#d.now();
    this.#schedule(0);
  }

  stop(): void {
    this.#running = false;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
  }

  /** New outbox items: send soon if the link is up. */
  wake(): void {
    if (this.#running && !this.#busy && this.#state !== 'OFFLINE') this.#schedule(0);
  }

  #schedule(ms: number): void {
    this.#cancelTimer?.();
    this.#cancelTimer = this.#d.setTimer(ms, () => {
      this.#cancelTimer = null;
      void this.#tick();
    });
  }

  #setState(state: LinkState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#d.onEvent({ type: 'state', at: this.#d.now(), state });
  }

  /** Full jitter in [backoff/2, backoff): spreads stations that lost the link together. */
  #nextBackoff(): number {
    const cap = this.#d.now() - this.#lastGoodAt < SHORT_OUTAGE_MS ? SHORT_OUTAGE_MAX_BACKOFF_MS : MAX_BACKOFF_MS;
    this.#backoffMs = Math.min(this.#backoffMs, cap);
    const wait = this.#backoffMs / 2 + this.#d.random() * (this.#backoffMs / 2);
    this.#backoffMs = Math.min(cap, this.#backoffMs * 2);
    return Math.floor(wait);
  }

  async #tick(): Promise<void> {
    if (!this.#running || this.#busy) return;
    this.#busy = true;
    try {
      if (this.#state === 'OFFLINE') {
        const ok = await this.#d.probe().catch(() => false);
        if (!ok) {
          const wait = this.#nextBackoff();
          this.#d.onEvent({ type: 'probe', at: this.#d.now(), ok: false, nextInMs: wait });
          if (this.#running) this.#schedule(wait);
          return;
        }
        this.#d.onEvent({ type: 'probe', at: this.#d.now(), ok: true, nextInMs: null });
        this.#backoffMs = FIRST_BACKOFF_MS;
        this.#lastGoodAt = this.#d.now();
        this.#setState('ONLINE');
      }
      const next = await this.#sendOne();
      if (this.#running) this.#schedule(next);
    } finally {
      this.#busy = false;
    }
  }

  /** Sends the first batch of the highest-priority lane that has one; returns when to tick again. */
  async #sendOne(): Promise<number> {
    for (const lane of LANES) {
      if (!this.#d.mayUse(lane)) continue;
      const batch = this.#d.nextBatch(lane, this.#bisect.get(lane)?.limit ?? this.#batchItems);
      if (batch === null) continue;
      const started = this.#d.now();
      const outcome = await this.#d.send(batch).catch((err: unknown): SendOutcome => ({ kind: 'failed', reason: String(err), bytes: 0 }));
      if (outcome.kind === 'yielded') return 0;
      if (outcome.kind === 'deferred') {
        this.#d.onEvent({ type: 'deferred', at: this.#d.now(), lane, reason: outcome.reason });
        continue;
      }
      const ms = Math.max(1, this.#d.now() - started);
      if (outcome.kind !== 'failed') this.#lastGoodAt = this.#d.now();
      switch (outcome.kind) {
        case 'acked': {
          const sent = outcome.sentThroughSeq ?? batch.toSeq;
          const bisect = this.#bisect.get(lane);
          if (bisect === undefined && sent === batch.toSeq) this.#adapt(batch.items, ms);
          // Past the refused range with nothing refused: the refusal was not about an item.
          if (bisect !== undefined && sent >= bisect.untilSeq) this.#bisect.delete(lane);
          this.#setState('ONLINE');
          this.#d.onEvent({ type: 'sent', at: this.#d.now(), lane, fromSeq: batch.fromSeq, toSeq: sent, ackedThroughSeq: outcome.ackedThroughSeq, ms });
          this.#d.acknowledge(lane, Math.min(outcome.ackedThroughSeq, sent));
          if (outcome.ackedThroughSeq < sent) {
            this.#d.rewind(lane, outcome.ackedThroughSeq + 1);
            this.#d.onEvent({ type: 'rewind', at: this.#d.now(), lane, fromSeq: outcome.ackedThroughSeq + 1, why: `HQ acknowledged only through ${outcome.ackedThroughSeq}` });
          }
          return 0;
        }
        case 'gap':
          // HQ's word: it holds the lane only up to expectedFromSeq − 1 (e.g. restored from a backup).
          this.#d.acknowledge(lane, outcome.expectedFromSeq - 1);
          this.#d.rewind(lane, outcome.expectedFromSeq);
          this.#d.onEvent({ type: 'rewind', at: this.#d.now(), lane, fromSeq: outcome.expectedFromSeq, why: 'SEQ_GAP' });
          return 0;
        case 'refused': {
          // The link works; the content does not. Halve until one item is refused alone, then park it.
          this.#d.onEvent({ type: 'failed', at: this.#d.now(), lane, reason: outcome.reason });
          if (batch.items > 1) {
            this.#setState('ONLINE');
            this.#bisect.set(lane, { limit: Math.ceil(batch.items / 2), untilSeq: batch.toSeq });
            return 0;
          }
          if (!this.#d.park(lane, batch.fromSeq, outcome.reason)) {
            // The delegate will not park more now (HQ seems to refuse everything): wait, do not park the lane away.
            this.#setState('DEGRADED');
            return this.#nextBackoff();
          }
          this.#setState('ONLINE');
          this.#bisect.delete(lane);
          this.#d.onEvent({ type: 'parked', at: this.#d.now(), lane, seq: batch.fromSeq, reason: outcome.reason });
          return 0;
        }
        case 'failed': {
          this.#d.onEvent({ type: 'failed', at: this.#d.now(), lane, reason: outcome.reason });
          this.#batchItems = Math.max(MIN_BATCH_ITEMS, Math.floor(this.#batchItems / 2));
          this.#setState(this.#state === 'ONLINE' ? 'DEGRADED' : 'OFFLINE');
          return this.#state === 'OFFLINE' ? 0 : this.#nextBackoff();
        }
      }
    }
    this.#backoffMs = FIRST_BACKOFF_MS;
    return IDLE_POLL_MS;
  }

  /** Aims the next batch at TARGET_REQUEST_MS from the throughput just measured. */
  #adapt(items: number, ms: number): void {
    const perMs = items / ms;
    const target = Math.round(perMs * TARGET_REQUEST_MS);
    // Move at most ×2 or ÷2 per step so one lucky or slow request does not swing it wildly.
    const step = Math.min(this.#batchItems * 2, Math.max(Math.floor(this.#batchItems / 2), target));
    this.#batchItems = Math.max(MIN_BATCH_ITEMS, Math.min(MAX_BATCH_ITEMS, step));
  }
}
