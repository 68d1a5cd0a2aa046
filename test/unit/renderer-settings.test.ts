/** The settings form sends only what changed, refuses impossible values, and never a locked rule. */
import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../src/shared/api/station-api.ts';
import { draftOfSettings, settingsUpdateOf } from '../../src/renderer/screens/settings/settings-form.ts';
import { pressureColumns, productionColumns } from '../../src/renderer/screens/wells/chart-data.ts';

const current: SettingsView = {
  timeZone: 'America/Denver',
  gaugeDayStartHour: 7,
  plausibilityPct: 20,
  skewLimitMs: 120_000,
  policy: {
    PRODUCTION_LOGGED: 'HIGHEST_VALUE',
    WELL_READING_RECORDED: 'NEWEST_WINS',
    EQUIPMENT_INSPECTED: 'MANUAL_REVIEW',
    EQUIPMENT_REPAIRED: 'MANUAL_REVIEW',
    WELL_STATUS_CHANGED: 'MANUAL_REVIEW',
    NOTES_ADDED: 'MERGE',
    PHOTO_ATTACHED: 'KEEP_BOTH',
  },
  allowedStrategies: {
    PRODUCTION_LOGGED: ['HIGHEST_VALUE', 'NEWEST_WINS', 'MANUAL_REVIEW'],
    WELL_READING_RECORDED: ['NEWEST_WINS', 'MANUAL_REVIEW'],
    EQUIPMENT_INSPECTED: ['MANUAL_REVIEW'],
    EQUIPMENT_REPAIRED: ['MANUAL_REVIEW'],
    WELL_STATUS_CHANGED: ['MANUAL_REVIEW'],
    NOTES_ADDED: ['MERGE'],
    PHOTO_ATTACHED: ['KEEP_BOTH'],
  },
  hqUrl: null,
  hqKeySet: false,
  dailyByteBudget: null,
  photoWindow: null,
};

describe('settingsUpdateOf', () => {
  it('an untouched form changes nothing', () => {
    expect(settingsUpdateOf(current, draftOfSettings(current))).toEqual({ ok: true, changes: {} });
  });

  it('sends only the changed fields, seconds as milliseconds', () => {
    const draft = { ...draftOfSettings(current), skewLimitSeconds: '90', gaugeDayStartHour: '6', hqUrl: 'https://hq.example.com', hqKey: ' k3y ' };
    draft.policy = { ...draft.policy, PRODUCTION_LOGGED: 'MANUAL_REVIEW' };
    expect(settingsUpdateOf(current, draft)).toEqual({ ok: true, changes: { skewLimitMs: 90_000, gaugeDayStartHour: 6, hqUrl: 'https://hq.example.com', hqKey: 'k3y', policy: { PRODUCTION_LOGGED: 'MANUAL_REVIEW' } } });
  });

  it('never sends a locked rule', () => {
    const draft = draftOfSettings(current);
    draft.policy = { ...draft.policy, EQUIPMENT_INSPECTED: 'NEWEST_WINS' };
    expect(settingsUpdateOf(current, draft)).toEqual({ ok: true, changes: {} });
  });

  it('takes the daily budget in MB and the photo window as two hours; empty fields clear them', () => {
    const set = settingsUpdateOf(current, { ...draftOfSettings(current), dailyBudgetMb: '50', photoWindowStart: '22', photoWindowEnd: '5' });
    expect(set).toEqual({ ok: true, changes: { dailyByteBudget: 50_000_000, photoWindow: { startHour: 22, endHour: 5 } } });
    const limited: SettingsView = { ...current, dailyByteBudget: 50_000_000, photoWindow: { startHour: 22, endHour: 5 } };
    expect(settingsUpdateOf(limited, draftOfSettings(limited))).toEqual({ ok: true, changes: {} });
    expect(settingsUpdateOf(limited, { ...draftOfSettings(limited), dailyBudgetMb: ' ', photoWindowStart: '', photoWindowEnd: '' })).toEqual({ ok: true, changes: { dailyByteBudget: null, photoWindow: null } });
  });

  it('refuses a budget that is not a positive number and a window that is not two different hours', () => {
    for (const [budget, start, end] of [['-5', '22', '5'], ['lots', '', ''], ['10', '22', ''], ['10', '24', '5'], ['10', '7', '07']]) {
      const result = settingsUpdateOf(current, { ...draftOfSettings(current), dailyBudgetMb: budget ?? '', photoWindowStart: start ?? '', photoWindowEnd: end ?? '' });
      expect(result.ok).toBe(false);
    }
  });

  it('refuses an unknown zone, a percentage over 100 and a URL without a scheme', () => {
    const result = settingsUpdateOf(current, { ...draftOfSettings(current), timeZone: 'Mars/Olympus', plausibilityPct: '150', hqUrl: 'hq.example.com' });
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual(['hqUrl', 'plausibilityPct', 'timeZone']);
  });
});

describe('chart columns', () => {
  it('production days are sorted and aligned', () => {
    const cols = productionColumns([
      { date: '2026-11-21', oilBbl: 2, gasMcf: 20, waterBbl: 0.2, status: 'OK' },
      { date: '2026-11-20', oilBbl: 1, gasMcf: 10, waterBbl: 0.1, status: 'OK' },
    ]);
    expect(cols.xs).toEqual([Date.parse('2026-11-20T00:00:00Z') / 1000, Date.parse('2026-11-21T00:00:00Z') / 1000]);
    expect(cols.oil).toEqual([1, 2]);
  });

  it('pressures pivot to one column per metric, gaps as null', () => {
    const cols = pressureColumns([
      { at: '2026-11-20T10:00:00Z', metric: 'TUBING_PRESSURE', psi: 180 },
      { at: '2026-11-20T11:00:00Z', metric: 'CASING_PRESSURE', psi: 90 },
    ]);
    expect(cols.metrics).toEqual(['CASING_PRESSURE', 'TUBING_PRESSURE']);
    expect(cols.values).toEqual([
      [null, 90],
      [180, null],
    ]);
  });
});
