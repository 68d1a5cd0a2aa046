/**
 * The StationApi handler map: one named function per method, shared by every transport
 * (HTTP on the headless UI listener, IPC in Electron). Arguments are validated with the
 * contract's zod schemas before a handler runs; a viewer may read but not decide; every
 * failure is an ApiError with a code and a sentence a person can act on.
 */
import QRCode from 'qrcode';
import { API_ARGS, MUTATING_METHODS, type ApiError, type ApiParsedArgs, type ApiMethod, type ApiResult, type ApiResults, type LinkStatus, type SettingsView } from '../../../shared/api/station-api.ts';
import { allowedStrategies, updatePolicy } from '../../../shared/engine/policy.ts';
import { EVENT_TYPES } from '../../../shared/events/types.ts';
import { isValidTimeZone } from '../../../shared/time/field-day.ts';
import { appendAudit, verifyAudit } from '../audit/audit-log.ts';
import type { StationDb } from '../db/open-database.ts';
import { createPairingCode, revokeDevice } from '../devices/device-auth.ts';
import { DecisionError, overrideResolution, resolveConflict } from '../ingest/decide.ts';
import type { Store } from '../ingest/write-session.ts';
import { readRelayLimits, readSettings, writeSettings } from '../settings/settings-store.ts';
import type { EngineSettings } from '../../../shared/engine/types.ts';
import type { StationIdentity } from '../identity.ts';
import type { ChangeBus } from './change-bus.ts';
import * as read from './read-models.ts';

export interface ApiDeps {
  store: Store;
  identity: StationIdentity;
  now: () => Date;
  engineSettings: () => EngineSettings;
  reloadSettings: () => void;
  bus: ChangeBus;
  /** The URL tablets reach the device API at (for pairing), known once the listener is up. */
  lanUrl: () => string;
  /** The HQ link as the relay sees it. */
  linkStatus: () => LinkStatus;
}

export interface Caller {
  username: string;
  role: 'supervisor' | 'viewer';
}

class ApiFailure extends Error {
  readonly code: ApiError['code'];
  constructor(code: ApiError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export type Handlers = { [M in ApiMethod]: (args: ApiParsedArgs<M>, caller: Caller) => ApiResults[M] | Promise<ApiResults[M]> };

function settingsView(db: StationDb): SettingsView {
  const s = readSettings(db);
  const hq = db.prepare("SELECT key, value FROM settings WHERE key IN ('hqUrl', 'hqKey')").all() as { key: string; value: string }[];
  const hqUrl = hq.find((r) => r.key === 'hqUrl');
  const hqKey = hq.find((r) => r.key === 'hqKey');
  return {
    ...s,
    policy: { ...s.policy },
    allowedStrategies: Object.fromEntries(EVENT_TYPES.map((t) => [t, [...allowedStrategies(t)]])) as SettingsView['allowedStrategies'],
    hqUrl: hqUrl === undefined ? null : (JSON.parse(hqUrl.value) as string | null),
    hqKeySet: hqKey !== undefined && JSON.parse(hqKey.value) !== '',
    ...readRelayLimits(db),
  };
}

export function createHandlers(deps: ApiDeps): Handlers {
  const db = deps.store.db;
  const decide = (kind: 'resolve' | 'override', args: ApiParsedArgs<'resolveConflict'>, caller: Caller): ApiResults['resolveConflict'] => {
    const ctx = { settings: deps.engineSettings(), now: deps.now };
    const req = { conflictId: args.conflictId, choice: args.choice, decidedBy: caller.username, comment: args.comment, seenCandidates: args.seenCandidates };
    try {
      const out = kind === 'resolve' ? resolveConflict(deps.store, req, ctx) : overrideResolution(deps.store, req, ctx);
      deps.bus.publish({ kind: 'decided', conflictId: args.conflictId, at: deps.now().toISOString() });
      return out;
    } catch (err) {
      if (err instanceof DecisionError) throw new ApiFailure(err.code, err.message);
      throw err;
    }
  };
  return {
    getOverview: () => {
      const settings = deps.engineSettings();
      const devices = read.listDevices(db);
      const since = new Date(deps.now().getTime() - 86_400_000).toISOString();
      const inspections = read.listInspectionAlerts(db, since);
      return {
        stationId: deps.identity.stationId,
        tenantId: deps.identity.tenantId,
        timeZone: settings.timeZone,
        now: deps.now().toISOString(),
        ...read.countOpenConflicts(db),
        devices,
        skewedDevices: devices.filter((d) => !d.revoked && d.clockSkewMs !== null && Math.abs(d.clockSkewMs) > settings.skewLimitMs).map((d) => d.deviceId),
        link: deps.linkStatus(),
        rejectedToday: (db.prepare('SELECT count(*) AS n FROM quarantine WHERE received_at >= ?').get(since) as { n: number }).n,
        inspectionAlerts: inspections.alerts,
        inspectionAlertCount: inspections.total,
      };
    },
    listConflicts: (args) => read.listConflicts(db, args),
    getConflict: (args) => {
      const detail = read.getConflictDetail(db, args.conflictId, deps.engineSettings());
      if (detail === null) throw new ApiFailure('CONFLICT_NOT_FOUND', `No conflict ${args.conflictId} on this station.`);
      return detail;
    },
    resolveConflict: (args, caller) => decide('resolve', args, caller),
    overrideResolution: (args, caller) => decide('override', args, caller),
    listWells: () => read.listWells(db, deps.engineSettings()),
    getWell: (args) => {
      const detail = read.getWellDetail(db, args.wellId, args.days ?? 30, deps.engineSettings(), deps.now());
      if (detail === null) throw new ApiFailure('NOT_FOUND', `No records for well ${args.wellId} yet.`);
      return detail;
    },
    listRecords: (args) => read.listRecords(db, args),
    listDevices: () => read.listDevices(db),
    revokeDevice: (args, caller) => {
      const revoked = revokeDevice(db, args.deviceId, { now: deps.now(), actor: `user:${caller.username}` });
      if (!revoked && db.prepare('SELECT 1 FROM devices WHERE id = ?').get(args.deviceId) === undefined) throw new ApiFailure('NOT_FOUND', `No tablet ${args.deviceId} is paired.`);
      deps.bus.publish({ kind: 'devices', at: deps.now().toISOString() });
      return { deviceId: args.deviceId, revoked };
    },
    createPairingCode: async (args, caller) => {
      const { code, expiresAt } = createPairingCode(db, { ttlSeconds: args.ttlSeconds ?? 600, now: deps.now(), actor: `user:${caller.username}` });
      const stationUrl = deps.lanUrl();
      const qrSvg = await QRCode.toString(JSON.stringify({ station: stationUrl, code }), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return { code, expiresAt, stationUrl, qrSvg };
    },
    listAudit: (args) => read.listAudit(db, args),
    verifyAudit: () => {
      const v = verifyAudit(db);
      return v.ok ? { ok: true, entries: v.entries, firstBad: null } : { ok: false, entries: v.entries, firstBad: v.firstBad };
    },
    listQuarantine: (args) => read.listQuarantine(db, args.limit ?? 500),
    getSettings: () => settingsView(db),
    updateSettings: (args, caller) => {
      if (args.timeZone !== undefined && !isValidTimeZone(args.timeZone)) throw new ApiFailure('VALIDATION_FAILED', `"${args.timeZone}" is not an IANA time zone (for example America/Chicago).`);
      const current = readSettings(db);
      const change: Record<string, unknown> = {};
      if (args.policy !== undefined) {
        const checked = updatePolicy(current.policy, args.policy);
        if (!checked.ok) throw new ApiFailure('POLICY_LOCKED', checked.message);
        change['policy'] = checked.policy;
      }
      for (const key of ['timeZone', 'gaugeDayStartHour', 'plausibilityPct', 'skewLimitMs', 'hqUrl', 'hqKey', 'dailyByteBudget', 'photoWindow'] as const) if (args[key] !== undefined) change[key] = args[key];
      if (typeof change['hqUrl'] === 'string' && change['hqUrl'] !== '' && !/^https?:\/\/\S+$/.test(change['hqUrl'])) {
        throw new ApiFailure('VALIDATION_FAILED', 'The HQ link must be an http:// or https:// URL.');
      }
      const at = deps.now().toISOString();
      db.transaction(() => {
        writeSettings(db, change, at);
        const shown = { ...change, ...(change['hqKey'] === undefined ? {} : { hqKey: '(changed)' }) };
        appendAudit(db, { at, actor: `user:${caller.username}`, action: 'settings.update', subject: 'settings', details: shown });
      }).immediate();
      deps.reloadSettings();
      deps.bus.publish({ kind: 'settings', at });
      return settingsView(db);
    },
    getRelayStatus: () => deps.linkStatus(),
  };
}

/** Validates, authorises and runs one call; never throws. */
/**
 * Protocol §4 writes some methods with positional parameters: `getConflict(id)`,
 * `resolveConflict(id, {choose} | {value}, comment)`, `overrideResolution(id, …)`. The
 * contract takes one object of named arguments; both forms are accepted: a JSON array of
 * the positional arguments (for a method of one id, also the id alone), and `id` for
 * `conflictId`. An array for a method of one object is that object.
 */
const POSITIONAL: Partial<Record<ApiMethod, readonly string[]>> = {
  getConflict: ['conflictId'],
  resolveConflict: ['conflictId', 'choice', 'comment'],
  overrideResolution: ['conflictId', 'choice', 'comment'],
  revokeDevice: ['deviceId'],
  getWell: ['wellId', 'days'],
};

export function namedArgs(method: ApiMethod, raw: unknown): unknown {
  const names = POSITIONAL[method];
  const list = typeof raw === 'string' && names !== undefined ? [raw] : raw;
  if (Array.isArray(list)) {
    // Too many arguments stay an array, which the schema refuses with a clear message.
    if (names === undefined) return list.length <= 1 ? (list[0] ?? {}) : list;
    if (list.length > names.length) return list;
    return Object.fromEntries(names.flatMap((name, i) => (list[i] === undefined ? [] : [[name, list[i]]])));
  }
  if (names?.[0] === 'conflictId' && typeof raw === 'object' && raw !== null && 'id' in raw && !('conflictId' in raw)) {
    const { id, ...rest } = raw as Record<string, unknown>;
    return { conflictId: id, ...rest };
  }
  return raw;
}

export async function callApi(handlers: Handlers, method: string, rawArgs: unknown, caller: Caller): Promise<ApiResult<unknown>> {
  if (!Object.hasOwn(API_ARGS, method)) return { ok: false, error: { code: 'NOT_FOUND', message: `There is no method ${method}.` } };
  const m = method as ApiMethod;
  if (caller.role !== 'supervisor' && MUTATING_METHODS.has(m)) {
    return { ok: false, error: { code: 'FORBIDDEN', message: 'A viewer can look but not decide or change settings; ask a supervisor.' } };
  }
  const parsed = API_ARGS[m].safeParse(namedArgs(m, rawArgs ?? {}));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: { code: 'BAD_REQUEST', message: `Bad arguments for ${m}: ${issue === undefined ? 'invalid' : `${issue.path.join('.') || 'args'} ${issue.message}`}` } };
  }
  try {
    const handler = handlers[m] as (args: unknown, caller: Caller) => unknown;
    return { ok: true, value: await handler(parsed.data, caller) };
  } catch (err) {
    if (err instanceof ApiFailure) return { ok: false, error: { code: err.code, message: err.message } };
    throw err;
  }
}
