/**
 * The simulator's checks of the station's answers against what a tablet sent (protocol §2).
 * Pure: each check takes the sent batch (or pull) and the decoded body and returns readable
 * violations ("tab-03 batch …: result 12 (event …): …"), never throws on a malformed body.
 *
 * A sync answer must hold: the batchId echoed; one result per event, in request order,
 * each echoing its eventId; a status from the protocol's set; `syncedEventIds` = every id
 * but the REJECTED ones; for APPLIED / CONFIRMED / SUPERSEDED / CONFLICT the record key the
 * tablet computed and a whole version ≥ 1, above every version of that key seen before the
 * request and one above the previous result of the same key in the batch (one transaction,
 * one version per accepted event); CONFLICT with conflictId, strategy, outcome and reason;
 * DUPLICATE exactly for events the station already holds (a resend), REJECTED again for a
 * resent rejected event; a numeric clockSkewMs and a string cursor.
 */
import type { Outcome, Strategy } from '../../src/shared/engine/types.ts';
import { STRATEGIES } from '../../src/shared/engine/types.ts';
import type { SyncEventResult } from '../../src/shared/protocol/sync.ts';

export const RESULT_STATUSES = ['APPLIED', 'CONFIRMED', 'SUPERSEDED', 'CONFLICT', 'DUPLICATE', 'REJECTED'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

function isResultStatus(v: unknown): v is ResultStatus {
  return typeof v === 'string' && (RESULT_STATUSES as readonly string[]).includes(v);
}
const OUTCOMES = ['UPDATE_SERVER', 'KEEP_SERVER', 'MERGE', 'KEEP_BOTH', 'MANUAL_REVIEW'] as const satisfies readonly Outcome[];

function isStrategy(v: unknown): v is Strategy {
  return typeof v === 'string' && (STRATEGIES as readonly string[]).includes(v);
}

function isOutcome(v: unknown): v is Outcome {
  return typeof v === 'string' && (OUTCOMES as readonly string[]).includes(v);
}
const CONFLICT_STATUSES: ReadonlySet<string> = new Set(['AUTO_RESOLVED', 'PENDING_REVIEW', 'RESOLVED']);
const REJECT_CODES: ReadonlySet<string> = new Set(['VALIDATION_FAILED', 'UNKNOWN_EVENT_TYPE', 'EVENT_ID_REUSED']);

/** At most this many violations per answer; the rest are summed up in one line. */
export const MAX_VIOLATIONS_PER_ANSWER = 12;

export interface SentEvent {
  id: string;
  /** The key the tablet computed (protocol §1). */
  recordKey: string;
}

export interface BatchExpectation {
  /** Prefix of every violation, e.g. "tab-03 batch run-tab-03-b0004". */
  label: string;
  batchId: string;
  events: readonly SentEvent[];
  /** Ids the station must answer DUPLICATE: a resend of a batch whose answer was seen. */
  mustDuplicate: ReadonlySet<string>;
  /** Ids the station must answer REJECTED again (rejected in the answer that was seen). */
  mustReject: ReadonlySet<string>;
  /** Ids that may come back DUPLICATE: an earlier attempt got no answer. */
  mayDuplicate: ReadonlySet<string>;
  /** Per record key, the highest version seen in any answer received before this request was sent. */
  versionFloor: ReadonlyMap<string, number>;
}

export interface CheckedSync {
  violations: string[];
  /** One per sent event (null where the answer had no usable result). */
  results: (SyncEventResult | null)[];
  syncedEventIds: string[];
  clockSkewMs: number | null;
  cursor: string | null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isWhole(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  return text.length <= 80 ? text : `${text.slice(0, 77)}…`;
}

class Collector {
  readonly lines: string[] = [];
  private dropped = 0;
  constructor(private readonly label: string) {}
  add(message: string): void {
    if (this.lines.length < MAX_VIOLATIONS_PER_ANSWER) this.lines.push(`${this.label}: ${message}`);
    else this.dropped += 1;
  }
  done(): string[] {
    if (this.dropped > 0) this.lines.push(`${this.label}: … and ${this.dropped} more violations in the same answer`);
    return this.lines;
  }
}

/** Checks a 200 answer of `POST /api/v1/sync` against the batch that was sent. */
export function checkSyncResponse(exp: BatchExpectation, body: unknown): CheckedSync {
  const v = new Collector(exp.label);
  const out: CheckedSync = { violations: v.lines, results: exp.events.map(() => null), syncedEventIds: [], clockSkewMs: null, cursor: null };
  if (!isObject(body)) {
    v.add(`the answer is not a JSON object (got ${shown(body)})`);
    out.violations = v.done();
    return out;
  }
  if (body['batchId'] !== exp.batchId) v.add(`batchId ${shown(body['batchId'])} does not echo the batch's "${exp.batchId}"`);
  if (typeof body['clockSkewMs'] === 'number' && Number.isFinite(body['clockSkewMs'])) out.clockSkewMs = body['clockSkewMs'];
  else v.add(`clockSkewMs must be a number (got ${shown(body['clockSkewMs'])})`);
  if (typeof body['cursor'] === 'string' && body['cursor'] !== '') out.cursor = body['cursor'];
  else v.add(`cursor must be a non-empty string (got ${shown(body['cursor'])})`);

  const results = body['results'];
  if (!Array.isArray(results)) {
    v.add(`results must be an array (got ${shown(results)})`);
    out.violations = v.done();
    return out;
  }
  if (results.length !== exp.events.length) v.add(`${results.length} results for ${exp.events.length} events (one per event, in request order)`);

  const expectedSynced = new Set<string>();
  const lastVersionInBatch = new Map<string, number>();
  exp.events.forEach((sent, i) => {
    const r: unknown = results[i];
    const at = `result ${i} (event ${sent.id})`;
    if (!isObject(r)) {
      if (i < results.length) v.add(`${at} is not an object (got ${shown(r)})`);
      return;
    }
    if (r['eventId'] !== sent.id) v.add(`${at}: eventId ${shown(r['eventId'])} does not echo the event's id (results out of order?)`);
    const status = r['status'];
    if (!isResultStatus(status)) {
      v.add(`${at}: status ${shown(status)} is not one of ${RESULT_STATUSES.join(', ')}`);
      return;
    }
    if (status !== 'REJECTED') expectedSynced.add(sent.id);

    if (exp.mustDuplicate.has(sent.id) && status !== 'DUPLICATE') v.add(`${at}: resent after a lost answer, so it must be DUPLICATE (got ${status})`);
    if (exp.mustReject.has(sent.id) && status !== 'REJECTED') v.add(`${at}: was REJECTED when first sent, so its resend must be REJECTED again (got ${status})`);
    if (status === 'DUPLICATE' && !exp.mustDuplicate.has(sent.id) && !exp.mayDuplicate.has(sent.id)) {
      v.add(`${at}: DUPLICATE although the station never received this event id before`);
    }

    switch (status) {
      case 'DUPLICATE':
        out.results[i] = { eventId: sent.id, status };
        return;
      case 'REJECTED': {
        const error = r['error'];
        const code = isObject(error) ? error['code'] : undefined;
        const message = isObject(error) ? error['message'] : undefined;
        if (typeof code !== 'string' || !REJECT_CODES.has(code) || typeof message !== 'string' || message === '') {
          v.add(`${at}: REJECTED needs error {code: VALIDATION_FAILED|UNKNOWN_EVENT_TYPE|EVENT_ID_REUSED, message} (got ${shown(error)})`);
        }
        if (!exp.mustReject.has(sent.id)) v.add(`${at}: REJECTED a valid event: ${shown(code)} ${shown(message)}`);
        out.results[i] = { eventId: sent.id, status, error: { code: code === 'UNKNOWN_EVENT_TYPE' || code === 'EVENT_ID_REUSED' ? code : 'VALIDATION_FAILED', message: typeof message === 'string' ? message : '' } };
        return;
      }
      default:
        break;
    }

    const recordKey = r['recordKey'];
    const version = r['version'];
    if (recordKey !== sent.recordKey) {
      const sameButDay = typeof recordKey === 'string' && recordKey.replace(/\d{4}-\d{2}-\d{2}$/, '') === sent.recordKey.replace(/\d{4}-\d{2}-\d{2}$/, '');
      const hint = sameButDay ? ' (another field day: do the station and the simulator use the same --timezone and --gauge-day-start-hour?)' : '';
      v.add(`${at}: recordKey ${shown(recordKey)} ≠ the key the tablet computed "${sent.recordKey}"${hint}`);
    }
    if (!isWhole(version) || version < 1) {
      v.add(`${at}: version must be a whole number ≥ 1 (got ${shown(version)})`);
      return;
    }
    // Later checks follow the station's key (a mismatch is reported above, once).
    const key = typeof recordKey === 'string' && recordKey !== '' ? recordKey : sent.recordKey;
    const floor = key === sent.recordKey ? (exp.versionFloor.get(key) ?? 0) : 0;
    if (version <= floor) v.add(`${at}: version ${version} of ${key} is not above ${floor}, a version already seen before this batch was sent`);
    const previous = lastVersionInBatch.get(key);
    if (previous !== undefined && version !== previous + 1) {
      v.add(`${at}: version ${version} of ${key} should be ${previous + 1}, one above the previous event of the same key in this batch`);
    }
    lastVersionInBatch.set(key, version);
    if (status === 'CONFLICT') {
      const { conflictId, strategy, outcome, reason } = r;
      if (typeof conflictId !== 'string' || conflictId === '') v.add(`${at}: CONFLICT without a conflictId`);
      if (!isStrategy(strategy)) v.add(`${at}: CONFLICT strategy ${shown(strategy)} is not one of ${STRATEGIES.join(', ')}`);
      if (!isOutcome(outcome)) v.add(`${at}: CONFLICT outcome ${shown(outcome)} is not one of ${OUTCOMES.join(', ')}`);
      if (typeof reason !== 'string' || reason === '') v.add(`${at}: CONFLICT without a reason`);
      out.results[i] = {
        eventId: sent.id,
        status,
        recordKey: key,
        version,
        conflictId: typeof conflictId === 'string' ? conflictId : '',
        strategy: isStrategy(strategy) ? strategy : 'MANUAL_REVIEW',
        outcome: isOutcome(outcome) ? outcome : 'MANUAL_REVIEW',
        reason: typeof reason === 'string' ? reason : '',
      };
    } else {
      out.results[i] = { eventId: sent.id, status, recordKey: key, version };
    }
  });

  const synced = body['syncedEventIds'];
  if (!Array.isArray(synced) || !synced.every((id) => typeof id === 'string')) {
    v.add(`syncedEventIds must be an array of event ids (got ${shown(synced)})`);
  } else {
    out.syncedEventIds = synced as string[];
    const got = new Set<string>(synced as string[]);
    const missing = [...expectedSynced].filter((id) => !got.has(id));
    const extra = [...got].filter((id) => !expectedSynced.has(id));
    if (missing.length > 0) v.add(`syncedEventIds lacks ${missing.length} accepted event(s), e.g. ${missing.slice(0, 3).join(', ')} (it must list every id but the REJECTED)`);
    if (extra.length > 0) v.add(`syncedEventIds lists ${extra.length} id(s) that were REJECTED or never sent, e.g. ${extra.slice(0, 3).join(', ')}`);
    if (got.size !== synced.length) v.add('syncedEventIds repeats ids');
  }
  out.violations = v.done();
  return out;
}

export interface PulledRecord {
  key: string;
  version: number;
  status: 'OK' | 'DISPUTED';
  conflictId: string | null;
}

export interface PulledConflict {
  conflictId: string;
  recordKey: string;
  status: string;
}

export interface CheckedChanges {
  violations: string[];
  records: PulledRecord[];
  conflicts: PulledConflict[];
  nextCursor: string | null;
  hasMore: boolean;
}

/** Checks one page of `GET /api/v1/changes`. */
export function checkChangesPage(label: string, body: unknown): CheckedChanges {
  const v = new Collector(label);
  const out: CheckedChanges = { violations: v.lines, records: [], conflicts: [], nextCursor: null, hasMore: false };
  if (!isObject(body)) {
    v.add(`the answer is not a JSON object (got ${shown(body)})`);
    out.violations = v.done();
    return out;
  }
  if (typeof body['nextCursor'] === 'string' && body['nextCursor'] !== '') out.nextCursor = body['nextCursor'];
  else v.add(`nextCursor must be a non-empty string (got ${shown(body['nextCursor'])})`);
  if (typeof body['hasMore'] === 'boolean') out.hasMore = body['hasMore'];
  else v.add(`hasMore must be true or false (got ${shown(body['hasMore'])})`);
  const records = body['records'];
  if (!Array.isArray(records)) v.add(`records must be an array (got ${shown(records)})`);
  else {
    records.forEach((rec: unknown, i) => {
      if (!isObject(rec)) return v.add(`records[${i}] is not an object`);
      const { key, version, status, conflictId } = rec;
      if (typeof key !== 'string' || key === '') return v.add(`records[${i}].key must be a record key (got ${shown(key)})`);
      if (!isWhole(version) || version < 1) return v.add(`records[${i}] (${key}): version must be a whole number ≥ 1 (got ${shown(version)})`);
      if (status !== 'OK' && status !== 'DISPUTED') return v.add(`records[${i}] (${key}): status must be OK or DISPUTED (got ${shown(status)})`);
      if (conflictId !== null && typeof conflictId !== 'string') return v.add(`records[${i}] (${key}): conflictId must be a string or null (got ${shown(conflictId)})`);
      if (!isObject(rec['value'])) v.add(`records[${i}] (${key}): value must be an object (got ${shown(rec['value'])})`);
      out.records.push({ key, version, status, conflictId: conflictId ?? null });
      return undefined;
    });
  }
  const conflicts = body['conflicts'];
  if (!Array.isArray(conflicts)) v.add(`conflicts must be an array (got ${shown(conflicts)})`);
  else {
    conflicts.forEach((c: unknown, i) => {
      if (!isObject(c)) return v.add(`conflicts[${i}] is not an object`);
      const { conflictId, recordKey, status, candidates } = c;
      if (typeof conflictId !== 'string' || typeof recordKey !== 'string') return v.add(`conflicts[${i}] needs conflictId and recordKey strings (got ${shown(c)})`);
      if (typeof status !== 'string' || !CONFLICT_STATUSES.has(status)) v.add(`conflicts[${i}] (${conflictId}): status ${shown(status)} is not AUTO_RESOLVED, PENDING_REVIEW or RESOLVED`);
      if (!Array.isArray(candidates) || candidates.length < 2 || !candidates.every((id) => typeof id === 'string')) {
        v.add(`conflicts[${i}] (${conflictId}): candidates must list at least two event ids (got ${shown(candidates)})`);
      }
      out.conflicts.push({ conflictId, recordKey, status: typeof status === 'string' ? status : '' });
      return undefined;
    });
  }
  out.violations = v.done();
  return out;
}

/**
 * After a dock, the tablet's pull (since its previous cursor) must show every record its
 * own batches changed, at a version no lower than the one its results named.
 */
export function checkPullCoversOwnResults(label: string, own: ReadonlyMap<string, number>, pulled: ReadonlyMap<string, number>): string[] {
  const v = new Collector(label);
  for (const [key, version] of own) {
    const got = pulled.get(key);
    if (got === undefined) v.add(`changes since the tablet's last pull omit ${key}, which its own batch changed to version ${version}`);
    else if (got < version) v.add(`changes show ${key} at version ${got}, below version ${version} that the tablet's own batch was told`);
  }
  return v.done();
}

/**
 * Clock skew per tablet: each tablet's median skew minus the fleet's median of tablets with
 * a true clock must be its configured offset, within `toleranceMs` (the station's own
 * clock may differ from the simulator's; only differences are compared).
 */
export function checkSkews(samples: ReadonlyMap<string, { offsetMs: number; skews: readonly number[] }>, toleranceMs: number): string[] {
  const median = (xs: readonly number[]): number | null => {
    if (xs.length === 0) return null;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)] ?? null;
  };
  const trueClocks = [...samples.values()].filter((t) => t.offsetMs === 0).flatMap((t) => t.skews);
  const base = median(trueClocks) ?? 0;
  const out: string[] = [];
  for (const [deviceId, t] of samples) {
    const m = median(t.skews);
    if (m === null) continue;
    if (Math.abs(m - base - t.offsetMs) > toleranceMs) {
      out.push(`${deviceId}: clockSkewMs ${m} is not ${t.offsetMs} ± ${toleranceMs} ms off the other tablets' ${base} (its clock is set ${t.offsetMs} ms ahead)`);
    }
  }
  return out;
}
