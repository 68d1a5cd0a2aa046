/** The simulator's checks of sync and changes answers (protocol §2): they catch what they claim to. */
import { describe, expect, it } from 'vitest';
import type { BatchExpectation } from '../../tools/device-sim/checks.ts';
import { checkChangesPage, checkPullCoversOwnResults, checkSkews, checkSyncResponse } from '../../tools/device-sim/checks.ts';

const expectation: BatchExpectation = {
  label: 'tab-01 batch b1',
  batchId: 'b1',
  events: [
    { id: 'e1', recordKey: 'production/W-101/2026-11-16' },
    { id: 'e2', recordKey: 'reading/W-101/TUBING_PRESSURE/2026-11-16' },
    { id: 'e3', recordKey: 'production/W-101/2026-11-16' },
  ],
  mustDuplicate: new Set(),
  mustReject: new Set(),
  mayDuplicate: new Set(),
  versionFloor: new Map([['production/W-101/2026-11-16', 0]]),
};

function goodAnswer(): Record<string, unknown> {
  return {
    batchId: 'b1',
    results: [
      { eventId: 'e1', status: 'APPLIED', recordKey: 'production/W-101/2026-11-16', version: 1 },
      { eventId: 'e2', status: 'APPLIED', recordKey: 'reading/W-101/TUBING_PRESSURE/2026-11-16', version: 4 },
      {
        eventId: 'e3',
        status: 'CONFLICT',
        recordKey: 'production/W-101/2026-11-16',
        version: 2,
        conflictId: 'c1',
        strategy: 'HIGHEST_VALUE',
        outcome: 'KEEP_SERVER',
        reason: 'kept 125 bbl',
      },
    ],
    syncedEventIds: ['e1', 'e2', 'e3'],
    clockSkewMs: 1520,
    cursor: 'c-9',
  };
}

function results(answer: Record<string, unknown>): Record<string, unknown>[] {
  return answer['results'] as Record<string, unknown>[];
}

describe('checkSyncResponse', () => {
  it('accepts a correct answer and returns its results', () => {
    const checked = checkSyncResponse(expectation, goodAnswer());
    expect(checked.violations).toEqual([]);
    expect(checked.results.map((r) => r?.status)).toEqual(['APPLIED', 'APPLIED', 'CONFLICT']);
    expect(checked.clockSkewMs).toBe(1520);
    expect(checked.cursor).toBe('c-9');
  });

  it('catches results out of order, a wrong key, a missing synced id and a bad status', () => {
    const swapped = goodAnswer();
    const r = results(swapped);
    [r[0], r[1]] = [r[1] ?? {}, r[0] ?? {}];
    expect(checkSyncResponse(expectation, swapped).violations.join('\n')).toMatch(/does not echo the event's id/);

    const wrongKey = goodAnswer();
    (results(wrongKey)[1] ?? {})['recordKey'] = 'reading/W-101/TUBING_PRESSURE/2026-11-15';
    expect(checkSyncResponse(expectation, wrongKey).violations.join('\n')).toMatch(/≠ the key the tablet computed/);

    const missing = goodAnswer();
    missing['syncedEventIds'] = ['e1', 'e2'];
    expect(checkSyncResponse(expectation, missing).violations.join('\n')).toMatch(/lacks 1 accepted event/);

    const badStatus = goodAnswer();
    (results(badStatus)[0] ?? {})['status'] = 'OK';
    expect(checkSyncResponse(expectation, badStatus).violations.join('\n')).toMatch(/status "OK" is not one of/);

    const short = goodAnswer();
    results(short).pop();
    expect(checkSyncResponse(expectation, short).violations.join('\n')).toMatch(/2 results for 3 events/);
  });

  it('checks versions: whole, above what was seen, one per accepted event of a key in the batch', () => {
    const skipped = goodAnswer();
    (results(skipped)[2] ?? {})['version'] = 3;
    expect(checkSyncResponse(expectation, skipped).violations.join('\n')).toMatch(/should be 2/);

    const stale = checkSyncResponse({ ...expectation, versionFloor: new Map([['reading/W-101/TUBING_PRESSURE/2026-11-16', 4]]) }, goodAnswer());
    expect(stale.violations.join('\n')).toMatch(/version 4 of reading\/W-101\/TUBING_PRESSURE\/2026-11-16 is not above 4/);

    const zero = goodAnswer();
    (results(zero)[0] ?? {})['version'] = 0;
    expect(checkSyncResponse(expectation, zero).violations.join('\n')).toMatch(/whole number ≥ 1/);
  });

  it('demands DUPLICATE exactly for resent events', () => {
    const resent = {
      batchId: 'b1',
      results: [
        { eventId: 'e1', status: 'DUPLICATE' },
        { eventId: 'e2', status: 'DUPLICATE' },
        { eventId: 'e3', status: 'APPLIED', recordKey: 'production/W-101/2026-11-16', version: 3 },
      ],
      syncedEventIds: ['e1', 'e2', 'e3'],
      clockSkewMs: 0,
      cursor: 'c-10',
    };
    const checked = checkSyncResponse({ ...expectation, mustDuplicate: new Set(['e1', 'e2', 'e3']) }, resent);
    expect(checked.violations).toHaveLength(1);
    expect(checked.violations[0]).toMatch(/e3.*must be DUPLICATE \(got APPLIED\)/);

    const unexpected = goodAnswer();
    results(unexpected)[0] = { eventId: 'e1', status: 'DUPLICATE' };
    expect(checkSyncResponse(expectation, unexpected).violations.join('\n')).toMatch(/DUPLICATE although the station never received/);
    expect(checkSyncResponse({ ...expectation, mayDuplicate: new Set(['e1']) }, unexpected).violations).toEqual([]);
  });

  it('flags a rejected valid event and a CONFLICT without its fields', () => {
    const rejected = goodAnswer();
    results(rejected)[1] = { eventId: 'e2', status: 'REJECTED', error: { code: 'VALIDATION_FAILED', message: 'payload.value must be a number' } };
    rejected['syncedEventIds'] = ['e1', 'e3'];
    expect(checkSyncResponse(expectation, rejected).violations.join('\n')).toMatch(/REJECTED a valid event/);

    const bare = goodAnswer();
    results(bare)[2] = { eventId: 'e3', status: 'CONFLICT', recordKey: 'production/W-101/2026-11-16', version: 2 };
    const text = checkSyncResponse(expectation, bare).violations.join('\n');
    expect(text).toMatch(/without a conflictId/);
    expect(text).toMatch(/strategy/);
    expect(text).toMatch(/outcome/);
  });

  it('never throws on garbage', () => {
    for (const body of [null, 'x', [], { results: 'no' }, { results: [null, 1, 'a'] }]) {
      expect(checkSyncResponse(expectation, body).violations.length).toBeGreaterThan(0);
    }
  });
});

describe('checkChangesPage and the pull', () => {
  it('reads records and conflicts and flags malformed ones', () => {
    const page = checkChangesPage('pull', {
      records: [
        { key: 'production/W-101/2026-11-16', type: 'PRODUCTION_LOGGED', wellId: 'W-101', version: 2, status: 'DISPUTED', value: {}, conflictId: 'c1', updatedAt: 'x' },
        { key: 'bad', version: 0, status: 'OK', value: {}, conflictId: null },
      ],
      conflicts: [{ conflictId: 'c1', recordKey: 'production/W-101/2026-11-16', status: 'PENDING_REVIEW', strategy: 'HIGHEST_VALUE', reason: 'r', winner: null, candidates: ['e1', 'e3'] }],
      nextCursor: 'n1',
      hasMore: false,
    });
    expect(page.records).toEqual([{ key: 'production/W-101/2026-11-16', version: 2, status: 'DISPUTED', conflictId: 'c1' }]);
    expect(page.conflicts).toHaveLength(1);
    expect(page.violations).toHaveLength(1);
    expect(page.violations[0]).toMatch(/records\[1\] \(bad\): version/);
    expect(page.nextCursor).toBe('n1');
  });

  it('requires the pull to show every record the dock changed, at least at the told version', () => {
    const own = new Map([
      ['a', 2],
      ['b', 5],
      ['c', 1],
    ]);
    const pulled = new Map([
      ['a', 3],
      ['b', 4],
    ]);
    const v = checkPullCoversOwnResults('tab-01', own, pulled);
    expect(v).toHaveLength(2);
    expect(v.join('\n')).toMatch(/b at version 4, below version 5/);
    expect(v.join('\n')).toMatch(/omit c/);
  });

  it('compares clock skews to the fleet, not to the simulator clock', () => {
    const samples = new Map([
      ['tab-01', { offsetMs: 0, skews: [5_000, 5_100] }],
      ['tab-02', { offsetMs: 0, skews: [5_050] }],
      ['tab-03', { offsetMs: 3_600_000, skews: [3_605_000] }],
    ]);
    expect(checkSkews(samples, 60_000)).toEqual([]);
    samples.set('tab-03', { offsetMs: 3_600_000, skews: [5_000] });
    expect(checkSkews(samples, 60_000).join('\n')).toMatch(/tab-03/);
  });
});
