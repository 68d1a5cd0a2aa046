/**
 * A real headless station for the dashboard e2e: `bin/wellos-station serve` in a fresh
 * data dir with ports picked by the OS, plus tablets that dock over real HTTP and, for
 * screens that need a realistic picture, the device simulator's fleet (`runFleet`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { runFleet, type FleetReport } from '../../../tools/device-sim/fleet.ts';
import { readyLine } from '../../../tools/ready-line.ts';
import { plusDays, todayIn } from '../../../tools/device-sim/zoned-time.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'bin', 'wellos-station');

/** The zone every e2e station runs in (the dashboard shows dates in it). */
export const STATION_TIME_ZONE = 'America/Denver';
/** The station's default gauge-day start hour (not overridden by the e2e stations). */
export const GAUGE_DAY_START_HOUR = 7;

export interface E2eStation {
  lan: string;
  ui: string;
  dataDir: string;
  cli(args: string[], input?: string): string;
  addUser(username: string, role: 'supervisor' | 'viewer', password: string): void;
  tablet(deviceId: string): Promise<E2eTablet>;
  stop(): Promise<void>;
}

export interface E2eTablet {
  /** `PUT /photos/{sha256}` of the bytes, as a tablet does before sending the event that names them; returns the SHA-256. */
  putPhoto(bytes: Uint8Array, mimeType: string): Promise<string>;
  sync(events: unknown[], skewMs?: number): Promise<{ results: { status: string; eventId: string | null; conflictId?: string }[] }>;
}

export async function startStation(): Promise<E2eStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wellos-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [BIN, 'serve', '--data-dir', dataDir, '--lan-host', '127.0.0.1', '--lan-port', '0', '--ui-port', '0', '--timezone', STATION_TIME_ZONE],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await (readyLine(child, { what: 'wellos-station serve', timeoutMs: 60_000 }) as Promise<{ lan: string; ui: string }>).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const cli = (args: string[], input = ''): string => {
    const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', dataDir], { input, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`wellos-station ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim();
  };
  return {
    ...ready,
    dataDir,
    cli,
    addUser: (username, role, password) => void cli(['user', 'add', '--username', username, '--role', role], password),
    tablet: async (deviceId) => {
      const pair = await fetch(`${ready.lan}/api/v1/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: cli(['pairing-code']), deviceId, deviceName: `Tablet ${deviceId}` }),
      });
      if (!pair.ok) throw new Error(`pairing ${deviceId} answered ${pair.status}: ${await pair.text()}`);
      const { deviceToken } = (await pair.json()) as { deviceToken: string };
      let n = 0;
      return {
        putPhoto: async (bytes, mimeType) => {
          const sha256 = createHash('sha256').update(bytes).digest('hex');
          const r = await fetch(`${ready.lan}/api/v1/photos/${sha256}`, { method: 'PUT', headers: { authorization: `Bearer ${deviceToken}`, 'content-type': mimeType }, body: Buffer.from(bytes) });
          if (!r.ok) throw new Error(`photo upload answered ${r.status}: ${await r.text()}`);
          return sha256;
        },
        sync: async (events, skewMs = 0) => {
          const body = JSON.stringify({ deviceId, batchId: `${deviceId}-${++n}`, deviceTime: new Date(Date.now() + skewMs).toISOString(), events });
          const r = await fetch(`${ready.lan}/api/v1/sync`, {
            method: 'POST',
            headers: { authorization: `Bearer ${deviceToken}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
            body: gzipSync(body),
          });
          if (r.status !== 200) throw new Error(`sync answered ${r.status}: ${await r.text()}`);
          return (await r.json()) as { results: { status: string; eventId: string | null; conflictId?: string }[] };
        },
      };
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface FleetOptions {
  tablets: number;
  days: number;
  seed?: number;
}

/**
 * Docks the device simulator's fleet into the station: `tablets` tablets over the `days`
 * field days before today (so Today, the charts and the queue show recent data). Each
 * tablet pairs with a code minted by the CLI, as a supervisor would. Throws on any
 * protocol violation the simulator found.
 */
export async function dockFleet(station: E2eStation, options: FleetOptions): Promise<FleetReport> {
  const startDate = plusDays(todayIn(STATION_TIME_ZONE, Date.now()), -options.days);
  const report = await runFleet({
    lanUrl: station.lan,
    mintCode: () => Promise.resolve(station.cli(['pairing-code'])),
    tablets: options.tablets,
    days: options.days,
    startDate,
    seed: options.seed ?? 1,
    timeZone: STATION_TIME_ZONE,
    gaugeDayStartHour: GAUGE_DAY_START_HOUR,
    runId: 'e2e',
  });
  if (report.violations.length > 0) throw new Error(`the simulated fleet saw ${report.violations.length} protocol violations:\n${report.violations.slice(0, 10).join('\n')}`);
  return report;
}

const at = (day: string, hour: number, minute: number): string => `${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`;

/** Events for the journeys: a PASS/FAIL inspection review and an automatic production decision. */
export const journeyEvents = {
  inspection: (id: string, result: 'PASS' | 'FAIL', hour: number, where: { wellId?: string; equipmentId?: string; day?: string } = {}) => ({
    id,
    type: 'EQUIPMENT_INSPECTED',
    operatorId: `op-${id}`,
    occurredAt: at(where.day ?? '2026-11-28', hour, 5),
    payload: {
      wellId: where.wellId ?? 'W-101',
      equipmentId: where.equipmentId ?? 'COMP-3',
      inspectedAt: at(where.day ?? '2026-11-28', hour, 0),
      result,
      checklist: { belts: result, oilLevel: 'PASS' },
    },
  }),
  production: (id: string, oilBbl: number, hour: number, where: { wellId?: string; day?: string } = {}) => ({
    id,
    type: 'PRODUCTION_LOGGED',
    operatorId: `op-${id}`,
    occurredAt: at(where.day ?? '2026-11-28', hour, 5),
    payload: { wellId: where.wellId ?? 'W-102', measuredAt: at(where.day ?? '2026-11-28', hour, 0), oilBbl, gasMcf: 80, waterBbl: 12 },
  }),
  photo: (id: string, photo: { sha256: string; bytes: number }, hour: number, where: { wellId?: string; subject?: string; day?: string; caption?: string } = {}) => ({
    id,
    type: 'PHOTO_ATTACHED',
    operatorId: `op-${id}`,
    occurredAt: at(where.day ?? '2026-11-28', hour, 5),
    payload: {
      wellId: where.wellId ?? 'W-104',
      photoId: `IMG-${id}`,
      sha256: photo.sha256,
      mimeType: 'image/png',
      bytes: photo.bytes,
      takenAt: at(where.day ?? '2026-11-28', hour, 0),
      subject: where.subject ?? 'TANK-2',
      ...(where.caption === undefined ? {} : { caption: where.caption }),
    },
  }),
  /** Not a valid event (no wellId): the station quarantines it with its reason. */
  invalidReading: (id: string) => ({
    id,
    type: 'WELL_READING_RECORDED',
    operatorId: `op-${id}`,
    occurredAt: '2026-11-28T16:05:00.000Z',
    payload: { metric: 'TUBING_PRESSURE', value: 512, unit: 'psi', measuredAt: '2026-11-28T16:00:00.000Z' },
  }),
};
