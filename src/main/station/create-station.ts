/**
 * The composition root of the station core (architecture.md): opens the database,
 * makes the identity, and builds the services — the LAN device API, the UI listener,
 * mDNS. Used by the headless shell, the Electron shell and the tests alike. Services
 * start and stop as a unit; stop drains the listeners before the database closes.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { EngineSettings } from '../../shared/engine/types.ts';
import { isValidTimeZone } from '../../shared/time/field-day.ts';
import { ChangeBus } from './api/change-bus.ts';
import { createHandlers, type Handlers } from './api/handlers.ts';
import { appendAudit } from './audit/audit-log.ts';
import { openDatabase, type StationDb } from './db/open-database.ts';
import { findUp } from './find-up.ts';
import { ensureIdentity, type StationIdentity } from './identity.ts';
import { prepareStatements } from './ingest/statements.ts';
import { HeldKeys } from './ingest/held-keys.ts';
import { guardWrites, WriteQueue } from './ingest/write-queue.ts';
import type { Store } from './ingest/write-session.ts';
import { buildLanServer } from './lan/lan-server.ts';
import { startMdns, type MdnsHandle } from './lan/mdns.ts';
import { OutboxSource } from './relay/outbox-source.ts';
import { RelayService } from './relay/relay-service.ts';
import { loadEngineSettings, readRelayConfig, readSettings, writeSettings } from './settings/settings-store.ts';
import { registerApiRoutes } from './ui/api-routes.ts';
import { buildUiServer } from './ui/ui-server.ts';

export interface StationOptions {
  dataDir: string;
  lanHost?: string;
  lanPort?: number;
  uiHost?: string;
  uiPort?: number;
  timeZone?: string;
  gaugeDayStartHour?: number;
  hqUrl?: string;
  hqKey?: string;
  /** Announce `_wellos-station._tcp` on the LAN (off by default). */
  mdns?: boolean;
  logger: Logger;
  now?: () => Date;
  /** Built dashboard folder; defaults to out/renderer next to the project. */
  staticDir?: string | null;
}

export interface Station {
  readonly identity: StationIdentity;
  readonly dataDir: string;
  readonly store: Store;
  readonly db: StationDb;
  /** Change events for the dashboard's live feed. */
  readonly bus: ChangeBus;
  /** The StationApi handler map, shared by the HTTP and IPC transports. */
  readonly api: Handlers;
  engineSettings(): EngineSettings;
  reloadSettings(): void;
  start(): Promise<{ lan: string; ui: string }>;
  stop(): Promise<void>;
}

export class StationConfigError extends Error {}

function isThisProject(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'wellos-field-station';
  } catch {
    return false;
  }
}

/** The nearest folder above this module whose package.json is this project's. */
function projectRoot(): string {
  return findUp(dirname(fileURLToPath(import.meta.url)), isThisProject) ?? process.cwd();
}

export function stationVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** The first non-internal IPv4 address: what tablets on the office LAN can reach. */
function lanAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

function urlOf(app: FastifyInstance, host: string): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

export function createStation(options: StationOptions): Station {
  const now = options.now ?? (() => new Date());
  if (options.timeZone !== undefined && !isValidTimeZone(options.timeZone)) {
    throw new StationConfigError(`"${options.timeZone}" is not an IANA time zone (for example America/Chicago).`);
  }
  const hour = options.gaugeDayStartHour;
  if (hour !== undefined && (!Number.isInteger(hour) || hour < 0 || hour > 23)) {
    throw new StationConfigError('--gauge-day-start-hour must be a whole hour from 0 to 23.');
  }
  mkdirSync(options.dataDir, { recursive: true });
  const photosDir = join(options.dataDir, 'photos');
  mkdirSync(photosDir, { recursive: true });
  const dbFile = join(options.dataDir, 'station.db');
  const opened = openDatabase(dbFile, { now });
  const db = opened.db;
  if (opened.backupPath !== null) options.logger.info({ backup: opened.backupPath }, 'database backed up before migrating');
  // Device batches are written on the writer thread; every other write on this connection
  // first waits until the writer has finished the batches it was sent (write-queue.ts).
  let writes: WriteQueue | null = null;
  guardWrites(db, () => writes?.drain());
  // This connection reads (dashboard, planning); the writer thread's own cache holds
  // what batches write, and each of its commits empties this one's anyway: 2 MiB, the
  // rest comes from the OS's file cache. (8 MiB measured no faster, ~10 MB more RSS.)
  db.pragma('cache_size = -2048');
  // Checkpoints are the checkpoint thread's (checkpoint-thread.ts), never inside a commit here.
  db.pragma('wal_autocheckpoint = 0');
  const store: Store = { db, stmts: prepareStatements(db), held: new HeldKeys(db) };
  writes = new WriteQueue({ file: dbFile, store, onWriterError: (err) => options.logger.error({ err }, 'writer thread failed') });
  const queue = writes;
  const identity = ensureIdentity(db, now().toISOString());

  const change: Record<string, unknown> = {};
  const current = readSettings(db);
  if (options.timeZone !== undefined && options.timeZone !== current.timeZone) change['timeZone'] = options.timeZone;
  if (hour !== undefined && hour !== current.gaugeDayStartHour) change['gaugeDayStartHour'] = hour;
  if (options.hqUrl !== undefined) change['hqUrl'] = options.hqUrl;
  if (options.hqKey !== undefined) change['hqKey'] = options.hqKey;
  if (Object.keys(change).length > 0) {
    const at = now().toISOString();
    db.transaction(() => {
      writeSettings(db, change, at);
      const shown = change['hqKey'] === undefined ? change : { ...change, hqKey: '(set)' };
      appendAudit(db, { at, actor: 'station:command-line', action: 'settings.update', subject: 'settings', details: shown });
    }).immediate();
  }

  let settings = loadEngineSettings(db);
  const bus = new ChangeBus();
  const relay = new RelayService({
    source: new OutboxSource(db),
    photosDir,
    db,
    store,
    onDecided: (conflictIds) => {
      for (const conflictId of conflictIds) bus.publish({ kind: 'decided', conflictId, at: now().toISOString() });
    },
    onReferenceData: () => {
      settings = loadEngineSettings(db);
      bus.publish({ kind: 'settings', at: now().toISOString() });
    },
    identity,
    logger: options.logger.child({ service: 'relay' }),
    now,
    config: () => readRelayConfig(db, settings.timeZone),
    onChange: () => bus.publish({ kind: 'relay', at: now().toISOString() }),
  });
  const reloadSettings = (): void => {
    settings = loadEngineSettings(db);
    relay.restart();
  };
  bus.subscribe((change) => {
    if (change.kind === 'decided') relay.wake();
  });
  const version = stationVersion();
  let lanUrl = '';
  const lan = buildLanServer({
    store,
    identity,
    version,
    photosDir,
    logger: options.logger,
    now,
    engineSettings: () => settings,
    ingest: (batch, ctx) => queue.ingest(batch, ctx),
    onSynced: (deviceId, summary) => {
      bus.publish({ kind: 'synced', deviceId, summary, at: now().toISOString() });
      relay.wake();
    },
  });
  const health = (): unknown => ({ status: 'ok', stationId: identity.stationId, tenantId: identity.tenantId, version, protocol: 1, time: now().toISOString() });
  const staticDir = options.staticDir === undefined ? join(projectRoot(), 'out', 'renderer') : options.staticDir;
  const apiDeps = { store, identity, now, engineSettings: () => settings, reloadSettings, bus, lanUrl: () => lanUrl, linkStatus: () => relay.status() };
  const api = createHandlers(apiDeps);
  const ui = buildUiServer({ logger: options.logger, staticDir, health, registerApi: (app) => registerApiRoutes(app, { ...apiDeps, photosDir, handlers: api }) });
  let mdns: MdnsHandle | null = null;
  let started = false;

  return {
    identity,
    dataDir: options.dataDir,
    store,
    db,
    bus,
    api,
    engineSettings: () => settings,
    reloadSettings,
    async start() {
      const lanHost = options.lanHost ?? '0.0.0.0';
      const uiHost = options.uiHost ?? '127.0.0.1';
      await lan.listen({ host: lanHost, port: options.lanPort ?? 7420 });
      await ui.listen({ host: uiHost, port: options.uiPort ?? 7421 });
      started = true;
      const address = lan.server.address();
      if (options.mdns === true && typeof address === 'object' && address !== null) {
        mdns = startMdns({ port: address.port, stationId: identity.stationId, logger: options.logger });
      }
      relay.start();
      queue.start();
      // What the database holds goes into the filters after READY, a slice at a time.
      setImmediate(() => {
        if (db.open) store.held?.reload();
      });
      const local = urlOf(lan, lanHost);
      // Tablets get the LAN address when the listener is on every interface, else the bound one.
      const lanIp = lanHost === '0.0.0.0' || lanHost === '::' ? lanAddress() : null;
      lanUrl = lanIp === null ? local : local.replace('127.0.0.1', lanIp);
      return { lan: local, ui: urlOf(ui, uiHost) };
    },
    async stop() {
      relay.stop();
      if (mdns !== null) await mdns.stop();
      if (started) await Promise.all([lan.close(), ui.close()]);
      started = false;
      await queue.close();
      if (db.open) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      }
    },
  };
}
