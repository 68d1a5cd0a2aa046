/**
 * Every case of the shared engine vectors, through the real ingest on a real SQLite file;
 * order-free cases also over every allowed interleaving (engine-vectors.md).
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/main/station/ingest/write-session.ts';
import { openTempStore } from '../support/temp-store.ts';
import { interleavings, loadVectors, replay, type ExpectedConflict, type ExpectedRecord, type VectorCase } from '../support/vectors.ts';

const KEY_FIELDS: Record<string, string[]> = {
  production: ['measuredAt', 'oilBbl', 'gasMcf', 'waterBbl', 'hoursOn'],
  reading: ['value', 'unit', 'measuredAt'],
  inspection: ['inspectedAt', 'result', 'checklist'],
  repair: ['repairedAt', 'action', 'partsUsed'],
  status: ['status', 'effectiveAt'],
};

interface ConflictRow {
  id: string;
  status: string;
  strategy: string;
  candidates: string;
  distinctValues: number;
  winner: string | null;
}

function conflictView(row: ConflictRow, expected: ExpectedConflict): Record<string, unknown> {
  const view: Record<string, unknown> = { status: row.status, strategy: row.strategy, candidates: JSON.parse(row.candidates) };
  if (expected.distinctValues !== undefined) view['distinctValues'] = row.distinctValues;
  if (expected.winner !== undefined) view['winner'] = row.winner;
  return view;
}

/** The final state in the shape of `expect.records`, keeping only the fields the vector pins. */
function actualRecords(store: Store, expected: Record<string, ExpectedRecord>, withClosed: boolean): Record<string, unknown> {
  const rows = store.db.prepare('SELECT id, key, status, version, value, value_from AS valueFrom, conflict_id AS conflictId FROM records ORDER BY key').all() as {
    id: number;
    key: string;
    status: string;
    version: number;
    value: string;
    valueFrom: string | null;
    conflictId: string | null;
  }[];
  const out: Record<string, unknown> = {};
  for (const row of rows) {
    const exp = expected[row.key];
    const value = JSON.parse(row.value) as Record<string, unknown>;
    const fields = KEY_FIELDS[row.key.split('/')[0] ?? ''];
    const rec: Record<string, unknown> = {
      status: row.status,
      version: row.version,
      value: fields === undefined ? value : Object.fromEntries(fields.filter((f) => value[f] !== undefined).map((f) => [f, value[f]])),
    };
    if (exp?.valueFrom !== undefined) rec['valueFrom'] = row.valueFrom;
    const conflict = row.conflictId === null ? undefined : (store.db.prepare('SELECT id, status, strategy, candidates, distinct_values AS distinctValues, winner FROM conflicts WHERE id = ?').get(row.conflictId) as ConflictRow);
    rec['conflict'] = conflict === undefined || exp?.conflict == null ? (conflict === undefined ? null : { id: conflict.id, status: conflict.status }) : conflictView(conflict, exp.conflict);
    if (withClosed) {
      const closed = store.db.prepare('SELECT id, status, strategy, candidates, distinct_values AS distinctValues, winner FROM conflicts WHERE record_key = ? AND is_open = 0 ORDER BY rowid').all(row.key) as ConflictRow[];
      rec['closedConflicts'] = closed.map((c, i) => (exp?.closedConflicts[i] === undefined ? { id: c.id } : conflictView(c, exp.closedConflicts[i]!)));
    }
    out[row.key] = rec;
  }
  return out;
}

function expectedRecords(c: VectorCase, withClosed: boolean): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(c.expect.records).map(([key, r]) => {
      const { closedConflicts, ...rest } = r;
      return [key, withClosed ? { ...rest, closedConflicts } : rest];
    }),
  );
}

/** Keeps only the fields each expected result pins (REJECTED: the error code). */
function actualResults(results: unknown[], expected: unknown[]): unknown[] {
  return results.map((stepResult, i) => {
    const exp = expected[i];
    if (!Array.isArray(stepResult) || !Array.isArray(exp)) return stepResult;
    return stepResult.map((r: Record<string, unknown>, j) => {
      const e = (exp[j] ?? {}) as Record<string, unknown>;
      const view = Object.fromEntries(Object.keys(e).map((k) => [k, r[k]]));
      if ('error' in e) view['error'] = (r['error'] as { code: string } | undefined)?.code;
      return view;
    });
  });
}

const cases = loadVectors();

describe('engine vectors through the real ingest on SQLite', () => {
  it('the vector file has the 60 cases the team agreed on', () => {
    expect(cases.length).toBe(60);
  });

  for (const c of cases) {
    it(`listed order: ${c.name}`, () => {
      const store = openTempStore();
      try {
        const results = replay(store, c, [...c.steps.keys()]);
        expect(actualResults(results, c.expect.results)).toEqual(c.expect.results);
        expect(actualRecords(store, c.expect.records, true)).toEqual(expectedRecords(c, true));
      } finally {
        store.close();
      }
    });
  }

  for (const c of cases.filter((x) => x.orderFree)) {
    it(`every allowed interleaving ends in the same records: ${c.name}`, () => {
      const orders = interleavings(c);
      expect(orders.length).toBeGreaterThan(0);
      for (const order of orders) {
        const store = openTempStore();
        try {
          replay(store, c, order);
          expect({ order, records: actualRecords(store, c.expect.records, false) }).toEqual({ order, records: expectedRecords(c, false) });
        } finally {
          store.close();
        }
      }
    });
  }
});
