/**
 * A real headless station for the dashboard e2e: `bin/wellos-station serve` in a fresh
 * data dir with ports picked by the OS, plus tablets that dock over real HTTP.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'bin', 'wellos-station');

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
  sync(events: unknown[], skewMs?: number): Promise<{ results: { status: string; eventId: string | null }[] }>;
}

export async function startStation(): Promise<E2eStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wellos-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--lan-host', '127.0.0.1', '--lan-port', '0', '--ui-port', '0', '--timezone', 'America/Denver'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const ready = await new Promise<{ lan: string; ui: string }>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = /^READY (.*)$/m.exec(out)?.[1];
      if (line !== undefined) resolve(JSON.parse(line) as { lan: string; ui: string });
    });
    child.on('exit', (code) => reject(new Error(`station exited (${String(code)}) before READY: ${err}`)));
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
      const pair = await fetch(`${ready.lan}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: cli(['pairing-code']), deviceId, deviceName: `Tablet ${deviceId}` }) });
      const { deviceToken } = (await pair.json()) as { deviceToken: string };
      let n = 0;
      return {
        sync: async (events, skewMs = 0) => {
          const body = JSON.stringify({ deviceId, batchId: `${deviceId}-${++n}`, deviceTime: new Date(Date.now() + skewMs).toISOString(), events });
          const r = await fetch(`${ready.lan}/api/v1/sync`, {
            method: 'POST',
            headers: { authorization: `Bearer ${deviceToken}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
            body: gzipSync(body),
          });
          if (r.status !== 200) throw new Error(`sync answered ${r.status}: ${await r.text()}`);
          return (await r.json()) as { results: { status: string; eventId: string | null }[] };
        },
      };
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Events for the journeys: a PASS/FAIL inspection review and an automatic production decision. */
export const journeyEvents = {
  inspection: (id: string, result: 'PASS' | 'FAIL', hour: number) => ({
    id,
    type: 'EQUIPMENT_INSPECTED',
    operatorId: `op-${id}`,
    occurredAt: `2026-11-28T${String(hour).padStart(2, '0')}:05:00.000Z`,
    payload: { wellId: 'W-101', equipmentId: 'COMP-3', inspectedAt: `2026-11-28T${String(hour).padStart(2, '0')}:00:00.000Z`, result, checklist: { belts: result, oilLevel: 'PASS' } },
  }),
  production: (id: string, oilBbl: number, hour: number) => ({
    id,
    type: 'PRODUCTION_LOGGED',
    operatorId: `op-${id}`,
    occurredAt: `2026-11-28T${String(hour).padStart(2, '0')}:05:00.000Z`,
    payload: { wellId: 'W-102', measuredAt: `2026-11-28T${String(hour).padStart(2, '0')}:00:00.000Z`, oilBbl, gasMcf: 80, waterBbl: 12 },
  }),
};
