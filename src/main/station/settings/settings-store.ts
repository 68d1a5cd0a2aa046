/**
 * Station settings kept in the database (time zone, gauge-day hour, limits, policy) and
 * the engine settings derived from them plus the reference data (wells' primary product).
 */
import { DEFAULT_ENGINE_SETTINGS, DEFAULT_POLICY } from '../../../shared/engine/policy.ts';
import type { EngineSettings, Policy, PrimaryProduct } from '../../../shared/engine/types.ts';
import type { StationDb } from '../db/open-database.ts';
import type { RelayConfig } from '../relay/relay-service.ts';

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

/** Upserts settings by key (stored settings, the HQ link, relay cursors); undefined values are skipped. */
export function writeSettings(db: StationDb, change: Readonly<Record<string, unknown>>, at: string): void {
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

/** A reader of the given settings' stored values (null when unset). */
function settingValues(db: StationDb, keys: readonly string[]): (key: string) => unknown {
  const rows = db.prepare(`SELECT key, value FROM settings WHERE key IN (${keys.map(() => '?').join(', ')})`).all(...keys) as { key: string; value: string }[];
  return (key) => {
    const row = rows.find((r) => r.key === key);
    return row === undefined ? null : (JSON.parse(row.value) as unknown);
  };
}

/** The daily byte budget and the photo window (null: no limit), checked as the relay reads them. */
export function readRelayLimits(db: StationDb): Pick<RelayConfig, 'dailyByteBudget' | 'photoWindow'> {
  const get = settingValues(db, ['dailyByteBudget', 'photoWindow']);
  const budget = get('dailyByteBudget');
  const window = get('photoWindow') as { startHour?: unknown; endHour?: unknown } | null;
  return {
    dailyByteBudget: typeof budget === 'number' && budget > 0 ? budget : null,
    photoWindow: window !== null && typeof window.startHour === 'number' && typeof window.endHour === 'number' ? { startHour: window.startHour, endHour: window.endHour } : null,
  };
}

/** The HQ link as set (settings screen or --hq-url/--hq-key); null until both are set. */
export function readRelayConfig(db: StationDb, timeZone: string): RelayConfig | null {
  const get = settingValues(db, ['hqUrl', 'hqKey']);
  const hqUrl = get('hqUrl');
  const hqKey = get('hqKey');
  if (typeof hqUrl !== 'string' || hqUrl === '' || typeof hqKey !== 'string' || hqKey === '') return null;
  return { hqUrl, hqKey, ...readRelayLimits(db), timeZone };
}
