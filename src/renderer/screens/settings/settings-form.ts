/** The settings form as text fields, and the update it makes (only what changed). Pure. */
import { isValidTimeZone } from '../../../shared/time/field-day.ts';
import type { ApiArgs, SettingsView } from '../../../shared/api/station-api.ts';
import type { Strategy } from '../../../shared/engine/types.ts';
import type { EventType } from '../../../shared/events/types.ts';
import { EVENT_TYPES } from '../../../shared/events/types.ts';

export interface SettingsDraft {
  timeZone: string;
  gaugeDayStartHour: string;
  plausibilityPct: string;
  skewLimitSeconds: string;
  policy: Record<EventType, Strategy>;
  hqUrl: string;
  /** Empty keeps the current key. */
  hqKey: string;
  /** Megabytes per day; empty: no limit. */
  dailyBudgetMb: string;
  /** Hours 0–23; both empty: photos go at any time. */
  photoWindowStart: string;
  photoWindowEnd: string;
}

const MB = 1_000_000;

export type SettingsUpdate = { ok: true; changes: ApiArgs<'updateSettings'> } | { ok: false; errors: Partial<Record<keyof SettingsDraft, string>> };

export function draftOfSettings(s: SettingsView): SettingsDraft {
  return {
    timeZone: s.timeZone,
    gaugeDayStartHour: String(s.gaugeDayStartHour),
    plausibilityPct: String(s.plausibilityPct),
    skewLimitSeconds: String(s.skewLimitMs / 1000),
    policy: { ...s.policy },
    hqUrl: s.hqUrl ?? '',
    hqKey: '',
    dailyBudgetMb: s.dailyByteBudget === null ? '' : String(s.dailyByteBudget / MB),
    photoWindowStart: s.photoWindow === null ? '' : String(s.photoWindow.startHour),
    photoWindowEnd: s.photoWindow === null ? '' : String(s.photoWindow.endHour),
  };
}

export function settingsUpdateOf(current: SettingsView, draft: SettingsDraft): SettingsUpdate {
  const errors: Partial<Record<keyof SettingsDraft, string>> = {};
  const changes: ApiArgs<'updateSettings'> = {};
  const tz = draft.timeZone.trim();
  if (!isValidTimeZone(tz)) errors.timeZone = 'Not a time zone this computer knows. Use a name like America/Denver.';
  else if (tz !== current.timeZone) changes.timeZone = tz;
  const hour = Number(draft.gaugeDayStartHour);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) errors.gaugeDayStartHour = 'Choose an hour from 0 to 23.';
  else if (hour !== current.gaugeDayStartHour) changes.gaugeDayStartHour = hour;
  const pct = Number(draft.plausibilityPct);
  if (draft.plausibilityPct.trim() === '' || !Number.isFinite(pct) || pct < 0 || pct > 100) errors.plausibilityPct = 'Enter a percentage from 0 to 100.';
  else if (pct !== current.plausibilityPct) changes.plausibilityPct = pct;
  const seconds = Number(draft.skewLimitSeconds);
  const ms = Math.round(seconds * 1000);
  if (draft.skewLimitSeconds.trim() === '' || !Number.isFinite(seconds) || ms < 0 || ms > 86_400_000) errors.skewLimitSeconds = 'Enter a number of seconds from 0 to 86400 (one day).';
  else if (ms !== current.skewLimitMs) changes.skewLimitMs = ms;
  const policy: Partial<Record<EventType, Strategy>> = {};
  for (const type of EVENT_TYPES) {
    if (draft.policy[type] !== current.policy[type] && current.allowedStrategies[type].includes(draft.policy[type])) policy[type] = draft.policy[type];
  }
  if (Object.keys(policy).length > 0) changes.policy = policy;
  const url = draft.hqUrl.trim();
  if (url !== '' && !/^https?:\/\/\S+$/.test(url)) errors.hqUrl = 'Enter a full address starting with https:// (or http://).';
  else if (url !== (current.hqUrl ?? '')) changes.hqUrl = url;
  if (draft.hqKey.trim() !== '') changes.hqKey = draft.hqKey.trim();
  const mb = Number(draft.dailyBudgetMb);
  if (draft.dailyBudgetMb.trim() === '') {
    if (current.dailyByteBudget !== null) changes.dailyByteBudget = null;
  } else if (!Number.isFinite(mb) || mb <= 0 || mb > 10_000_000) {
    errors.dailyBudgetMb = 'Enter megabytes per day (for example 50), or leave it empty for no limit.';
  } else if (Math.round(mb * MB) !== current.dailyByteBudget) {
    changes.dailyByteBudget = Math.round(mb * MB);
  }
  const [start, end] = [draft.photoWindowStart.trim(), draft.photoWindowEnd.trim()];
  const isHour = (h: string): boolean => /^\d{1,2}$/.test(h) && Number(h) <= 23;
  if (start === '' && end === '') {
    if (current.photoWindow !== null) changes.photoWindow = null;
  } else if (!isHour(start) || !isHour(end) || start === end || Number(start) === Number(end)) {
    errors.photoWindowStart = 'Enter two different hours from 0 to 23 (for example 22 and 5), or leave both empty to send photos at any time.';
  } else if (Number(start) !== current.photoWindow?.startHour || Number(end) !== current.photoWindow.endHour) {
    changes.photoWindow = { startHour: Number(start), endHour: Number(end) };
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, changes };
}
