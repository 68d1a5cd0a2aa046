import { describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, newlyPending, restoreBounds, trayTooltip, updateGate } from '../../src/main/shell-logic.ts';
import type { LinkStatus } from '../../src/shared/api/station-api.ts';

const link = (state: LinkStatus['state'], bytesToday = 0): LinkStatus => ({
  state,
  hqUrl: 'https://hq.example',
  lastSuccessAt: null,
  lastError: null,
  bytesToday,
  bytesByLane: { critical: bytesToday, production: 0, readings: 0, notes: 0, photos: 0 },
  queue: { critical: 0, production: 0, readings: 0, notes: 0, photos: 0 },
  etaSeconds: null,
  parked: 0,
});

describe('Electron shell decisions', () => {
  it('the tray says how many conflicts wait and the state of the HQ link, in words', () => {
    expect(trayTooltip(0, 'NOT_CONFIGURED')).toBe('WellOS Field Station — nothing waits for a decision · no HQ link set up');
    expect(trayTooltip(1, 'ONLINE')).toBe('WellOS Field Station — 1 conflict needs your decision · HQ link up');
    expect(trayTooltip(3, 'OFFLINE')).toBe('WellOS Field Station — 3 conflicts need your decision · HQ link down');
  });

  it('notifies only about conflicts the supervisor has not been told about', () => {
    expect(newlyPending(0, 2)).toBe(2);
    expect(newlyPending(2, 2)).toBe(0);
    expect(newlyPending(5, 1)).toBe(0);
  });

  it('reopens the window where it was, unless that place is no longer on a screen', () => {
    const laptop = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(restoreBounds({ x: 100, y: 50, width: 1400, height: 900 }, laptop)).toEqual({ x: 100, y: 50, width: 1400, height: 900 });
    expect(restoreBounds({ x: 2500, y: 50, width: 1400, height: 900 }, laptop)).toEqual(DEFAULT_BOUNDS);
    expect(restoreBounds({ x: 10, y: 10, width: 200, height: 100 }, laptop)).toEqual({ x: 10, y: 10, width: 800, height: 560 });
    expect(restoreBounds('garbage', laptop)).toEqual(DEFAULT_BOUNDS);
    expect(restoreBounds({ x: Number.NaN, y: 0, width: 1, height: 1 }, laptop)).toEqual(DEFAULT_BOUNDS);
  });

  it('checks for updates only while the HQ link is up and within the byte budget', () => {
    expect(updateGate(link('ONLINE'), null)).toEqual({ check: true });
    expect(updateGate(link('ONLINE', 5_000), 10_000)).toEqual({ check: true });
    expect(updateGate(link('ONLINE', 10_000), 10_000)).toEqual({ check: false, reason: "today's satellite byte budget is used up" });
    expect(updateGate(link('DEGRADED'), null)).toMatchObject({ check: false });
    expect(updateGate(link('OFFLINE'), null)).toMatchObject({ check: false });
    expect(updateGate(link('NOT_CONFIGURED'), null)).toMatchObject({ check: false });
  });
});
