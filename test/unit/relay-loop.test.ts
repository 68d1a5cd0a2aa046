/**
 * The relay loop with a simulated clock and a scripted HQ: a log of timestamped events
 * shows back-off, priority, rewinds and batch sizing (protocol §5). No real time passes.
 */
import { describe, expect, it } from 'vitest';
import { FIRST_BACKOFF_MS, MAX_BACKOFF_MS, RelayLoop, SHORT_OUTAGE_MAX_BACKOFF_MS, SHORT_OUTAGE_MS, type OutboxBatch, type RelayDelegate, type RelayEvent, type SendOutcome } from '../../src/main/station/relay/relay-loop.ts';
import { LANES, type Lane } from '../../src/shared/protocol/sync.ts';

class Simulation implements RelayDelegate {
  time = 0;
  timers: { at: number; fn: () => void; id: number }[] = [];
  nextId = 0;
  events: RelayEvent[] = [];
  hqUp = true;
  /** Items per lane (highest seq) and what HQ holds. */
  outbox: Record<Lane, number> = { critical: 0, production: 0, readings: 0, notes: 0, photos: 0 };
  sentThrough: Record<Lane, number> = { critical: 0, production: 0, readings: 0, notes: 0, photos: 0 };
  hqHolds: Record<Lane, number> = { critical: 0, production: 0, readings: 0, notes: 0, photos: 0 };
  blocked = new Set<Lane>();
  msPerItem = 10;
  /** Scripted answer for the next send, else HQ behaves. */
  script: ((batch: OutboxBatch) => SendOutcome)[] = [];
  sent: OutboxBatch[] = [];
  random = (): number => 0.5;

  now(): number {
    return this.time;
  }
  setTimer(ms: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }
  async probe(): Promise<boolean> {
    return this.hqUp;
  }
  nextBatch(lane: Lane, maxItems: number): OutboxBatch | null {
    const from = this.sentThrough[lane] + 1;
    if (from > this.outbox[lane]) return null;
    const to = Math.min(this.outbox[lane], from + maxItems - 1);
    return { lane, fromSeq: from, toSeq: to, items: to - from + 1 };
  }
  async send(batch: OutboxBatch): Promise<SendOutcome> {
    this.sent.push(batch);
    this.time += batch.items * this.msPerItem;
    this.sentThrough[batch.lane] = batch.toSeq;
    const scripted = this.script.shift();
    if (scripted !== undefined) return scripted(batch);
    if (batch.lane === this.poisonLane && [...this.poison].some((seq) => seq >= batch.fromSeq && seq <= batch.toSeq)) {
      this.sentThrough[batch.lane] = batch.fromSeq - 1;
      return { kind: 'refused', reason: 'HQ answered 400: payload.value must be a number', bytes: 100 };
    }
    if (!this.hqUp) return { kind: 'failed', reason: 'connection refused', bytes: 0 };
    if (batch.fromSeq > this.hqHolds[batch.lane] + 1) return { kind: 'gap', expectedFromSeq: this.hqHolds[batch.lane] + 1, bytes: 100 };
    this.hqHolds[batch.lane] = Math.max(this.hqHolds[batch.lane], batch.toSeq);
    return { kind: 'acked', ackedThroughSeq: this.hqHolds[batch.lane], bytes: batch.items * 50 };
  }
  /** HQ refuses batches that contain one of these seqs of `poisonLane`. */
  poison = new Set<number>();
  poisonLane: Lane = 'readings';
  parked: string[] = [];
  /** How many items the delegate agrees to park (the service's guard against an HQ that refuses everything). */
  parkLimit = Infinity;
  park(lane: Lane, seq: number): boolean {
    if (this.parked.length >= this.parkLimit) return false;
    this.parked.push(`${lane}:${seq}`);
    if (lane === this.poisonLane) this.poison.delete(seq);
    return true;
  }
  acknowledge(): void {}
  rewind(lane: Lane, fromSeq: number): void {
    this.sentThrough[lane] = fromSeq - 1;
  }
  mayUse(lane: Lane): boolean {
    return !this.blocked.has(lane);
  }
  onEvent(event: RelayEvent): void {
    this.events.push(event);
  }
  /** Runs due timers (and the promises they start) until `until`. */
  async run(until: number): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = Math.max(this.time, until);
  }
}

function sentLanes(sim: Simulation): string[] {
  return sim.events.filter((e): e is Extract<RelayEvent, { type: 'sent' }> => e.type === 'sent').map((e) => `${e.lane}:${e.fromSeq}-${e.toSeq}`);
}

describe('relay loop', () => {
  it('probes a silent HQ with exponential back-off, each wait within [b/2, b): capped at seconds for ten minutes, then at minutes', async () => {
    const sim = new Simulation();
    sim.hqUp = false;
    sim.random = () => 0.999;
    const loop = new RelayLoop(sim);
    loop.start();
    await sim.run(3_600_000);
    const probes = sim.events.filter((e): e is Extract<RelayEvent, { type: 'probe' }> => e.type === 'probe');
    expect(probes.length).toBeGreaterThan(200);
    let b = FIRST_BACKOFF_MS;
    for (const p of probes) {
      const cap = p.at < SHORT_OUTAGE_MS ? SHORT_OUTAGE_MAX_BACKOFF_MS : MAX_BACKOFF_MS;
      b = Math.min(b, cap);
      expect(p.nextInMs).toBeGreaterThanOrEqual(b / 2);
      expect(p.nextInMs).toBeLessThan(b);
      b = Math.min(cap, b * 2);
    }
    // A short outage is probed every few seconds, so the link's return is seen at once.
    expect(Math.max(...probes.filter((p) => p.at < SHORT_OUTAGE_MS).map((p) => p.nextInMs ?? 0))).toBeLessThan(SHORT_OUTAGE_MAX_BACKOFF_MS);
    expect(Math.max(...probes.map((p) => p.nextInMs ?? 0))).toBeGreaterThan(MAX_BACKOFF_MS / 2 - 1);
    expect(loop.state).toBe('OFFLINE');
    loop.stop();
  });

  it('after a 30 s outage, a critical item waiting in the outbox goes out within one capped back-off of the link coming back', async () => {
    const sim = new Simulation();
    sim.msPerItem = 1;
    const loop = new RelayLoop(sim);
    loop.start();
    sim.outbox.readings = 100_000_000;
    await sim.run(20_000);
    sim.hqUp = false;
    await sim.run(50_000);
    expect(loop.state).toBe('OFFLINE');
    sim.outbox.critical = 1;
    loop.wake();
    sim.hqUp = true;
    const back = sim.time;
    await sim.run(back + 10_000);
    const critical = sim.events.find((e): e is Extract<RelayEvent, { type: 'sent' }> => e.type === 'sent' && e.lane === 'critical');
    expect(critical).toBeDefined();
    expect((critical?.at ?? Infinity) - back).toBeLessThan(SHORT_OUTAGE_MAX_BACKOFF_MS);
    loop.stop();
  });

  it('jitter spreads stations: the same back-off step waits differently with different random draws', async () => {
    const waitsWith = async (r: number): Promise<number[]> => {
      const sim = new Simulation();
      sim.hqUp = false;
      sim.random = () => r;
      const loop = new RelayLoop(sim);
      loop.start();
      await sim.run(60_000);
      loop.stop();
      return sim.events.filter((e): e is Extract<RelayEvent, { type: 'probe' }> => e.type === 'probe').map((e) => e.nextInMs ?? 0);
    };
    expect((await waitsWith(0))[2]).toBe(1_500);
    expect((await waitsWith(0.5))[2]).toBe(2_250);
  });

  it('comes back ONLINE on the first good probe and drains every lane in strict priority', async () => {
    const sim = new Simulation();
    sim.hqUp = false;
    sim.outbox = { critical: 3, production: 5, readings: 5, notes: 2, photos: 1 };
    const loop = new RelayLoop(sim);
    loop.start();
    await sim.run(10_000);
    expect(sentLanes(sim)).toEqual([]);
    sim.hqUp = true;
    await sim.run(100_000);
    expect(loop.state).toBe('ONLINE');
    expect(sentLanes(sim).map((s) => s.split(':')[0])).toEqual(['critical', 'production', 'readings', 'notes', 'photos']);
    expect(sim.hqHolds).toEqual(sim.outbox);
    loop.stop();
  });

  it('a critical item that arrives during a long backlog goes out next, before the backlog', async () => {
    const sim = new Simulation();
    sim.outbox.readings = 5_000;
    const loop = new RelayLoop(sim);
    loop.start();
    await sim.run(1_500);
    sim.outbox.critical = 1;
    loop.wake();
    await sim.run(5_000);
    const lanes = sentLanes(sim);
    const firstCritical = lanes.findIndex((s) => s.startsWith('critical'));
    expect(firstCritical).toBeGreaterThan(0);
    expect(lanes.slice(0, firstCritical).every((s) => s.startsWith('readings'))).toBe(true);
    expect(lanes.length).toBeLessThan(10);
    loop.stop();
  });

  it('on SEQ_GAP it resends from the seq HQ expects', async () => {
    const sim = new Simulation();
    sim.outbox.production = 10;
    sim.sentThrough.production = 4;
    const loop = new RelayLoop(sim);
    loop.start();
    await sim.run(60_000);
    expect(sim.events.find((e) => e.type === 'rewind')).toMatchObject({ lane: 'production', fromSeq: 1, why: 'SEQ_GAP' });
    expect(sim.hqHolds.production).toBe(10);
    loop.stop();
  });

  it('an ack lower than what was sent (HQ restored from a backup) makes it resend from ack + 1', async () => {
    const sim = new Simulation();
    sim.outbox.notes = 20;
    sim.script.push((b) => {
      sim.hqHolds.notes = b.fromSeq + 4;
      return { kind: 'acked', ackedThroughSeq: b.fromSeq + 4, bytes: 10 };
    });
    const loop = new RelayLoop(sim);
    loop.start();
    await sim.run(60_000);
    expect(sim.events.find((e) => e.type === 'rewind')).toMatchObject({ lane: 'notes', fromSeq: 6 });
    expect(sim.sent.map((b) => b.fromSeq)).toEqual([1, 6]);
    expect(sim.hqHolds.notes).toBe(20);
    loop.stop();
  });

  it('never sends a lane the budget or photo window closes, and still sends the others', async () => {
    const sim = new Simulation();
    sim.outbox = { critical: 2, production: 0, readings: 0, notes: 0, photos: 4 };
    sim.blocked.add('photos');
    const loop = new RelayLoop(sim);
    loop.start();
    await sim.run(120_000);
    expect(sentLanes(sim)).toEqual(['critical:1-2']);
    sim.blocked.clear();
    loop.wake();
    await sim.run(240_000);
    expect(sentLanes(sim)).toEqual(['critical:1-2', 'photos:1-4']);
    loop.stop();
  });

  it('adapts the batch size so a request takes about four seconds', async () => {
    const sim = new Simulation();
    sim.outbox.readings = 50_000;
    sim.msPerItem = 2;
    const loop = new RelayLoop(sim);
    loop.start();
    await sim.run(200_000);
    const sizes = sim.sent.map((b) => b.items);
    expect(sizes.slice(0, 5)).toEqual([100, 200, 400, 800, 1_600]);
    expect(sizes.at(-2)).toBe(2_000);
    loop.stop();
  });

  it('a failing link goes ONLINE → DEGRADED → OFFLINE, halves the batch, then probes', async () => {
    const sim = new Simulation();
    sim.outbox.production = 1_000;
    const loop = new RelayLoop(sim);
    loop.start();
    await sim.run(2_000);
    const before = loop.batchItems;
    sim.hqUp = false;
    await sim.run(30_000);
    const states = sim.events.filter((e): e is Extract<RelayEvent, { type: 'state' }> => e.type === 'state').map((e) => e.state);
    expect(states).toEqual(['ONLINE', 'DEGRADED', 'OFFLINE']);
    expect(sim.events.some((e) => e.type === 'probe' && !e.ok)).toBe(true);
    expect(loop.batchItems).toBeLessThan(before);
    loop.stop();
  });

  it('a batch HQ refuses is halved until the one item HQ refuses alone is parked; everything else goes through, in order', async () => {
    const sim = new Simulation();
    sim.msPerItem = 1;
    sim.outbox.readings = 1_000;
    sim.outbox.critical = 5;
    sim.poison = new Set([37, 612]);
    const loop = new RelayLoop(sim);
    loop.start();
    await sim.run(600_000);
    expect(sim.parked).toEqual(['readings:37', 'readings:612']);
    expect(sim.hqHolds).toMatchObject({ critical: 5, readings: 1_000 });
    expect(loop.state).toBe('ONLINE');
    // Each refusal costs a handful of halvings, not a request per item.
    expect(sim.sent.length).toBeLessThan(60);
    loop.stop();
  });

  it('four bad items in a row are all parked, and the lane goes on', async () => {
    const sim = new Simulation();
    sim.msPerItem = 1;
    sim.outbox.readings = 100;
    sim.poison = new Set([37, 38, 39, 40]);
    const loop = new RelayLoop(sim);
    loop.start();
    await sim.run(600_000);
    expect(sim.parked).toEqual(['readings:37', 'readings:38', 'readings:39', 'readings:40']);
    expect(sim.hqHolds.readings).toBe(100);
    loop.stop();
  });

  it('when the delegate will park no more (HQ refuses everything), it waits with back-off instead of parking the lane away', async () => {
    const sim = new Simulation();
    sim.msPerItem = 1;
    sim.outbox.readings = 200;
    sim.parkLimit = 3;
    sim.poison = new Set(Array.from({ length: 200 }, (_, i) => i + 1));
    const loop = new RelayLoop(sim);
    loop.start();
    await sim.run(600_000);
    expect(sim.parked).toEqual(['readings:1', 'readings:2', 'readings:3']);
    expect(loop.state).toBe('DEGRADED');
    // HQ holds nothing but the placeholders of the first parked items.
    expect(sim.hqHolds.readings).toBe(3);
    loop.stop();
  });

  it('every lane has a place in the order', () => {
    expect(LANES).toEqual(['critical', 'production', 'readings', 'notes', 'photos']);
  });
});

describe('photo window', () => {
  it('a window that wraps midnight (22:00–05:00) opens late evening and early morning only', async () => {
    const { inWindow } = await import('../../src/main/station/relay/relay-service.ts');
    const night = { startHour: 22, endHour: 5 };
    expect([21, 22, 23, 0, 4, 5, 12].map((h) => inWindow(h, night))).toEqual([false, true, true, true, true, false, false]);
    expect([8, 12, 17].map((h) => inWindow(h, { startHour: 9, endHour: 17 }))).toEqual([false, true, false]);
  });
});
