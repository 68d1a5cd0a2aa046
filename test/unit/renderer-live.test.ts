/**
 * Live updates: a change event names every cached query it can make stale, and only
 * well-formed feed lines become events.
 */
import { describe, expect, it } from 'vitest';
import { methodsAffectedBy, parseChangeEvent, READ_METHODS } from '../../src/renderer/api/live-invalidation.ts';

describe('methodsAffectedBy', () => {
  it('a dock refreshes the overview, the queue, open conflicts, wells, tablets and rejected input', () => {
    const methods = methodsAffectedBy({ kind: 'synced', deviceId: 'tab-3', summary: { APPLIED: 3 }, at: '2026-11-20T10:00:00Z' });
    for (const m of ['getOverview', 'listConflicts', 'getConflict', 'listWells', 'getWell', 'listRecords', 'listDevices', 'listQuarantine', 'listAudit'] as const) expect(methods).toContain(m);
  });

  it('a decision refreshes the queue and the overview', () => {
    const methods = methodsAffectedBy({ kind: 'decided', conflictId: 'c1', at: '2026-11-20T10:00:00Z' });
    expect(methods).toContain('listConflicts');
    expect(methods).toContain('getOverview');
    expect(methods).toContain('getConflict');
  });

  it('every refreshed method is a read method (a change never re-runs a mutation)', () => {
    const kinds = [
      { kind: 'synced', deviceId: 'd', summary: {}, at: 'x' },
      { kind: 'decided', conflictId: 'c', at: 'x' },
      { kind: 'settings', at: 'x' },
      { kind: 'devices', at: 'x' },
      { kind: 'relay', at: 'x' },
    ] as const;
    for (const event of kinds) for (const m of methodsAffectedBy(event)) expect(READ_METHODS).toContain(m);
  });
});

describe('parseChangeEvent', () => {
  it('reads a synced event and keeps only numeric counts', () => {
    expect(parseChangeEvent('{"kind":"synced","deviceId":"tab-3","summary":{"APPLIED":212,"CONFLICT":2,"x":"y"},"at":"2026-11-20T10:00:00Z"}')).toEqual({
      kind: 'synced',
      deviceId: 'tab-3',
      summary: { APPLIED: 212, CONFLICT: 2 },
      at: '2026-11-20T10:00:00Z',
    });
  });

  it('rejects anything that is not a change event', () => {
    for (const line of ['', 'not json', '[]', '{"kind":"synced"}', '{"kind":"decided","at":"x"}', '{"kind":"unknown","at":"x"}', 'null']) expect(parseChangeEvent(line)).toBeNull();
  });
});
