/**
 * The headless shell's command line (protocol §3): serve, pairing-code, user add, export,
 * audit verify, backup, rebuild (a check of the projection against the history) and
 * relay requeue-parked (sends items HQ refused again, ADR 0008).
 * Every command works on a data dir that a running `serve` also uses. Results go to
 * stdout, logs and errors to stderr; exit 0 on success, 1 on a failed check, 2 on misuse.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyAudit } from '../station/audit/audit-log.ts';
import { createStation, StationConfigError } from '../station/create-station.ts';
import { openDatabase, type StationDb } from '../station/db/open-database.ts';
import { createPairingCode } from '../station/devices/device-auth.ts';
import { rebuildProjection } from '../station/ingest/rebuild-projection.ts';
import { createLogger } from '../station/logger.ts';
import { requeueParked } from '../station/relay/requeue.ts';
import { loadEngineSettings } from '../station/settings/settings-store.ts';
import { defaultDataDir } from './data-dir.ts';
import { EXPORTS, exportTable, type ExportWhat } from './export.ts';
import { addUser, UserError } from './users.ts';

const USAGE = `Usage: wellos-station <command> [flags]

  serve         --data-dir DIR [--lan-host 0.0.0.0] [--lan-port 7420] [--ui-host 127.0.0.1] [--ui-port 7421]
                [--timezone ZONE] [--gauge-day-start-hour 7] [--hq-url URL] [--hq-key KEY] [--mdns]
  pairing-code  --data-dir DIR [--ttl-seconds 600]
  user add      --data-dir DIR --username U --role supervisor|viewer   (password on stdin)
  export        --data-dir DIR --what events|records|conflicts|audit|quarantine [--format json|csv]
  audit verify  --data-dir DIR
  backup        --data-dir DIR --to FILE
  rebuild       --data-dir DIR   (checks the records against the history; exit 1 on a difference)
  relay requeue-parked --data-dir DIR   (sends items HQ refused again, at the end of their lanes)

--data-dir defaults to ${defaultDataDir()}`;

class UsageError extends Error {}
/** A command that cannot do its work (exit 1), said in one line without a stack trace. */
class CommandError extends Error {}

const FLAGS = {
  'data-dir': { type: 'string' },
  'lan-host': { type: 'string' },
  'lan-port': { type: 'string' },
  'ui-host': { type: 'string' },
  'ui-port': { type: 'string' },
  timezone: { type: 'string' },
  'gauge-day-start-hour': { type: 'string' },
  'hq-url': { type: 'string' },
  'hq-key': { type: 'string' },
  mdns: { type: 'boolean' },
  'ttl-seconds': { type: 'string' },
  username: { type: 'string' },
  role: { type: 'string' },
  what: { type: 'string' },
  format: { type: 'string' },
  to: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true; strict: true }>>['values'];

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} must be a port number from 0 to 65535 (0 picks a free port).`);
  return n;
}

function wholeNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number.`);
  return n;
}

/**
 * The data dir's database. Commands that set a station up (`user add`, `pairing-code`)
 * create it when the folder holds none yet, so users can be added before the first
 * `serve`; commands that read or copy one (`export`, `audit verify`, `backup`, …) fail
 * with exit 1 instead of creating an empty station by mistake.
 */
function openData(flags: Flags, options: { create?: boolean } = {}): StationDb {
  const dir = resolve(flags['data-dir'] ?? defaultDataDir());
  const file = join(dir, 'station.db');
  let exists = false;
  try {
    exists = statSync(file).isFile();
  } catch {
    exists = false;
  }
  if (!exists) {
    if (options.create !== true) {
      throw new CommandError(`No station database in ${dir}. Start the station once with "serve --data-dir ${dir}", or pass the right --data-dir.`);
    }
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`Created a new station database in ${dir}.\n`);
  }
  return openDatabase(file).db;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function serve(flags: Flags): Promise<number> {
  const logger = createLogger();
  const dataDir = resolve(flags['data-dir'] ?? defaultDataDir());
  const opts = {
    dataDir,
    lanHost: flags['lan-host'] ?? '0.0.0.0',
    lanPort: port(flags['lan-port'], 7420, 'lan-port'),
    uiHost: flags['ui-host'] ?? '127.0.0.1',
    uiPort: port(flags['ui-port'], 7421, 'ui-port'),
    mdns: flags.mdns === true,
    logger,
    ...(flags.timezone === undefined ? {} : { timeZone: flags.timezone }),
    ...(flags['gauge-day-start-hour'] === undefined ? {} : { gaugeDayStartHour: wholeNumber(flags['gauge-day-start-hour'], 'gauge-day-start-hour') ?? 7 }),
    ...(flags['hq-url'] === undefined ? {} : { hqUrl: flags['hq-url'] }),
    ...(flags['hq-key'] === undefined ? {} : { hqKey: flags['hq-key'] }),
  };
  process.stderr.write(`Data directory: ${dataDir}\n`);
  const station = createStation(opts);
  let urls: { lan: string; ui: string };
  try {
    urls = await station.start();
  } catch (err) {
    await station.stop();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new UsageError(`A port is already in use (${e.message}). Is another station running? Pick other ports with --lan-port/--ui-port.`);
    throw err;
  }
  process.stdout.write(`READY ${JSON.stringify({ lan: urls.lan, ui: urls.ui, stationId: station.identity.stationId })}\n`);
  logger.info({ dataDir, lan: urls.lan, dashboard: urls.ui }, `station ready — data in ${dataDir}; dashboard at ${urls.ui}`);
  return new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: draining listeners, closing the database');
      station.stop().then(
        () => done(0),
        (err: unknown) => {
          logger.error({ err }, 'unclean stop');
          done(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

async function run(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: flags, positionals } = parsed;
  const [command, sub] = positionals;
  if (flags.help === true || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && flags.help !== true ? 2 : 0;
  }
  const now = new Date();
  switch (command) {
    case 'serve':
      return serve(flags);
    case 'pairing-code': {
      const db = openData(flags, { create: true });
      const ttl = wholeNumber(flags['ttl-seconds'], 'ttl-seconds') ?? 600;
      if (ttl < 1 || ttl > 7 * 86_400) throw new UsageError('--ttl-seconds must be from 1 to 604800 (a week).');
      const { code, expiresAt } = createPairingCode(db, { ttlSeconds: ttl, now, actor: 'cli' });
      db.close();
      process.stdout.write(`${code}\n`);
      process.stderr.write(`Pairing code valid once, until ${expiresAt}.\n`);
      return 0;
    }
    case 'user': {
      if (sub !== 'add') throw new UsageError('Use "user add --username U --role supervisor|viewer" with the password on stdin.');
      if (flags.username === undefined || flags.role === undefined) throw new UsageError('user add needs --username and --role.');
      const db = openData(flags, { create: true });
      addUser(db, { username: flags.username, role: flags.role, password: await readStdin(), now, actor: 'cli' });
      db.close();
      process.stderr.write(`User ${flags.username} (${flags.role}) added.\n`);
      return 0;
    }
    case 'export': {
      const what = flags.what;
      if (what === undefined || !(EXPORTS as readonly string[]).includes(what)) throw new UsageError(`--what must be one of ${EXPORTS.join(', ')}.`);
      const format = flags.format ?? 'json';
      if (format !== 'json' && format !== 'csv') throw new UsageError('--format must be json or csv.');
      const db = openData(flags);
      const rows = exportTable(db, what as ExportWhat, format, (chunk) => process.stdout.write(chunk));
      db.close();
      process.stderr.write(`${rows} ${what} exported.\n`);
      return 0;
    }
    case 'audit': {
      if (sub !== 'verify') throw new UsageError('Use "audit verify --data-dir DIR".');
      const db = openData(flags);
      const result = verifyAudit(db);
      db.close();
      if (result.ok) {
        process.stdout.write(`audit chain intact: ${result.entries} entries, head ${result.headHash}\n`);
        return 0;
      }
      process.stdout.write(`audit chain BROKEN at entry ${result.firstBad.seq}: ${result.firstBad.problem}\n`);
      return 1;
    }
    case 'backup': {
      if (flags.to === undefined) throw new UsageError('backup needs --to FILE.');
      const target = resolve(flags.to);
      if (!existsSync(dirname(target))) throw new CommandError(`The folder ${dirname(target)} does not exist: create it first, or pick another --to.`);
      const db = openData(flags);
      await db.backup(target);
      db.close();
      const check = openDatabase(target, { readonly: true }).db;
      const audit = verifyAudit(check);
      check.close();
      process.stdout.write(`${target}\n`);
      process.stderr.write(`Backup written (${statSync(target).size} bytes); its audit chain is ${audit.ok ? 'intact' : 'BROKEN'}.\n`);
      return audit.ok ? 0 : 1;
    }
    case 'rebuild': {
      const db = openData(flags);
      const diff = rebuildProjection(db, loadEngineSettings(db));
      db.close();
      for (const m of diff.mismatches.slice(0, 20)) process.stdout.write(`${m}\n`);
      process.stdout.write(diff.ok ? `projection matches the history: ${diff.records} records\n` : `projection DIFFERS from the history in ${diff.mismatches.length} places\n`);
      return diff.ok ? 0 : 1;
    }
    case 'relay': {
      if (sub !== 'requeue-parked') throw new UsageError('Use "relay requeue-parked --data-dir DIR".');
      const db = openData(flags);
      const result = requeueParked(db, now.toISOString(), 'station:command-line');
      db.close();
      for (const r of result.requeued) process.stdout.write(`${r.lane} ${r.seq} -> ${r.newSeq}\n`);
      process.stderr.write(`${result.requeued.length} parked item(s) queued again${result.unreadable.length > 0 ? `; ${result.unreadable.length} the station cannot read left alone (${result.unreadable.join(', ')})` : ''}.\n`);
      return 0;
    }
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (err) {
    if (err instanceof UsageError || err instanceof UserError || err instanceof StationConfigError) {
      process.stderr.write(`wellos-station: ${err.message}\n`);
      return 2;
    }
    if (err instanceof CommandError) {
      process.stderr.write(`wellos-station: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`wellos-station: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
