/**
 * The real station as child processes, for the simulator's CLI and demo: `pairing-code`
 * to mint codes and `serve` to run one (protocol §3, `bin/wellos-station`).
 * Guarantees: every child is started with this Node and no shell; a failed command
 * rejects with its stderr; `startStation` resolves only after the READY line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readyLine } from '../ready-line.ts';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const STATION_BIN = join(REPO_ROOT, 'bin', 'wellos-station');

/** Runs `wellos-station pairing-code --data-dir DIR` and returns the code it prints. */
export function mintPairingCode(dataDir: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [STATION_BIN, 'pairing-code', '--data-dir', dataDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pairing-code did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = out.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
      const last = lines.at(-1);
      if (code === 0 && last !== undefined) resolve(last);
      else reject(new Error(`wellos-station pairing-code exited with ${String(code)}: ${err.trim() || out.trim()}`));
    });
  });
}

/** Runs `wellos-station user add` with the password on stdin. */
export function addStationUser(dataDir: string, username: string, role: 'supervisor' | 'viewer', password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [STATION_BIN, 'user', 'add', '--data-dir', dataDir, '--username', username, '--role', role], { cwd: REPO_ROOT, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`wellos-station user add exited with ${String(code)}: ${err.trim()}`))));
    child.stdin.end(`${password}\n`);
  });
}

export interface RunningStation {
  child: ChildProcess;
  lan: string;
  ui: string;
  stationId: string;
  /** Resolves with the exit code (or the signal name) when the station ends. */
  exited: Promise<number | string>;
}

/**
 * Starts `wellos-station serve` and waits for its READY line. Its stderr (the log) goes
 * to `logFile` when given, else is passed through.
 */
export async function startStation(args: readonly string[], opts: { logFile?: string; readyTimeoutMs?: number } = {}): Promise<RunningStation> {
  const child = spawn(process.execPath, [STATION_BIN, 'serve', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', opts.logFile === undefined ? 'inherit' : 'pipe'] });
  if (opts.logFile !== undefined) child.stderr?.pipe(createWriteStream(opts.logFile, { flags: 'a' }));
  const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')));
  const what = `the station${opts.logFile === undefined ? '' : ` (log: ${opts.logFile})`}`;
  const info = await readyLine(child, { what, timeoutMs: opts.readyTimeoutMs ?? 60_000 });
  if (typeof info['lan'] !== 'string' || typeof info['ui'] !== 'string') throw new Error(`READY line without lan/ui URLs: ${JSON.stringify(info)}`);
  return { child, lan: info['lan'], ui: info['ui'], stationId: typeof info['stationId'] === 'string' ? info['stationId'] : '?', exited };
}
