/**
 * `npm run demo`: starts a station on a fresh temporary data dir (`serve --lan-port 0
 * --ui-port 0`, its log in a file beside the data), adds a supervisor login, docks a
 * simulated week from the fleet, prints the dashboard URL, and keeps the station running
 * in the foreground until Ctrl-C, which stops the fleet (if still running) and the station
 * cleanly, then removes the temporary folder (unless --keep).
 *
 * Flags: [--tablets 6] [--days 7] [--seed 1] [--start YYYY-MM-DD (default: the week
 * before today)] [--lan-port 0] [--ui-port 0] [--keep].
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runFleet } from './fleet.ts';
import { formatReport } from './report.ts';
import type { RunningStation } from './station-process.ts';
import { addStationUser, mintPairingCode, startStation } from './station-process.ts';
import { DEFAULT_WORKLOAD } from './workload.ts';
import { plusDays, todayIn } from './zoned-time.ts';

const DEMO_USER = 'supervisor';
const DEMO_PASSWORD = 'wellos-demo';

function whole(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  return n;
}

/** A URL the simulator can call: a wildcard bind address becomes loopback. */
function reachable(url: string): string {
  return url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
}

async function main(): Promise<number> {
  const { values: f } = parseArgs({
    strict: true,
    options: {
      tablets: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      'lan-port': { type: 'string' },
      'ui-port': { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const days = whole(f.days, 'days', DEFAULT_WORKLOAD.days, 1, 366);
  const tablets = whole(f.tablets, 'tablets', DEFAULT_WORKLOAD.tablets, 1, 99);
  const seed = whole(f.seed, 'seed', DEFAULT_WORKLOAD.seed, 0, 2 ** 32 - 1);
  // The last `days` field days before today, so the dashboard shows a recent week.
  const startDate = f.start ?? plusDays(todayIn(DEFAULT_WORKLOAD.timeZone, Date.now()), -days);

  const root = mkdtempSync(join(tmpdir(), 'wellos-demo-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'station.log');
  const keep = f.keep === true;
  const cleanup = (): void => {
    if (!keep) rmSync(root, { recursive: true, force: true });
  };
  const say = (line: string): void => void process.stdout.write(`${line}\n`);

  say(`Starting a station in ${dataDir} (log: ${logFile}) …`);
  let station: RunningStation;
  try {
    station = await startStation(['--data-dir', dataDir, '--lan-port', f['lan-port'] ?? '0', '--ui-port', f['ui-port'] ?? '0'], { logFile });
  } catch (err) {
    process.stderr.write(`demo: ${(err as Error).message}\n`);
    if (!keep) process.stderr.write(`demo: keeping ${root} so you can read the log\n`);
    return 1;
  }
  say(`Station ${station.stationId} is up: devices at ${station.lan}, dashboard at ${station.ui}`);

  const controller = new AbortController();
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping the station …`);
    controller.abort(new Error('stopped'));
    if (station.child.exitCode === null && station.child.signalCode === null) station.child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  let login = `log in as "${DEMO_USER}" / "${DEMO_PASSWORD}"`;
  try {
    await addStationUser(dataDir, DEMO_USER, 'supervisor', DEMO_PASSWORD);
  } catch (err) {
    login = 'no demo login: adding the user failed';
    process.stderr.write(`demo: could not add the demo supervisor: ${(err as Error).message}\n`);
  }
  try {
    say(`Simulating ${tablets} tablets over ${days} days from ${startDate} …`);
    const report = await runFleet({
      lanUrl: reachable(station.lan),
      mintCode: () => mintPairingCode(dataDir),
      tablets,
      days,
      startDate,
      seed,
      log: say,
      signal: controller.signal,
    });
    say(formatReport(report));
  } catch (err) {
    if (!stopping) process.stderr.write(`demo: the simulation failed: ${(err as Error).message}\n`);
  }

  if (!stopping) {
    say('');
    say(`Dashboard:  ${station.ui}   (${login})`);
    say(`Devices:    ${station.lan}   (pair more with: npm run station -- pairing-code --data-dir ${dataDir})`);
    say(`Data:       ${dataDir}${keep ? '' : ' (removed when the demo stops; pass --keep to keep it)'}`);
    say('The station keeps running. Press Ctrl-C to stop it.');
  }
  const exit = await station.exited;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  cleanup();
  if (stopping) {
    say(`Station stopped (${String(exit)}).`);
    return exit === 0 ? 0 : 1;
  }
  process.stderr.write(`demo: the station exited on its own (${String(exit)}); see its log${keep ? ` in ${logFile}` : ''}\n`);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
