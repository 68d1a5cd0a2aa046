/**
 * The engine settings HQ judges a tenant's records by: the tenant's `policy` row laid over
 * DEFAULT_POLICY (the same partial map of event type → strategy the stations receive; an
 * entry that would weaken a locked type is ignored, as stations refuse it), optional
 * tenant-wide `timeZone`, `gaugeDayStartHour`, `plausibilityPct` and `skewLimitMs` in the
 * same row (else DEFAULT_ENGINE_SETTINGS), and the primary product of the wells involved.
 * HQ computes record keys itself, so every station's events meet under one key space.
 */
import { z } from 'zod';
import { allowedStrategies, DEFAULT_ENGINE_SETTINGS } from '../src/shared/engine/policy.ts';
import { STRATEGIES, type EngineSettings, type PrimaryProduct, type Strategy } from '../src/shared/engine/types.ts';
import { EVENT_TYPES, type EventType } from '../src/shared/events/types.ts';
import { isValidTimeZone } from '../src/shared/time/field-day.ts';
import type { SqlExecutor } from './db.ts';
import { asObject } from './read-updates.ts';

const TenantSettingsSchema = z.object({
  timeZone: z.string().refine(isValidTimeZone).optional().catch(undefined),
  gaugeDayStartHour: z.number().int().min(0).max(23).optional().catch(undefined),
  plausibilityPct: z.number().min(0).max(100).optional().catch(undefined),
  skewLimitMs: z.number().int().min(0).optional().catch(undefined),
});

/** The settings of a policy row's data (`{}` when the tenant has none). */
export function settingsOfPolicy(data: Record<string, unknown>): Omit<EngineSettings, 'wells'> {
  const policy: Record<EventType, Strategy> = { ...DEFAULT_ENGINE_SETTINGS.policy };
  for (const type of EVENT_TYPES) {
    const strategy = data[type];
    if ((STRATEGIES as readonly unknown[]).includes(strategy) && allowedStrategies(type).includes(strategy as Strategy)) policy[type] = strategy as Strategy;
  }
  const tenant = TenantSettingsSchema.parse(data);
  return {
    timeZone: tenant.timeZone ?? DEFAULT_ENGINE_SETTINGS.timeZone,
    gaugeDayStartHour: tenant.gaugeDayStartHour ?? DEFAULT_ENGINE_SETTINGS.gaugeDayStartHour,
    plausibilityPct: tenant.plausibilityPct ?? DEFAULT_ENGINE_SETTINGS.plausibilityPct,
    skewLimitMs: tenant.skewLimitMs ?? DEFAULT_ENGINE_SETTINGS.skewLimitMs,
    policy,
  };
}

export async function loadTenantSettings(tx: SqlExecutor, s: string): Promise<Omit<EngineSettings, 'wells'>> {
  const rows = await tx.query(`SELECT data FROM ${s}.policy WHERE id = 1`);
  return settingsOfPolicy(asObject(rows[0]?.['data']));
}

/** Primary product of the given wells (one query); wells HQ does not know are judged on oil. */
export async function loadWells(tx: SqlExecutor, s: string, wellIds: readonly string[]): Promise<Record<string, PrimaryProduct>> {
  if (wellIds.length === 0) return {};
  const rows = await tx.query(`SELECT well_id, primary_product FROM ${s}.wells WHERE well_id IN (SELECT jsonb_array_elements_text($1::jsonb))`, [JSON.stringify(wellIds)]);
  const wells: Record<string, PrimaryProduct> = {};
  for (const row of rows) wells[String(row['well_id'])] = row['primary_product'] === 'gas' ? 'gas' : 'oil';
  return wells;
}
