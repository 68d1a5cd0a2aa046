/**
 * Replays the shared engine vectors (../shared/design/engine-vectors.json, format in its
 * .md) through the real ingest on a real SQLite file, and enumerates the allowed
 * interleavings of order-free cases.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_POLICY } from '../../src/shared/engine/policy.ts';
import type { EngineSettings, PrimaryProduct } from '../../src/shared/engine/types.ts';
import { recordKeyOf } from '../../src/shared/events/record-key.ts';
import { validateEvent } from '../../src/shared/events/validate-event.ts';
import { ingestBatch } from '../../src/main/station/ingest/ingest-batch.ts';
import { overrideResolution, resolveConflict } from '../../src/main/station/ingest/decide.ts';
import type { Store } from '../../src/main/station/ingest/write-session.ts';

export interface VectorBatchStep {
  device: string;
  skewMs?: number;
  events: Record<string, unknown>[];
}
export interface VectorDecisionStep {
  decide: { conflictOf: string; choose?: string; value?: Record<string, unknown>; by: string; comment: string };
}
export type VectorStep = VectorBatchStep | VectorDecisionStep;

export interface VectorCase {
  name: string;
  orderFree: boolean;
  settings: { timeZone: string; gaugeDayStartHour: number; plausibilityPct: number; skewLimitMs: number; wells?: { wellId: string; primaryProduct: PrimaryProduct }[] };
  steps: VectorStep[];
  expect: { results: unknown[]; records: Record<string, ExpectedRecord> };
}

export interface ExpectedConflict {
  status: string;
  strategy: string;
  candidates: string[];
  distinctValues?: number;
  winner?: string | null;
}
export interface ExpectedRecord {
  status: string;
  version: number;
  valueFrom?: string;
  value: Record<string, unknown>;
  conflict: ExpectedConflict | null;
  closedConflicts: ExpectedConflict[];
}

export const VECTORS_PATH = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/design/engine-vectors.json');

export function loadVectors(): VectorCase[] {
  return (JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as { cases: VectorCase[] }).cases;
}

export function engineSettingsOf(c: VectorCase): EngineSettings {
  return {
    timeZone: c.settings.timeZone,
    gaugeDayStartHour: c.settings.gaugeDayStartHour,
    plausibilityPct: c.settings.plausibilityPct,
    skewLimitMs: c.settings.skewLimitMs,
    policy: DEFAULT_POLICY,
    wells: Object.fromEntries((c.settings.wells ?? []).map((w) => [w.wellId, w.primaryProduct])),
  };
}

const NOW = new Date('2026-11-29T12:00:00.000Z');

function isDecision(step: VectorStep): step is VectorDecisionStep {
  return 'decide' in step;
}

function recordVersions(store: Store): Map<string, number> {
  const rows = store.db.prepare('SELECT key, version FROM records').all() as { key: string; version: number }[];
  return new Map(rows.map((r) => [r.key, r.version]));
}

/** Runs the steps in the given order (indices into c.steps); returns each step's result, by step index. */
export function replay(store: Store, c: VectorCase, order: readonly number[]): unknown[] {
  const settings = engineSettingsOf(c);
  const versionsAfter = new Map<number, Map<string, number>>();
  const results: unknown[] = Array.from({ length: c.steps.length });
  order.forEach((stepIndex, position) => {
    const step = c.steps[stepIndex]!;
    if (isDecision(step)) {
      const d = step.decide;
      const rec = store.db.prepare('SELECT conflict_id AS conflictId FROM records WHERE key = ?').get(d.conflictOf) as { conflictId: string | null } | undefined;
      const conflictId = rec?.conflictId ?? '';
      const status = (store.db.prepare('SELECT status FROM conflicts WHERE id = ?').get(conflictId) as { status: string } | undefined)?.status;
      const req = { conflictId, choice: d.choose !== undefined ? { choose: d.choose } : { value: d.value ?? {} }, decidedBy: d.by, comment: d.comment };
      const ctx = { settings, now: () => NOW, newId: () => `decision@step ${stepIndex + 1}` };
      const out = status === 'AUTO_RESOLVED' ? overrideResolution(store, req, ctx) : resolveConflict(store, req, ctx);
      results[stepIndex] = { decision: 'RESOLVED', version: out.version };
    } else {
      const events = step.events.map((e) => {
        const bv = e['baseVersion'];
        if (bv === null || typeof bv !== 'object' || !('fromPull' in bv)) return e;
        const n = Number(/after step (\d+)/.exec(String((bv as { fromPull: string }).fromPull))?.[1]);
        const v = validateEvent({ ...e, baseVersion: null });
        if (!v.ok) throw new Error(`vector event ${String(e['id'])} does not validate: ${v.message}`);
        const key = recordKeyOf(v.event, settings);
        return { ...e, baseVersion: versionsAfter.get(n)?.get(key) ?? null };
      });
      const deviceTime = new Date(NOW.getTime() + (step.skewMs ?? 0)).toISOString();
      const res = ingestBatch(store, { deviceId: step.device, batchId: `b-${stepIndex}`, deviceTime, events }, { settings, now: () => NOW });
      results[stepIndex] = res.results;
    }
    versionsAfter.set(position + 1, recordVersions(store));
  });
  return results;
}

/** Every allowed interleaving of a case's steps (engine-vectors.md, "Interleavings"). */
export function interleavings(c: VectorCase): number[][] {
  const n = c.steps.length;
  const pulls: number[] = [];
  c.steps.forEach((s) => {
    if (isDecision(s)) return;
    for (const e of s.events) {
      const bv = e['baseVersion'];
      if (bv !== null && typeof bv === 'object' && 'fromPull' in bv) pulls.push(Number(/after step (\d+)/.exec(String((bv as { fromPull: string }).fromPull))?.[1]));
    }
  });
  const out: number[][] = [];
  const permute = (prefix: number[], rest: number[]): void => {
    if (rest.length === 0) {
      out.push(prefix);
      return;
    }
    for (const s of rest) permute([...prefix, s], rest.filter((x) => x !== s));
  };
  permute([], [...Array(n).keys()]);
  return out.filter((order) => {
    const pos = (s: number): number => order.indexOf(s);
    for (let a = 0; a < n; a++) {
      const sa = c.steps[a]!;
      for (let b = a + 1; b < n; b++) {
        const sb = c.steps[b]!;
        if (!isDecision(sa) && !isDecision(sb) && sa.device === sb.device && pos(a) > pos(b)) return false;
      }
      if (isDecision(sa) && pos(a) !== a) return false;
      if (isDecision(sa) && order.slice(0, a).some((s) => s >= a)) return false;
    }
    for (const p of pulls) if (order.slice(0, p).some((s) => s >= p)) return false;
    return true;
  });
}
