/**
 * Table tests of protocol §1 on the real ingest: one row per event type (key, default
 * strategy), the seed pattern's own examples, and each departure from the seed in §6.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ev } from '../support/events.ts';
import { makeFixture, type Fixture } from '../support/station-fixture.ts';

let f: Fixture;
afterEach(() => f.close());

describe('protocol §1 table: record key and default strategy per type', () => {
  const rows: { name: string; first: Record<string, unknown>; second: Record<string, unknown>; key: string; strategy: string; outcome: string }[] = [
    { name: 'production → HIGHEST_VALUE', first: ev.production({ oilBbl: 120 }), second: ev.production({ oilBbl: 125, measuredAt: '2026-06-10T16:00:00.000Z' }), key: 'production/W-42/2026-06-10', strategy: 'HIGHEST_VALUE', outcome: 'UPDATE_SERVER' },
    { name: 'reading → NEWEST_WINS', first: ev.reading({ value: 800 }), second: ev.reading({ value: 790, measuredAt: '2026-06-10T16:00:00.000Z' }), key: 'reading/W-42/TUBING_PRESSURE/2026-06-10', strategy: 'NEWEST_WINS', outcome: 'UPDATE_SERVER' },
    { name: 'inspection → MANUAL_REVIEW', first: ev.inspection({ result: 'PASS' }), second: ev.inspection({ result: 'FAIL' }), key: 'inspection/W-42/COMP-1/2026-06-10', strategy: 'MANUAL_REVIEW', outcome: 'MANUAL_REVIEW' },
    { name: 'repair → MANUAL_REVIEW', first: ev.repair({ action: 'replaced belt' }), second: ev.repair({ action: 'tightened belt' }), key: 'repair/W-42/COMP-1/2026-06-10', strategy: 'MANUAL_REVIEW', outcome: 'MANUAL_REVIEW' },
    { name: 'well status → MANUAL_REVIEW', first: ev.status({ status: 'ACTIVE' }), second: ev.status({ status: 'SHUT_IN' }), key: 'status/W-42', strategy: 'MANUAL_REVIEW', outcome: 'MANUAL_REVIEW' },
    { name: 'notes → MERGE', first: ev.note({ text: 'gate open' }), second: ev.note({ text: 'gate locked' }), key: 'notes/W-42/2026-06-10', strategy: 'MERGE', outcome: 'MERGE' },
    { name: 'photos → KEEP_BOTH', first: ev.photo({ sha256: 'a'.repeat(64) }), second: ev.photo({ sha256: 'b'.repeat(64) }), key: 'photos/W-42/general/2026-06-10', strategy: 'KEEP_BOTH', outcome: 'KEEP_BOTH' },
  ];
  for (const row of rows) {
    it(`${row.name}: two unaware devices on ${row.key} conflict with that strategy`, () => {
      f = makeFixture();
      expect(f.sync('tab-A', [row.first])[0]).toMatchObject({ status: 'APPLIED', recordKey: row.key, version: 1 });
      expect(f.sync('tab-B', [row.second])[0]).toMatchObject({ status: 'CONFLICT', recordKey: row.key, version: 2, strategy: row.strategy, outcome: row.outcome });
    });
  }
});

describe("the seed pattern's own examples", () => {
  it('120 bbl then 125 bbl from another operator → UPDATE_SERVER, 125 is the value, 120 stays in history', () => {
    f = makeFixture();
    const a = ev.production({ oilBbl: 120, measuredAt: '2026-06-10T13:15:00.000Z' });
    const b = ev.production({ oilBbl: 125, measuredAt: '2026-06-10T15:15:00.000Z' });
    f.sync('tab-A', [a]);
    const [r] = f.sync('tab-B', [b]);
    expect(r).toMatchObject({ status: 'CONFLICT', outcome: 'UPDATE_SERVER', strategy: 'HIGHEST_VALUE' });
    expect(r?.status === 'CONFLICT' && r.reason).toMatch(/kept 125 bbl oil.* from tab-B \(HIGHEST_VALUE\); 120 bbl oil.* from tab-A kept in history/);
    expect(f.record('production/W-42/2026-06-10')?.value['oilBbl']).toBe(125);
    expect(f.count('events')).toBe(2);
  });

  it('PASS vs FAIL inspection → MANUAL_REVIEW: the record is DISPUTED and shows FAIL until a supervisor decides', () => {
    f = makeFixture();
    f.sync('tab-A', [ev.inspection({ result: 'PASS' })]);
    const [r] = f.sync('tab-B', [ev.inspection({ result: 'FAIL', inspectedAt: '2026-06-10T16:00:00.000Z' })]);
    expect(r).toMatchObject({ status: 'CONFLICT', outcome: 'MANUAL_REVIEW' });
    const rec = f.record('inspection/W-42/COMP-1/2026-06-10');
    expect(rec).toMatchObject({ status: 'DISPUTED' });
    expect(rec?.value['result']).toBe('FAIL');
    expect(f.conflict(rec?.conflictId ?? '')).toMatchObject({ status: 'PENDING_REVIEW', winner: null });
  });
});

describe('protocol §6: where the station does better than the seed', () => {
  it('KEEP_SERVER keeps the incoming event in the history and the outbox', () => {
    f = makeFixture();
    f.sync('tab-A', [ev.production({ oilBbl: 300 })]);
    const [r] = f.sync('tab-B', [ev.production({ oilBbl: 290, measuredAt: '2026-06-10T16:00:00.000Z' })]);
    expect(r).toMatchObject({ outcome: 'KEEP_SERVER' });
    expect(f.count('events')).toBe(2);
    expect(f.count("outbox WHERE kind = 'event'")).toBe(2);
  });

  it('production on the same field day conflicts even at different instants; a correction by someone who saw the value is not a conflict', () => {
    f = makeFixture();
    f.sync('tab-A', [ev.production({ oilBbl: 300, measuredAt: '2026-06-10T14:00:00.000Z' })]);
    expect(f.sync('tab-B', [ev.production({ oilBbl: 310, measuredAt: '2026-06-11T06:30:00.000Z' })])[0]).toMatchObject({ status: 'CONFLICT' });
    expect(f.sync('tab-C', [ev.production({ oilBbl: 305, measuredAt: '2026-06-10T20:00:00.000Z' }, { baseVersion: 2 })])[0]).toMatchObject({ status: 'APPLIED', version: 3 });
  });

  it('events held for review are in syncedEventIds, so the tablet may delete them', () => {
    f = makeFixture();
    f.sync('tab-A', [ev.inspection({ result: 'PASS' })]);
    const b = ev.inspection({ result: 'FAIL' });
    const res = f.syncResponse('tab-B', [b, { id: 'bad', type: 'NOTES_ADDED' }]);
    expect(res.results[0]).toMatchObject({ status: 'CONFLICT', outcome: 'MANUAL_REVIEW' });
    expect(res.syncedEventIds).toEqual([b['id']]);
  });

  it('a resent note is DUPLICATE and never duplicates its text (entries, not concatenation)', () => {
    f = makeFixture();
    const n = ev.note({ text: 'gate open' });
    f.sync('tab-A', [n]);
    expect(f.sync('tab-A', [n])[0]).toEqual({ eventId: n['id'], status: 'DUPLICATE' });
    expect(f.record('notes/W-42/2026-06-10')?.value['entries']).toHaveLength(1);
  });

  it('an unknown event type is rejected with UNKNOWN_EVENT_TYPE and quarantined raw', () => {
    f = makeFixture();
    const raw = { id: 'x-1', type: 'WELL_DRILLED', operatorId: 'op', occurredAt: '2026-06-10T15:00:00.000Z', payload: { wellId: 'W-1' } };
    expect(f.sync('tab-A', [raw])[0]).toMatchObject({ status: 'REJECTED', error: { code: 'UNKNOWN_EVENT_TYPE' } });
    const q = f.db.prepare('SELECT event_id AS eventId, code, raw FROM quarantine').get() as { eventId: string; code: string; raw: string };
    expect(q).toEqual({ eventId: 'x-1', code: 'UNKNOWN_EVENT_TYPE', raw: JSON.stringify(raw) });
  });

  it('an implausible production gap goes to a supervisor instead of taking the higher number', () => {
    f = makeFixture();
    f.sync('tab-A', [ev.production({ oilBbl: 120 })]);
    expect(f.sync('tab-B', [ev.production({ oilBbl: 1200 })])[0]).toMatchObject({ status: 'CONFLICT', strategy: 'HIGHEST_VALUE', outcome: 'MANUAL_REVIEW' });
  });

  it('NEWEST_WINS between skewed clocks goes to a supervisor, naming the skew', () => {
    f = makeFixture();
    f.sync('tab-A', [ev.reading({ value: 800 })]);
    const [r] = f.sync('tab-B', [ev.reading({ value: 820, measuredAt: '2026-06-10T16:00:00.000Z' })], { skewMs: 3_600_000 });
    expect(r).toMatchObject({ status: 'CONFLICT', outcome: 'MANUAL_REVIEW' });
    expect(r?.status === 'CONFLICT' && r.reason).toMatch(/tab-B's clock was 60 min off/);
  });
});

describe('supervisor decisions', () => {
  it('a safety-critical decision needs a comment; the decision is audited and relayed', () => {
    f = makeFixture();
    f.sync('tab-A', [ev.inspection({ result: 'PASS' }, { id: 'i-a' })]);
    f.sync('tab-B', [ev.inspection({ result: 'FAIL' }, { id: 'i-b' })]);
    const conflictId = f.record('inspection/W-42/COMP-1/2026-06-10')?.conflictId ?? '';
    expect(() => f.resolve(conflictId, { choose: 'i-b' }, '  ')).toThrow(/write a comment/);
    const out = f.resolve(conflictId, { choose: 'i-b' }, 'belt was cracked');
    expect(out.version).toBe(3);
    expect(f.record('inspection/W-42/COMP-1/2026-06-10')).toMatchObject({ status: 'OK', valueFrom: out.decisionId, conflictId: null });
    expect(f.conflict(conflictId)).toMatchObject({ status: 'RESOLVED', winner: 'i-b', isOpen: 0 });
    expect(f.count("audit WHERE action = 'conflict.resolve'")).toBe(1);
    expect(f.count("outbox WHERE kind = 'decision' AND lane = 'critical'")).toBe(1);
  });

  it('refuses what it cannot do, with a reason: wrong verb, not a candidate, another record, unknown conflict', () => {
    f = makeFixture();
    f.sync('tab-A', [ev.production({ oilBbl: 300 }, { id: 'p-a' })]);
    f.sync('tab-B', [ev.production({ oilBbl: 310 }, { id: 'p-b' })]);
    const id = f.record('production/W-42/2026-06-10')?.conflictId ?? '';
    expect(() => f.resolve(id, { choose: 'p-a' })).toThrow(expect.objectContaining({ code: 'CONFLICT_NOT_PENDING' }));
    expect(() => f.override(id, { choose: 'nope' })).toThrow(expect.objectContaining({ code: 'NOT_A_CANDIDATE' }));
    expect(() => f.override(id, { value: { wellId: 'W-7', measuredAt: '2026-06-10T15:00:00.000Z', oilBbl: 1, gasMcf: 1, waterBbl: 1 } })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() => f.override(id, { value: { wellId: 'W-42', oilBbl: -1 } })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => f.override('cf-missing', { choose: 'p-a' })).toThrow(expect.objectContaining({ code: 'CONFLICT_NOT_FOUND' }));
    expect(f.count('decisions')).toBe(0);
    f.override(id, { choose: 'p-a' }, 'meter ticket says 300');
    expect(() => f.override(id, { choose: 'p-a' })).toThrow(expect.objectContaining({ code: 'CONFLICT_NOT_OPEN' }));
  });
});
