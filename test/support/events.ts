/** Concise builders of valid wire events for tests. */
let counter = 0;
const nextId = (prefix: string): string => `${prefix}-${String(++counter).padStart(5, '0')}`;

export interface Envelope {
  id?: string;
  operatorId?: string;
  occurredAt?: string;
  baseVersion?: number | null;
}

function envelope(type: string, payload: Record<string, unknown>, e: Envelope, time: string): Record<string, unknown> {
  return { id: e.id ?? nextId(type.toLowerCase()), type, operatorId: e.operatorId ?? 'op-1', occurredAt: e.occurredAt ?? time, baseVersion: e.baseVersion ?? null, payload };
}

export const ev = {
  production: (p: { wellId?: string; measuredAt?: string; oilBbl: number; gasMcf?: number; waterBbl?: number }, e: Envelope = {}) => {
    const measuredAt = p.measuredAt ?? '2026-06-10T15:00:00.000Z';
    return envelope('PRODUCTION_LOGGED', { wellId: p.wellId ?? 'W-42', measuredAt, oilBbl: p.oilBbl, gasMcf: p.gasMcf ?? 40, waterBbl: p.waterBbl ?? 10 }, e, measuredAt);
  },
  reading: (p: { wellId?: string; metric?: string; value: number; unit?: string; measuredAt?: string }, e: Envelope = {}) => {
    const measuredAt = p.measuredAt ?? '2026-06-10T15:00:00.000Z';
    return envelope('WELL_READING_RECORDED', { wellId: p.wellId ?? 'W-42', metric: p.metric ?? 'TUBING_PRESSURE', value: p.value, unit: p.unit ?? 'psi', measuredAt }, e, measuredAt);
  },
  inspection: (p: { wellId?: string; equipmentId?: string; result: string; inspectedAt?: string; checklist?: Record<string, string> }, e: Envelope = {}) => {
    const inspectedAt = p.inspectedAt ?? '2026-06-10T15:00:00.000Z';
    const payload: Record<string, unknown> = { wellId: p.wellId ?? 'W-42', equipmentId: p.equipmentId ?? 'COMP-1', inspectedAt, result: p.result };
    if (p.checklist !== undefined) payload['checklist'] = p.checklist;
    return envelope('EQUIPMENT_INSPECTED', payload, e, inspectedAt);
  },
  repair: (p: { wellId?: string; equipmentId?: string; action: string; repairedAt?: string }, e: Envelope = {}) => {
    const repairedAt = p.repairedAt ?? '2026-06-10T15:00:00.000Z';
    return envelope('EQUIPMENT_REPAIRED', { wellId: p.wellId ?? 'W-42', equipmentId: p.equipmentId ?? 'COMP-1', repairedAt, action: p.action }, e, repairedAt);
  },
  status: (p: { wellId?: string; status: string; effectiveAt?: string; reason?: string }, e: Envelope = {}) => {
    const effectiveAt = p.effectiveAt ?? '2026-06-10T15:00:00.000Z';
    return envelope('WELL_STATUS_CHANGED', { wellId: p.wellId ?? 'W-42', status: p.status, effectiveAt, ...(p.reason === undefined ? {} : { reason: p.reason }) }, e, effectiveAt);
  },
  note: (p: { wellId?: string; text: string; notedAt?: string }, e: Envelope = {}) => {
    const notedAt = p.notedAt ?? '2026-06-10T15:00:00.000Z';
    return envelope('NOTES_ADDED', { wellId: p.wellId ?? 'W-42', text: p.text, notedAt }, e, notedAt);
  },
  photo: (p: { wellId?: string; sha256: string; takenAt?: string; subject?: string }, e: Envelope = {}) => {
    const takenAt = p.takenAt ?? '2026-06-10T15:00:00.000Z';
    const payload: Record<string, unknown> = { wellId: p.wellId ?? 'W-42', photoId: 'IMG_1', sha256: p.sha256, mimeType: 'image/jpeg', bytes: 1000, takenAt };
    if (p.subject !== undefined) payload['subject'] = p.subject;
    return envelope('PHOTO_ATTACHED', payload, e, takenAt);
  },
};
