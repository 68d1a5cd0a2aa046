/**
 * The simulated fleet against a real station (`bin/wellos-station serve` as a child
 * process, over real HTTP): a small run docks with every quirk — double visits, a clock an
 * hour off, an undocked tablet, a resend after a lost answer, photos — and every answer
 * matches protocol §2. (A child-process test: it lives here because the simulator owns
 * only test/unit/device-sim*.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleet } from '../../tools/device-sim/fleet.ts';
import type { RunningStation } from '../../tools/device-sim/station-process.ts';
import { mintPairingCode, startStation } from '../../tools/device-sim/station-process.ts';

let root = '';
let station: RunningStation | null = null;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'device-sim-fleet-'));
  station = await startStation(['--data-dir', join(root, 'data'), '--lan-host', '127.0.0.1', '--lan-port', '0', '--ui-port', '0'], { logFile: join(root, 'station.log') });
}, 60_000);

afterAll(async () => {
  if (station !== null) {
    station.child.kill('SIGTERM');
    await station.exited;
  }
  rmSync(root, { recursive: true, force: true });
}, 30_000);

describe('device-sim fleet against a real station', () => {
  it('docks a small fleet with no protocol violation', async () => {
    if (station === null) throw new Error('no station');
    const lines: string[] = [];
    const report = await runFleet({
      lanUrl: station.lan,
      mintCode: () => mintPairingCode(join(root, 'data')),
      tablets: 4,
      days: 4,
      wellsPerRoute: 5,
      batchSize: 40,
      startDate: '2026-11-16',
      seed: 3,
      log: (line) => lines.push(line),
    });
    expect(report.violations).toEqual([]);
    expect(report.tablets).toBe(4);
    expect(report.events).toBeGreaterThan(300);
    expect(report.batches).toBeGreaterThan(report.tablets * 2);
    expect(report.resends).toBeGreaterThanOrEqual(1);
    expect(report.byStatus['APPLIED']).toBeGreaterThan(0);
    expect(report.byStatus['DUPLICATE']).toBeGreaterThan(0);
    expect(report.byStatus['REJECTED'] ?? 0).toBe(0);
    expect(report.photosUploaded).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('stays undocked'))).toBe(true);
  }, 90_000);
});
