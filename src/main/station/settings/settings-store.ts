/**
 * Station settings kept in the database (time zone, gauge-day hour, limits, policy) and
 * the engine settings derived from them plus the reference data (wells' primary product).
 */
import { DEFAULT_ENGINE_SETTINGS, DEFAULT_POLICY } from '../../../shared/engine/policy.ts';
import type { EngineSettings, Policy, PrimaryProduct } from '../../../shared/engine/types.ts';
import type { StationDb } from '../db/open-database.ts';

export interface StoredSettings {
  timeZone: string;
  gaugeDayStartHour: number;
  plausibilityPct: number;
  skewLimitMs: number;
  policy: Policy;
}

export const DEFAULT_SETTINGS: StoredSettings = {
  timeZone: DEFAULT_ENGINE_SETTINGS.timeZone,
  gaugeDayStartHour: DEFAULT_ENGINE_SETTINGS.gaugeDayStartHour,
  plausibilityPct: DEFAULT_ENGINE_SETTINGS.plausibilityPct,
  skewLimitMs: DEFAULT_ENGINE_SETTINGS.skewLimitMs,
  policy: DEFAULT_POLICY,
};

export function readSettings(db: StationDb): StoredSettings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  return {
    timeZone: typeof stored['timeZone'] === 'string' ? stored['timeZone'] : DEFAULT_SETTINGS.timeZone,
    gaugeDayStartHour: typeof stored['gaugeDayStartHour'] === 'number' ? stored['gaugeDayStartHour'] : DEFAULT_SETTINGS.gaugeDayStartHour,
    plausibilityPct: typeof stored['plausibilityPct'] === 'number' ? stored['plausibilityPct'] : DEFAULT_SETTINGS.plausibilityPct,
    skewLimitMs: typeof stored['skewLimitMs'] === 'number' ? stored['skewLimitMs'] : DEFAULT_SETTINGS.skewLimitMs,
    policy: { ...DEFAULT_POLICY, ...(typeof stored['policy'] === 'object' && stored['policy'] !== null ? (stored['policy'] as Partial<Policy>) : {}) },
  };
}

export function writeSettings(db: StationDb, change: Partial<StoredSettings>, at: string): void {
  const upsert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  for (const [key, value] of Object.entries(change)) {
    if (value !== undefined) upsert.run(key, JSON.stringify(value), at);
  }
}

export function readWells(db: StationDb): Record<string, PrimaryProduct> {
  const rows = db.prepare('SELECT id, primary_product AS primaryProduct FROM wells').all() as { id: string; primaryProduct: PrimaryProduct }[];
  return Object.fromEntries(rows.map((r) => [r.id, r.primaryProduct]));
}

export function loadEngineSettings(db: StationDb): EngineSettings {
  return { ...readSettings(db), wells: readWells(db) };
}
