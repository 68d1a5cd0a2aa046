/**
 * `npm run sim -- --lan-url URL (--data-dir DIR | --codes c1,c2,…) [flags]`: runs the
 * simulated fleet against a running station and prints progress and a summary table.
 * Exit 0 when every answer matched the protocol, 1 when there were violations, 2 on misuse,
 * 130 when interrupted.
 */
import { parseArgs } from 'node:util';
import { runFleet } from './fleet.ts';
import { formatReport } from './report.ts';
import { mintPairingCode } from './station-process.ts';
import { DEFAULT_WORKLOAD } from './workload.ts';

const USAGE = `Usage: npm run sim -- --lan-url URL (--data-dir DIR | --codes c1,c2,…) [flags]

  --lan-url URL              the station's LAN address, e.g. http://127.0.0.1:7420 (READY's "lan")
  --data-dir DIR             mint one pairing code per tablet with "wellos-station pairing-code --data-dir DIR"
  --codes c1,c2,…            or use these pairing codes (one per tablet)
  --tablets N                tablets in the fleet (default ${DEFAULT_WORKLOAD.tablets})
  --days N                   simulated days (default ${DEFAULT_WORKLOAD.days})
  --start YYYY-MM-DD         first simulated field day (default ${DEFAULT_WORKLOAD.startDate})
  --seed N                   workload seed (default ${DEFAULT_WORKLOAD.seed})
  --batch-size N             events per sync batch (default 500)
  --wells-per-route N        wells on each tablet's route (default ${DEFAULT_WORKLOAD.wellsPerRoute})
  --timezone ZONE            the station's --timezone (default ${DEFAULT_WORKLOAD.timeZone})
  --gauge-day-start-hour H   the station's --gauge-day-start-hour (default ${DEFAULT_WORKLOAD.gaugeDayStartHour})
  --json                     print the report as one JSON line at the end
  --quiet                    no progress lines`;

class UsageError extends Error {}

function whole(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${value}").`);
  return n;
}

async function main(argv: readonly string[]): Promise<number> {
  const { values: f } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      'lan-url': { type: 'string' },
      'data-dir': { type: 'string' },
      codes: { type: 'string' },
      tablets: { type: 'string' },
      days: { type: 'string' },
      start: { type: 'string' },
      seed: { type: 'string' },
      'batch-size': { type: 'string' },
      'wells-per-route': { type: 'string' },
      timezone: { type: 'string' },
      'gauge-day-start-hour': { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (f.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const lanUrl = f['lan-url'];
  if (lanUrl === undefined || !/^https?:\/\/./.test(lanUrl)) throw new UsageError('--lan-url http://HOST:PORT is required (the "lan" URL of the station\'s READY line).');
  if ((f['data-dir'] === undefined) === (f.codes === undefined)) throw new UsageError('Pass exactly one of --data-dir DIR (to mint pairing codes) or --codes c1,c2,….');
  const tablets = whole(f.tablets, 'tablets', DEFAULT_WORKLOAD.tablets, 1, 99);
  const start = f.start ?? DEFAULT_WORKLOAD.startDate;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) throw new UsageError(`--start must be a date as YYYY-MM-DD (got "${start}").`);

  let mintCode: () => Promise<string>;
  const dataDir = f['data-dir'];
  if (dataDir !== undefined) mintCode = () => mintPairingCode(dataDir);
  else {
    const codes = (f.codes ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '');
    if (codes.length < tablets) throw new UsageError(`--codes lists ${codes.length} code(s) for ${tablets} tablets: give one per tablet, or use --data-dir.`);
    let next = 0;
    mintCode = async () => codes[next++] ?? '';
  }

  const controller = new AbortController();
  const onSignal = (): void => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const quiet = f.quiet === true;
  try {
    const report = await runFleet({
      lanUrl,
      mintCode,
      tablets,
      days: whole(f.days, 'days', DEFAULT_WORKLOAD.days, 1, 366),
      startDate: start,
      seed: whole(f.seed, 'seed', DEFAULT_WORKLOAD.seed, 0, 2 ** 32 - 1),
      batchSize: whole(f['batch-size'], 'batch-size', 500, 1, 10_000),
      wellsPerRoute: whole(f['wells-per-route'], 'wells-per-route', DEFAULT_WORKLOAD.wellsPerRoute, 1, 200),
      timeZone: f.timezone ?? DEFAULT_WORKLOAD.timeZone,
      gaugeDayStartHour: whole(f['gauge-day-start-hour'], 'gauge-day-start-hour', DEFAULT_WORKLOAD.gaugeDayStartHour, 0, 23),
      log: quiet ? () => undefined : (line) => process.stdout.write(`${line}\n`),
      signal: controller.signal,
    });
    process.stdout.write(`${formatReport(report)}\n`);
    if (f.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.violations.length > 0 ? 1 : 0;
  } catch (err) {
    if (controller.signal.aborted) {
      process.stderr.write('sim: interrupted\n');
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const usage = err instanceof UsageError || (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'));
    process.stderr.write(`sim: ${err instanceof Error ? err.message : String(err)}\n${usage ? `\n${USAGE}\n` : ''}`);
    process.exitCode = usage ? 2 : 1;
  },
);
