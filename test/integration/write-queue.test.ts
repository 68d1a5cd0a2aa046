/**
 * The station's write path (write-queue.ts, ADR 0009) on real SQLite files and a real
 * writer thread: batches decided ahead of the writer end exactly where batches written one
 * by one end; a batch that fails to be written takes the batches decided after it down
 * with it and nothing of theirs is kept; a supervisor's decision waits for the batches in
 * flight; a batch that cannot be planned leaves no gap in the numbers.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/main/station/audit/audit-log.ts';
import { DecisionError, resolveConflict } from '../../src/main/station/ingest/decide.ts';
import { IngestError } from '../../src/main/station/ingest/ingest-batch.ts';
import { rebuildProjection } from '../../src/main/station/ingest/rebuild-projection.ts';
import { prepareStatements } from '../../src/main/station/ingest/statements.ts';
import { HeldKeys } from '../../src/main/station/ingest/held-keys.ts';
import { guardWrites, WriteQueue, WriterFailedError } from '../../src/main/station/ingest/write-queue.ts';
import type { SyncRequest, SyncResponse } from '../../src/shared/protocol/sync.ts';
import { DEFAULT_POLICY } from '../../src/shared/engine/policy.ts';
import type { EngineSettings } from '../../src/shared/engine/types.ts';
import { scenarioArbitrary } from '../support/scenario-arbitrary.ts';
import { runScenarioOnStore, takeDecision } from '../support/scenario-on-store.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const settings: EngineSettings = { timeZone: 'America/Denver', gaugeDayStartHour: 7, plausibilityPct: 20, skewLimitMs: 120_000, policy: DEFAULT_POLICY, wells: {} };
const NOW = new Date('2026-06-11T12:00:00.000Z');
const ctx = { settings, now: () => NOW };

interface Queued {
  store: TempStore;
  queue: WriteQueue;
  errors: Error[];
  close: () => Promise<void>;
}

const open: Queued[] = [];

/** A store whose batches go through a writer thread, its other writes waiting for it, as the station's do. */
function openQueued(): Queued {
  const temp = openTempStore();
  let queue: WriteQueue | null = null;
  guardWrites(temp.db, () => queue?.drain());
  const store: TempStore = { ...temp, stmts: prepareStatements(temp.db), held: new HeldKeys(temp.db) };
  store.held!.reload();
  const errors: Error[] = [];
  queue = new WriteQueue({ file: temp.file, store, onWriterError: (err) => errors.push(err) });
  const q = queue;
  const handle: Queued = {
    store,
    queue: q,
    errors,
    close: async () => {
      await q.close();
      temp.close();
    },
  };
  open.push(handle);
  return handle;
}

afterEach(async () => {
  for (const q of open.splice(0)) await q.close();
});

function production(id: string, oilBbl: number, wellId = 'W-1'): Record<string, unknown> {
  return { id, type: 'PRODUCTION_LOGGED', operatorId: 'op', occurredAt: '2026-06-10T16:00:00.000Z', payload: { wellId, measuredAt: '2026-06-10T15:00:00.000Z', oilBbl, gasMcf: 40, waterBbl: 10 } };
}

function inspection(id: string, result: string, operatorId: string): Record<string, unknown> {
  return { id, type: 'EQUIPMENT_INSPECTED', operatorId, occurredAt: '2026-06-10T16:00:00.000Z', payload: { wellId: 'W-1', equipmentId: 'EQ-1', inspectedAt: '2026-06-10T15:00:00.000Z', result } };
}

function batch(batchId: string, events: unknown[], deviceId = 'A', deviceTime = NOW.toISOString()): SyncRequest {
  return { deviceId, batchId, deviceTime, events };
}

function snapshot(store: TempStore): unknown {
  const q = (sql: string): unknown[] => store.db.prepare(sql).all();
  return {
    records: q('SELECT id, key, version, status, value, value_from, conflict_id, state, change_seq FROM records ORDER BY id'),
    conflicts: q('SELECT id, record_id, status, strategy, reason, winner, candidates, is_open FROM conflicts ORDER BY id'),
    candidates: q('SELECT conflict_id, event_id FROM conflict_candidates ORDER BY conflict_id, event_id'),
    events: q('SELECT seq, id, kind, record_id, batch_seq, status, result, supersedes, superseded_by FROM events ORDER BY seq'),
    batches: q('SELECT seq, batch_id, device_id, event_count, summary FROM batches ORDER BY seq'),
    outbox: q('SELECT lane, seq, kind, event_seq, data FROM outbox ORDER BY lane, seq'),
    lanes: q('SELECT lane, last_seq FROM relay_state ORDER BY lane'),
    quarantine: q('SELECT event_id, batch_seq, code FROM quarantine ORDER BY id'),
    audit: q('SELECT seq, at, actor, action, subject, details, hash FROM audit ORDER BY seq'),
  };
}

describe('the writer queue', () => {
  it('batches decided ahead of the writer end where the same batches written one by one end', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (steps) => {
        const direct = openTempStore();
        try {
          const direct1 = runScenarioOnStore(direct, steps, ctx, NOW);
          const { batches, decisions } = direct1;
          const { store, queue } = openQueued();
          await store.held!.loaded;
          // Every batch is sent without waiting for the one before; a decision is taken
          // where the scenario took it, while the batches before it may still be in flight.
          const answers: Promise<SyncResponse>[] = [];
          steps.forEach((_, i) => {
            const b = batches.get(i);
            if (b !== undefined) answers.push(queue.ingest(b, ctx));
            const d = decisions.find((x) => x.index === i);
            if (d !== undefined) takeDecision(store, d, ctx);
          });
          const sent = await Promise.all(answers);
          expect(sent).toEqual(direct1.answers);
          expect(snapshot(store)).toEqual(snapshot(direct));
          expect(verifyAudit(store.db).ok).toBe(true);
          expect(rebuildProjection(store.db, settings).mismatches).toEqual([]);
        } finally {
          direct.close();
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('a batch the writer cannot store fails with the batches decided after it; nothing of theirs is kept, and their resends are stored whole', async () => {
    const { store, queue } = openQueued();
    await queue.ingest(batch('warm', [production('w1', 100, 'W-0')]), ctx);
    const nextBatchSeq = (store.db.prepare('SELECT max(seq) AS n FROM batches').get() as { n: number }).n + 1;
    const first = queue.ingest(batch('b1', [production('e1', 100, 'W-1')]), ctx);
    // Another program writes the batch number the queue gave its third batch: that batch
    // cannot be stored. (A real cause would be a full disk.)
    const other = new Database(store.file);
    other.pragma('busy_timeout = 10000');
    other.prepare("INSERT INTO batches (seq, batch_id, device_id, received_at, device_time, clock_skew_ms, event_count, summary) VALUES (?, 'intruder', 'X', '', '', 0, 0, '{}')").run(nextBatchSeq + 2);
    other.close();
    const second = queue.ingest(batch('b2', [production('e2', 200, 'W-2')]), ctx);
    const third = queue.ingest(batch('b3', [production('e3', 300, 'W-3'), production('e1', 100, 'W-1')]), ctx);
    const fourth = queue.ingest(batch('b4', [production('e4', 400, 'W-4'), production('e2', 200, 'W-2')]), ctx);
    const settled = await Promise.allSettled([first, second, third, fourth]);
    // The fourth was decided against the third's state, and fails with it, unless the
    // writer had already refused the third when the fourth was decided (then it starts the
    // new epoch and is stored): both are right, which one depends on the threads' timing.
    expect(settled.slice(0, 3).map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const reasons = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    expect(reasons.every((r) => r instanceof WriterFailedError)).toBe(true);
    const ids = (): string[] => (store.db.prepare("SELECT id FROM events WHERE kind = 'event' ORDER BY seq").all() as { id: string }[]).map((r) => r.id);
    const fourthStored = settled[3]!.status === 'fulfilled';
    expect(ids()).toEqual(fourthStored ? ['w1', 'e1', 'e2', 'e4'] : ['w1', 'e1', 'e2']);
    // The tablets resend what failed: the queue starts over from what was stored.
    const again3 = await queue.ingest(batch('b3', [production('e3', 300, 'W-3'), production('e1', 100, 'W-1')]), ctx);
    expect(again3.results.map((r) => r.status)).toEqual(['APPLIED', 'DUPLICATE']);
    const again4 = await queue.ingest(batch('b4', [production('e4', 400, 'W-4'), production('e2', 200, 'W-2')]), ctx);
    expect(again4.results.map((r) => r.status)).toEqual(fourthStored ? ['DUPLICATE', 'DUPLICATE'] : ['APPLIED', 'DUPLICATE']);
    expect(ids().sort()).toEqual(['e1', 'e2', 'e3', 'e4', 'w1']);
    const seqs = (store.db.prepare("SELECT seq FROM outbox WHERE lane = 'production' ORDER BY seq").all() as { seq: number }[]).map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(verifyAudit(store.db).ok).toBe(true);
    expect(rebuildProjection(store.db, settings).mismatches).toEqual([]);
  });

  it("a supervisor's decision waits for the batches in flight, and sees what they brought", async () => {
    const { store, queue } = openQueued();
    await queue.ingest(batch('b1', [inspection('i1', 'PASS', 'op-a')], 'A'), ctx);
    await queue.ingest(batch('b2', [inspection('i2', 'FAIL', 'op-b')], 'B'), ctx);
    const conflictId = (store.db.prepare('SELECT id FROM conflicts').get() as { id: string }).id;
    // A third inspection of the same equipment is decided and sent, not yet written...
    const third = queue.ingest(batch('b3', [inspection('i3', 'NEEDS_ATTENTION', 'op-c')], 'C'), ctx);
    // ...when the supervisor resolves having seen two entries: the decision waits for it, then refuses.
    const decision = (): unknown => resolveConflict(store, { conflictId, choice: { choose: 'i1' }, decidedBy: 'sup', comment: 'seen', seenCandidates: ['i1', 'i2'] }, ctx);
    expect(decision).toThrow(DecisionError);
    expect(decision).toThrow(/New entries arrived .*i3/);
    expect((await third).results[0]!.status).toBe('CONFLICT');
    // With all three in view, it is taken; the next batch is decided against it.
    resolveConflict(store, { conflictId, choice: { choose: 'i2' }, decidedBy: 'sup', comment: 'FAIL stands', seenCandidates: ['i1', 'i2', 'i3'] }, ctx);
    const after = await queue.ingest(batch('b4', [production('p1', 10)], 'A'), ctx);
    expect(after.results[0]!.status).toBe('APPLIED');
    const record = store.db.prepare("SELECT status, value_from AS valueFrom FROM records WHERE key LIKE 'inspection/%'").get() as { status: string; valueFrom: string };
    expect(record.status).toBe('OK');
    expect(verifyAudit(store.db).ok).toBe(true);
    expect(rebuildProjection(store.db, settings).mismatches).toEqual([]);
  });

  it('an event sent again before its first batch was written is a DUPLICATE, and its id with other content is refused', async () => {
    const { store, queue } = openQueued();
    const answers = await Promise.all([
      queue.ingest(batch('b1', [production('e1', 100), production('e2', 100, 'W-2')], 'A'), ctx),
      queue.ingest(batch('b2', [production('e1', 100)], 'B'), ctx),
      queue.ingest(batch('b3', [production('e2', 999, 'W-2')], 'C'), ctx),
    ]);
    expect(answers.map((a) => a.results.map((r) => r.status))).toEqual([['APPLIED', 'APPLIED'], ['DUPLICATE'], ['REJECTED']]);
    expect(answers[2]!.results[0]).toMatchObject({ error: { code: 'EVENT_ID_REUSED' } });
    expect((store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(2);
    expect((store.db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n).toBe(1);
  });

  it('a batch that cannot be planned is refused alone and leaves no gap in the numbers', async () => {
    const { store, queue } = openQueued();
    const answers = [
      queue.ingest(batch('b1', [production('e1', 100, 'W-1')]), ctx),
      queue.ingest(batch('bad', [production('x1', 1, 'W-9')], 'A', 'yesterday'), ctx),
      queue.ingest(batch('b2', [production('e2', 200, 'W-2')]), ctx),
    ];
    const settled = await Promise.allSettled(answers);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(IngestError);
    const col = (sql: string): number[] => (store.db.prepare(sql).all() as { n: number }[]).map((r) => r.n);
    expect(col('SELECT seq AS n FROM events ORDER BY seq')).toEqual([1, 2]);
    expect(col('SELECT seq AS n FROM batches ORDER BY seq')).toEqual([1, 2]);
    expect(col("SELECT seq AS n FROM outbox WHERE lane = 'production' ORDER BY seq")).toEqual([1, 2]);
    expect(col('SELECT id AS n FROM records ORDER BY id')).toEqual([1, 2]);
  });

  it('a batch that breaks after some of its rows went to the writer leaves none of them, and no gap', async () => {
    const { store, queue } = openQueued();
    const first = queue.ingest(batch('b1', [production('e0', 1, 'W-0')]), ctx);
    // Settings that give way partway through deciding 600 events: rows of the first ~300
    // (three per event) have been streamed to the writer by then.
    let reads = 0;
    const breaking = new Proxy(settings, {
      get(target, prop, receiver) {
        if (prop === 'policy' && ++reads > 300) throw new Error('settings went away');
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const events = Array.from({ length: 600 }, (_, i) => production(`x${i}`, i, `W-x${i}`));
    await expect(queue.ingest(batch('broken', events), { settings: breaking, now: () => NOW })).rejects.toThrow('settings went away');
    expect(reads).toBeGreaterThan(300);
    const last = await queue.ingest(batch('b2', [production('e1', 2, 'W-1')]), ctx);
    expect((await first).results[0]!.status).toBe('APPLIED');
    expect(last.results[0]!.status).toBe('APPLIED');
    const col = (sql: string): (number | string)[] => (store.db.prepare(sql).all() as { n: number | string }[]).map((r) => r.n);
    expect(col('SELECT id AS n FROM events ORDER BY seq')).toEqual(['e0', 'e1']);
    expect(col('SELECT seq AS n FROM events ORDER BY seq')).toEqual([1, 2]);
    expect(col("SELECT seq AS n FROM outbox WHERE lane = 'production' ORDER BY seq")).toEqual([1, 2]);
    expect(col('SELECT batch_id AS n FROM batches ORDER BY seq')).toEqual(['b1', 'b2']);
    expect(verifyAudit(store.db).ok).toBe(true);
  });

  it('a writer that cannot start fails the batch with a clear error, every time, and closing does not hang', async () => {
    const temp = openTempStore();
    const errors: Error[] = [];
    const queue = new WriteQueue({ file: `${temp.file}.missing`, store: temp, onWriterError: (err) => errors.push(err) });
    try {
      await expect(queue.ingest(batch('b1', [production('e1', 1)]), ctx)).rejects.toBeInstanceOf(WriterFailedError);
      await expect(queue.ingest(batch('b2', [production('e2', 2)]), ctx)).rejects.toThrow(/writer thread stopped before this batch was known to be stored/);
      expect(errors.map((e) => e.message).join('\n')).toMatch(/the writer thread failed: SQLITE_CANTOPEN/);
      queue.drain();
      expect((temp.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(0);
    } finally {
      await queue.close();
      temp.close();
    }
  });

  it("with the filters of what is held: a decision's id is known, and a row another program inserted fails one batch, whose resend is decided right", async () => {
    const { store, queue } = openQueued();
    await store.held!.loaded;
    await queue.ingest(batch('b1', [inspection('i1', 'PASS', 'op-a')], 'A'), ctx);
    await queue.ingest(batch('b2', [inspection('i2', 'FAIL', 'op-b')], 'B'), ctx);
    const conflictId = (store.db.prepare('SELECT id FROM conflicts').get() as { id: string }).id;
    resolveConflict(store, { conflictId, choice: { choose: 'i2' }, decidedBy: 'sup', comment: 'FAIL stands' }, { ...ctx, newId: () => 'dec-1' });
    const reused = await queue.ingest(batch('b3', [{ ...production('dec-1', 5), id: 'dec-1' }], 'C'), ctx);
    expect(reused.results[0]).toMatchObject({ status: 'REJECTED', error: { code: 'EVENT_ID_REUSED' } });
    // Another program writes an event and a record the station's filters never saw.
    const other = new Database(store.file);
    other.pragma('busy_timeout = 10000');
    const key = 'production/W-7/2026-06-10';
    other.prepare("INSERT INTO records (id, key, type, well_id, version, status, value, value_from, conflict_id, state, updated_at, change_seq) SELECT max(id) + 1, ?, 'PRODUCTION_LOGGED', 'W-7', 1, 'OK', 'null', NULL, NULL, ?, '', 0 FROM records").run(key, '{"v":1,"h":"","s":"OK","f":null,"c":null,"i":[]}');
    other.close();
    await expect(queue.ingest(batch('b4', [production('p7', 7, 'W-7')], 'A'), ctx)).rejects.toBeInstanceOf(WriterFailedError);
    await store.held!.loaded;
    const again = await queue.ingest(batch('b4', [production('p7', 7, 'W-7')], 'A'), ctx);
    expect(again.results[0]).toMatchObject({ status: 'APPLIED', recordKey: key, version: 2 });
    expect(verifyAudit(store.db).ok).toBe(true);
  });

  it('closing waits for every batch sent and keeps them all', async () => {
    const { store, queue } = openQueued();
    const answers = Array.from({ length: 8 }, (_, i) => queue.ingest(batch(`b${i}`, [production(`e${i}`, i, `W-${i}`)]), ctx));
    await queue.close();
    expect((await Promise.all(answers)).every((r) => r.results[0]?.status === 'APPLIED')).toBe(true);
    expect((store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(8);
    await expect(queue.ingest(batch('late', [production('z', 1)]), ctx)).rejects.toBeInstanceOf(WriterFailedError);
  });
});
