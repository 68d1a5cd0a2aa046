/**
 * Settings: time zone and gauge day, the rule per kind of record (safety records locked
 * to a supervisor's decision, with why), the limits that send a conflict to a person,
 * and the HQ link. Viewers see the values, read-only.
 */
import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import type { SettingsView } from '../../../shared/api/station-api.ts';
import type { Strategy } from '../../../shared/engine/types.ts';
import { EVENT_TYPES } from '../../../shared/events/types.ts';
import { useApiMutation, useApiQuery } from '../../api/api-context.tsx';
import { useSession } from '../../app/session-context.tsx';
import { ErrorBox, Loading } from '../../components/status-message.tsx';
import { lockedReason, STRATEGY_LABELS, TYPE_LABELS } from '../../format/labels.ts';
import type { SettingsDraft } from './settings-form.ts';
import { draftOfSettings, settingsUpdateOf } from './settings-form.ts';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

function FieldError({ id, text }: { id: string; text: string | undefined }) {
  return text === undefined ? null : (
    <p className="form-error" id={id}>
      {text}
    </p>
  );
}

interface FormProps {
  settings: SettingsView;
  canEdit: boolean;
  /** Kept by the screen: the form is re-created with the saved values, the message must outlive it. */
  saved: string | null;
  onSaved: (message: string | null) => void;
}

function SettingsForm({ settings, canEdit, saved, onSaved: setSaved }: FormProps) {
  // The station announces the change on the live feed, which refreshes every affected screen.
  const save = useApiMutation('updateSettings');
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOfSettings(settings));
  const [errors, setErrors] = useState<Partial<Record<keyof SettingsDraft, string>>>({});
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  const set = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]): void => {
    setDraft((d) => ({ ...d, [key]: value }));
    setSaved(null);
  };
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const update = settingsUpdateOf(settings, draft);
    if (!update.ok) {
      setErrors(update.errors);
      return;
    }
    setErrors({});
    if (Object.keys(update.changes).length === 0) {
      setSaved('Nothing changed.');
      return;
    }
    save.mutate(update.changes, { onSuccess: () => setSaved('Saved. The new settings are in force.') });
  };
  const describedBy = (key: keyof SettingsDraft, hint: string): string => (errors[key] === undefined ? hint : `${hint} ${key}-error`);

  return (
    <form onSubmit={submit} className="settings" aria-label="Station settings">
      <fieldset disabled={!canEdit || save.isPending}>
        <legend>Time</legend>
        <label htmlFor="settings-timezone">Station time zone</label>
        <input id="settings-timezone" list="settings-timezones" value={draft.timeZone} onChange={(e) => set('timeZone', e.target.value)} aria-invalid={errors.timeZone !== undefined} aria-describedby={describedBy('timeZone', 'tz-hint')} data-testid="settings-timezone" />
        <datalist id="settings-timezones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <p className="hint" id="tz-hint">
          All dates on the dashboard and in reports use this zone.
        </p>
        <FieldError id="timeZone-error" text={errors.timeZone} />
        <label htmlFor="settings-gauge-hour">Gauge day starts at</label>
        <select id="settings-gauge-hour" value={draft.gaugeDayStartHour} onChange={(e) => set('gaugeDayStartHour', e.target.value)} aria-describedby="gauge-hint" data-testid="settings-gauge-hour">
          {HOURS.map((h) => (
            <option key={h} value={String(h)}>
              {String(h).padStart(2, '0')}:00
            </option>
          ))}
        </select>
        <p className="hint" id="gauge-hint">
          A reading taken before this hour counts for the previous day, as gauge days do.
        </p>
      </fieldset>

      <fieldset disabled={!canEdit || save.isPending}>
        <legend>Who decides a conflict</legend>
        <p className="hint">When two tablets disagree about the same record, this rule decides — or sends it to you.</p>
        <table className="data compact policy">
          <thead>
            <tr>
              <th scope="col">Kind of record</th>
              <th scope="col">Rule</th>
            </tr>
          </thead>
          <tbody>
            {EVENT_TYPES.map((type) => {
              const allowed = settings.allowedStrategies[type];
              const id = `settings-policy-${type}`;
              return (
                <tr key={type}>
                  <th scope="row">{allowed.length <= 1 ? TYPE_LABELS[type] : <label htmlFor={id}>{TYPE_LABELS[type]}</label>}</th>
                  <td>
                    {allowed.length <= 1 ? (
                      <span className="locked" id={id} data-testid={id} data-locked="true">
                        <span className="lock-tag">Locked</span> {STRATEGY_LABELS[draft.policy[type]]} <span className="muted">— {lockedReason(draft.policy[type])}</span>
                      </span>
                    ) : (
                      <select id={id} value={draft.policy[type]} onChange={(e) => set('policy', { ...draft.policy, [type]: e.target.value as Strategy })} data-testid={id}>
                        {allowed.map((s) => (
                          <option key={s} value={s}>
                            {STRATEGY_LABELS[s]} ({s})
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </fieldset>

      <fieldset disabled={!canEdit || save.isPending}>
        <legend>When to ask a person</legend>
        <label htmlFor="settings-plausibility">Production difference that needs a person (%)</label>
        <input id="settings-plausibility" inputMode="decimal" className="num short" value={draft.plausibilityPct} onChange={(e) => set('plausibilityPct', e.target.value)} aria-invalid={errors.plausibilityPct !== undefined} aria-describedby={describedBy('plausibilityPct', 'pct-hint')} data-testid="settings-plausibility" />
        <p className="hint" id="pct-hint">
          If two production numbers for the same day differ by more than this share of the higher one, it is probably a typing error: you decide.
        </p>
        <FieldError id="plausibilityPct-error" text={errors.plausibilityPct} />
        <label htmlFor="settings-skew">Tablet clock error allowed (seconds)</label>
        <input id="settings-skew" inputMode="decimal" className="num short" value={draft.skewLimitSeconds} onChange={(e) => set('skewLimitSeconds', e.target.value)} aria-invalid={errors.skewLimitSeconds !== undefined} aria-describedby={describedBy('skewLimitSeconds', 'skew-hint')} data-testid="settings-skew" />
        <p className="hint" id="skew-hint">
          A tablet whose clock is off by more than this is flagged, and “newest reading wins” is not trusted for its readings: you decide.
        </p>
        <FieldError id="skewLimitSeconds-error" text={errors.skewLimitSeconds} />
      </fieldset>

      <fieldset disabled={!canEdit || save.isPending}>
        <legend>Link to HQ</legend>
        <label htmlFor="settings-hq-url">HQ address</label>
        <input id="settings-hq-url" type="url" value={draft.hqUrl} onChange={(e) => set('hqUrl', e.target.value)} placeholder="https://hq.example.com" aria-invalid={errors.hqUrl !== undefined} aria-describedby={errors.hqUrl === undefined ? undefined : 'hqUrl-error'} data-testid="settings-hq-url" />
        <FieldError id="hqUrl-error" text={errors.hqUrl} />
        <label htmlFor="settings-hq-key">HQ key</label>
        <input id="settings-hq-key" type="password" autoComplete="off" value={draft.hqKey} onChange={(e) => set('hqKey', e.target.value)} aria-describedby="key-hint" data-testid="settings-hq-key" />
        <p className="hint" id="key-hint">
          {settings.hqKeySet ? 'A key is set. Leave this empty to keep it; type a new one to replace it.' : 'No key is set yet.'}
        </p>
        <label htmlFor="settings-budget">Daily limit on the satellite link (MB)</label>
        <input id="settings-budget" inputMode="decimal" className="num short" value={draft.dailyBudgetMb} onChange={(e) => set('dailyBudgetMb', e.target.value)} aria-invalid={errors.dailyBudgetMb !== undefined} aria-describedby={describedBy('dailyBudgetMb', 'budget-hint')} data-testid="settings-budget" />
        <p className="hint" id="budget-hint">
          On a metered plan: once this much has gone to HQ today (UTC), the rest waits for tomorrow. Leave empty for no limit.
        </p>
        <FieldError id="dailyBudgetMb-error" text={errors.dailyBudgetMb} />
        <span className="field-label" id="photo-window-label">
          Send photos only between (hours, station time)
        </span>
        <div className="hour-range" role="group" aria-labelledby="photo-window-label">
          <input id="settings-photo-start" aria-label="From hour" inputMode="numeric" className="num short" value={draft.photoWindowStart} onChange={(e) => set('photoWindowStart', e.target.value)} aria-invalid={errors.photoWindowStart !== undefined} aria-describedby={describedBy('photoWindowStart', 'photo-hint')} data-testid="settings-photo-start" />
          <span aria-hidden="true">–</span>
          <input id="settings-photo-end" aria-label="To hour" inputMode="numeric" className="num short" value={draft.photoWindowEnd} onChange={(e) => set('photoWindowEnd', e.target.value)} aria-invalid={errors.photoWindowStart !== undefined} aria-describedby={describedBy('photoWindowStart', 'photo-hint')} data-testid="settings-photo-end" />
        </div>
        <p className="hint" id="photo-hint">
          Photos are large: 22 to 5 sends them at night only. Readings, production and safety items always go first. Leave both empty to send photos at any time.
        </p>
        <FieldError id="photoWindowStart-error" text={errors.photoWindowStart} />
      </fieldset>

      {canEdit ? null : <p className="notice">You are signed in as a viewer: only a supervisor can change settings.</p>}
      {save.isError ? <ErrorBox error={save.error} /> : null}
      <p role="status" className="ok-text" data-testid="settings-saved">
        {saved}
      </p>
      <button type="submit" className="primary" disabled={!canEdit || save.isPending} data-testid="settings-save">
        {save.isPending ? 'Saving…' : 'Save settings'}
      </button>
    </form>
  );
}

export function SettingsScreen() {
  const settings = useApiQuery('getSettings', {});
  const { canDecide } = useSession();
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <>
      <h1>Settings</h1>
      {settings.isPending ? (
        <Loading what="settings" />
      ) : settings.isError ? (
        <ErrorBox error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <SettingsForm key={JSON.stringify(settings.data)} settings={settings.data} canEdit={canDecide} saved={saved} onSaved={setSaved} />
      )}
    </>
  );
}
