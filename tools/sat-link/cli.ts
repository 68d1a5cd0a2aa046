/**
 * `npm run sat-link -- --listen 127.0.0.1:9000 --target 127.0.0.1:8080 --profile geo [flags]`:
 * runs the satellite-link emulator in front of a TCP service until Ctrl-C. Logs link up/down,
 * resets and byte counts to stderr. Exit 0 after Ctrl-C/SIGTERM, 2 on misuse, 1 on failure.
 */
import { parseArgs } from 'node:util';
import { isProfileName, PROFILE_NAMES } from './profiles.ts';
import type { ProfileOverrides } from './profiles.ts';
import { createSatLink } from './sat-link.ts';
import type { SatLink } from './sat-link.ts';

const USAGE = `Usage: npm run sat-link -- --listen HOST:PORT --target HOST:PORT [flags]

  --listen HOST:PORT           where clients connect (port 0 = any free port)
  --target HOST:PORT           the service behind the link (e.g. the HQ receiver)
  --profile NAME               ${PROFILE_NAMES.join(' | ')} (default geo)
  --outage-every S             a scheduled outage every S seconds …
  --outage-for S[-S2]          … lasting S seconds (or between S and S2, drawn per cycle)
  --random-outages-per-hour N  random outages too, N an hour on average …
  --random-outage-for S[-S2]   … lasting S (or S..S2) seconds (default 10-60)
  --reset-probability P        reset a connection in mid-stream with probability P (0..1)
  --latency-ms MS              override the one-way latency
  --up-kbps K / --down-kbps K  override the bandwidth caps (kbit/s)
  --stall-reset S              reset connections stalled by an outage after S s ("never" to keep them)
  --seed N                     PRNG seed for outages and resets (default 1)
  --stats-every S              print byte counts every S seconds (default 10, 0 = never)`;

class UsageError extends Error {}

function hostPort(value: string | undefined, name: string): { host: string; port: number } {
  const match = value === undefined ? null : /^(.+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (match === null || match[1] === undefined || port > 65_535) throw new UsageError(`--${name} must be HOST:PORT (got "${value ?? ''}").`);
  return { host: match[1], port };
}

function positive(value: string, name: string, { allowZero = false } = {}): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (n === 0 && !allowZero)) throw new UsageError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number (got "${value}").`);
  return n;
}

function secondsRange(value: string, name: string): { forMinMs: number; forMaxMs: number } {
  const [lo = '', hi = lo] = value.split('-');
  const forMinMs = positive(lo, name) * 1000;
  const forMaxMs = positive(hi, name) * 1000;
  if (forMaxMs < forMinMs) throw new UsageError(`--${name}: the range must go up (got "${value}").`);
  return { forMinMs, forMaxMs };
}

type Flags = Record<string, string | boolean | undefined>;

function overridesFrom(f: Flags): ProfileOverrides {
  const text = (name: string): string | undefined => {
    const v = f[name];
    return typeof v === 'string' ? v : undefined;
  };
  const o: { -readonly [K in keyof ProfileOverrides]: ProfileOverrides[K] } = {};
  const every = text('outage-every');
  const outageFor = text('outage-for');
  if ((every === undefined) !== (outageFor === undefined)) throw new UsageError('--outage-every and --outage-for go together.');
  if (every !== undefined && outageFor !== undefined) o.periodicOutage = { everyMs: positive(every, 'outage-every') * 1000, ...secondsRange(outageFor, 'outage-for') };
  const perHour = text('random-outages-per-hour');
  if (perHour !== undefined) o.randomOutage = { perHour: positive(perHour, 'random-outages-per-hour'), ...secondsRange(text('random-outage-for') ?? '10-60', 'random-outage-for') };
  const p = text('reset-probability');
  if (p !== undefined) o.resetProbability = positive(p, 'reset-probability', { allowZero: true });
  const latency = text('latency-ms');
  if (latency !== undefined) o.oneWayLatencyMs = positive(latency, 'latency-ms', { allowZero: true });
  const up = text('up-kbps');
  if (up !== undefined) o.upBitsPerSecond = positive(up, 'up-kbps') * 1000;
  const down = text('down-kbps');
  if (down !== undefined) o.downBitsPerSecond = positive(down, 'down-kbps') * 1000;
  const stall = text('stall-reset');
  if (stall !== undefined) o.stallResetMs = stall === 'never' ? null : positive(stall, 'stall-reset', { allowZero: true }) * 1000;
  return o;
}

async function main(argv: readonly string[]): Promise<number> {
  const { values: f } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      listen: { type: 'string' },
      target: { type: 'string' },
      profile: { type: 'string' },
      'outage-every': { type: 'string' },
      'outage-for': { type: 'string' },
      'random-outages-per-hour': { type: 'string' },
      'random-outage-for': { type: 'string' },
      'reset-probability': { type: 'string' },
      'latency-ms': { type: 'string' },
      'up-kbps': { type: 'string' },
      'down-kbps': { type: 'string' },
      'stall-reset': { type: 'string' },
      seed: { type: 'string' },
      'stats-every': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (f.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const listen = hostPort(f.listen, 'listen');
  const target = hostPort(f.target, 'target');
  const profile = f.profile ?? 'geo';
  if (!isProfileName(profile)) throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join(', ')} (got "${profile}").`);
  const seed = f.seed === undefined ? 1 : positive(f.seed, 'seed', { allowZero: true });
  const statsEveryS = f['stats-every'] === undefined ? 10 : positive(f['stats-every'], 'stats-every', { allowZero: true });
  let overrides: ProfileOverrides;
  try {
    overrides = overridesFrom(f);
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError(String(error));
  }
  const log = (message: string): void => {
    process.stderr.write(`${new Date().toISOString()} sat-link ${message}\n`);
  };
  let link: SatLink;
  try {
    link = await createSatLink({ listenHost: listen.host, listenPort: listen.port, targetHost: target.host, targetPort: target.port, profile, overrides, seed, log });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  const statsTimer =
    statsEveryS > 0
      ? setInterval(() => {
          const s = link.stats();
          log(`${s.isOnline ? 'up' : 'DOWN'}; up ${s.bytesUp} B, down ${s.bytesDown} B; ${s.connectionsOpen} open, ${s.connectionsAccepted} accepted, ${s.connectionsRefused} refused, ${s.connectionsReset} reset`);
        }, statsEveryS * 1000)
      : null;
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  if (statsTimer !== null) clearInterval(statsTimer);
  await link.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`sat-link: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
