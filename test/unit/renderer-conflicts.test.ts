/**
 * Deciding conflicts: a corrected value changes only what the form shows (so it stays on
 * the same record); after a decision the next open conflict comes up; the queue shows a
 * decision at once (optimistic edit).
 */
import { describe, expect, it } from 'vitest';
import type { ConflictRow } from '../../src/shared/api/station-api.ts';
import { buildCorrection, correctionFieldsOf, draftOf } from '../../src/renderer/screens/conflicts/correction.ts';
import { listArgsOf, neighbourOf, nextAfterDecision, queueName, withDecided } from '../../src/renderer/screens/conflicts/queue.ts';

const production = { wellId: 'W-1', measuredAt: '2026-11-20T14:00:00Z', productionDate: '2026-11-20', oilBbl: 125, gasMcf: 300, waterBbl: 10, hoursOn: 24, notes: 'ok' };

describe('corrected values', () => {
  it('production: numbers are replaced, the well and times are kept', () => {
    const fields = correctionFieldsOf('PRODUCTION_LOGGED', production) ?? [];
    const draft = { ...draftOf(fields, production), oilBbl: '1,120.5', hoursOn: '' };
    const result = buildCorrection(fields, production, draft);
    expect(result).toEqual({ ok: true, value: { wellId: 'W-1', measuredAt: '2026-11-20T14:00:00Z', productionDate: '2026-11-20', oilBbl: 1120.5, gasMcf: 300, waterBbl: 10, notes: 'ok' } });
  });

  it('production: a negative or missing volume is refused before sending', () => {
    const fields = correctionFieldsOf('PRODUCTION_LOGGED', production) ?? [];
    const result = buildCorrection(fields, production, { ...draftOf(fields, production), oilBbl: '-1', gasMcf: '' });
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual(['gasMcf', 'oilBbl']);
  });

  it('readings offer only the units of their metric', () => {
    const fields = correctionFieldsOf('WELL_READING_RECORDED', { metric: 'TUBING_PRESSURE' }) ?? [];
    expect(fields.find((f) => f.name === 'unit')?.options?.map((o) => o.value)).toEqual(['psi', 'kPa']);
  });

  it('inspection: the result and every checklist item are part of the form; a Pass with a failed item is refused', () => {
    const base = { wellId: 'W-1', equipmentId: 'P-1', inspectedAt: '2026-11-20T14:00:00Z', result: 'FAIL', checklist: { Valve: 'FAIL', Belts: 'PASS' } };
    const fields = correctionFieldsOf('EQUIPMENT_INSPECTED', base) ?? [];
    expect(fields.map((f) => f.name)).toEqual(['result', 'checklist.Valve', 'checklist.Belts', 'notes']);
    const draft = draftOf(fields, base);
    expect(draft).toMatchObject({ result: 'FAIL', 'checklist.Valve': 'FAIL', 'checklist.Belts': 'PASS' });
    expect(buildCorrection(fields, base, { ...draft, notes: 'seal leaking' })).toEqual({ ok: true, value: { ...base, notes: 'seal leaking' } });
    const contradiction = buildCorrection(fields, base, { ...draft, result: 'PASS' });
    expect(contradiction.ok ? null : contradiction.errors['result']).toMatch(/failed checklist item \(Valve\)/);
    expect(buildCorrection(fields, base, { ...draft, result: 'PASS', 'checklist.Valve': 'PASS' })).toEqual({ ok: true, value: { ...base, result: 'PASS', checklist: { Valve: 'PASS', Belts: 'PASS' } } });
    expect(buildCorrection(fields, base, { ...draft, result: 'BROKEN' }).ok).toBe(false);
    expect(buildCorrection(fields, base, { ...draft, 'checklist.Belts': 'MAYBE' }).ok).toBe(false);
  });

  it('repairs: parts are a comma-separated list', () => {
    const base = { wellId: 'W-1', equipmentId: 'P-1', repairedAt: '2026-11-20T14:00:00Z', action: 'x' };
    const fields = correctionFieldsOf('EQUIPMENT_REPAIRED', base) ?? [];
    expect(buildCorrection(fields, base, { action: 'Replaced seal', partsUsed: 'seal kit, gasket ,', notes: '' })).toEqual({ ok: true, value: { ...base, action: 'Replaced seal', partsUsed: ['seal kit', 'gasket'] } });
  });

  it('notes and photos have no corrected value (every entry is kept)', () => {
    expect(correctionFieldsOf('NOTES_ADDED', {})).toBeNull();
    expect(correctionFieldsOf('PHOTO_ATTACHED', {})).toBeNull();
  });
});

function row(id: string, status: ConflictRow['status'], isOpen = true): ConflictRow {
  return { conflictId: id, recordKey: `k/${id}`, type: 'EQUIPMENT_INSPECTED', wellId: 'W-1', status, strategy: 'MANUAL_REVIEW', reason: '', winner: null, candidates: ['a', 'b'], distinctValues: 2, isOpen, openedAt: '2026-11-20T00:00:00Z', updatedAt: '2026-11-20T00:00:00Z' };
}

describe('the queue', () => {
  const rows = [row('a', 'PENDING_REVIEW'), row('b', 'PENDING_REVIEW'), row('c', 'PENDING_REVIEW'), row('d', 'AUTO_RESOLVED')];

  it('after a decision the next pending conflict opens, then the earlier ones, then none', () => {
    expect(nextAfterDecision(rows, 'b')).toBe('c');
    expect(nextAfterDecision(rows, 'c')).toBe('a');
    expect(nextAfterDecision([row('a', 'PENDING_REVIEW'), row('d', 'AUTO_RESOLVED')], 'a')).toBeNull();
  });

  it('after an override the next automatic decision opens', () => {
    expect(nextAfterDecision([...rows, row('e', 'AUTO_RESOLVED')], 'd')).toBe('e');
  });

  it('j/k neighbours stop at the ends', () => {
    expect(neighbourOf(rows, 'a', -1)).toBeNull();
    expect(neighbourOf(rows, 'a', 1)).toBe('b');
    expect(neighbourOf(rows, 'd', 1)).toBeNull();
  });

  it('a decided conflict leaves an open-only list at once, and shows closed in a list of all', () => {
    expect(withDecided(rows, { open: true }, 'b', 'now').map((r) => r.conflictId)).toEqual(['a', 'c', 'd']);
    const all = withDecided(rows, { open: false }, 'b', 'now');
    expect(all.find((r) => r.conflictId === 'b')).toMatchObject({ status: 'RESOLVED', isOpen: false });
  });

  it('the queue a conflict page walks is named in words', () => {
    expect(queueName({ open: true, status: 'PENDING_REVIEW' })).toBe('waiting for your decision');
    expect(queueName({ open: true })).toBe('open conflicts');
    expect(queueName({ open: false, wellId: 'W-7' })).toBe('conflicts, open and closed at W-7');
    expect(queueName({ open: true, status: 'AUTO_RESOLVED' })).toBe('decided automatically, still open');
  });

  it('list arguments carry only the filters that are set', () => {
    expect(listArgsOf({ open: true })).toEqual({ open: true, decidable: true, limit: 20_000 });
    expect(listArgsOf({ open: false, wellId: 'W-1' })).toEqual({ open: false, decidable: true, wellId: 'W-1', limit: 20_000 });
  });
});
