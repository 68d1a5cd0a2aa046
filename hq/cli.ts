/**
 * `npm run hq -- [serve] [--port 8080] [--host 127.0.0.1] [--data-dir DIR] [--database-url postgres://…]`
 * starts the receiver and prints `READY {"url": …}` on stdout (logs go to stderr).
 * Without `--database-url` it runs PGlite in `DATA-DIR/pglite` (default `./hq-data`), so it
 * needs no server. PGlite is single-process (`DATA-DIR/hq.lock` says so): run the admin
 * commands below with the server stopped, or use PostgreSQL.
 *
 * `add-station --station-id ID --tenant T` prints a fresh station key (HQ keeps its SHA-256).
 * `add-well --tenant T --well-id W --name NAME --primary-product oil|gas` upserts a well.
 * `conflicts --tenant T [--status S] [--json]` lists HQ-level conflicts (across stations).
 * `decide --tenant T --conflict ID --choose EVENT_ID --by NAME --comment TEXT` decides one;
 * stations receive the decision with their next `updates`.
 * `rejects --tenant T [--json]` lists relayed items the HQ engine could not apply.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { ConflictStatus } from '../src/shared/engine/types.ts';
import { addStation, upsertWell } from './admin.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { createPgliteSql, createPostgresSql, type Sql } from './db.ts';
import { formatConflicts, formatDecision, formatRejects } from './conflict-output.ts';
import { decideConflict, HqDecisionError, listConflicts, listEngineRejects } from './hq-conflicts.ts';
import { migrate } from './schema.ts';
import { buildHqServer } from './server.ts';

const USAGE = `usage:
  hq [serve] [--port 8080] [--host 127.0.0.1] [--data-dir DIR] [--database-url postgres://…]
  hq add-station --station-id ID --tenant T [--data-dir DIR | --database-url URL]
  hq add-well --tenant T --well-id W --name NAME --primary-product oil|gas [--data-dir DIR | --database-url URL]
  hq conflicts --tenant T [--status PENDING_REVIEW|AUTO_RESOLVED|RESOLVED] [--json] [--data-dir DIR | --database-url URL]
  hq decide --tenant T --conflict ID --choose EVENT_ID --by NAME --comment TEXT [--data-dir DIR | --database-url URL]
  hq rejects --tenant T [--json] [--data-dir DIR | --database-url URL]`;

const CONFLICT_STATUSES: readonly ConflictStatus[] = ['PENDING_REVIEW', 'AUTO_RESOLVED', 'RESOLVED'];

class UsageError extends Error {}

async function openSql(values: { 'data-dir'?: string | undefined; 'database-url'?: string | undefined }): Promise<Sql> {
  const url = values['database-url'] ?? process.env['HQ_DATABASE_URL'];
  let sql: Sql;
  if (url !== undefined && url !== '') {
    sql = createPostgresSql(url);
  } else {
    const dataDir = resolve(values['data-dir'] ?? process.env['HQ_DATA_DIR'] ?? 'hq-data');
    const unlock = lockDataDir(dataDir);
    const pglite = await createPgliteSql(join(dataDir, 'pglite'));
    sql = {
      ...pglite,
      async close() {
        await pglite.close();
        unlock();
      },
    };
  }
  await migrate(sql);
  return sql;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [first] = argv;
  const command = first === undefined || first.startsWith('-') ? 'serve' : first;
  const rest = command === first ? argv.slice(1) : argv;
  const { values } = parseArgs({
    args: [...rest],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      'station-id': { type: 'string' },
      tenant: { type: 'string' },
      'well-id': { type: 'string' },
      name: { type: 'string' },
      'primary-product': { type: 'string' },
      status: { type: 'string' },
      json: { type: 'boolean' },
      conflict: { type: 'string' },
      choose: { type: 'string' },
      by: { type: 'string' },
      comment: { type: 'string' },
    },
    strict: true,
  });

  switch (command) {
    case 'serve': {
      const port = Number(values.port ?? '8080');
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError('--port must be 0–65535');
      const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'info', base: { app: 'wellos-hq' } }, pino.destination({ fd: 2, sync: true }));
      const sql = await openSql(values);
      const app = buildHqServer({ sql, logger });
      const url = await app.listen({ port, host: values.host ?? '127.0.0.1' });
      process.stdout.write(`READY ${JSON.stringify({ url, database: sql.kind })}\n`);
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await app.close();
      await sql.close();
      return 0;
    }
    case 'add-station': {
      const stationId = required(values['station-id'], '--station-id');
      const tenantId = required(values.tenant, '--tenant');
      const sql = await openSql(values);
      try {
        const { stationKey } = await addStation(sql, { stationId, tenantId });
        process.stdout.write(`${stationKey}\n`);
      } finally {
        await sql.close();
      }
      return 0;
    }
    case 'add-well': {
      const primaryProduct = required(values['primary-product'], '--primary-product');
      if (primaryProduct !== 'oil' && primaryProduct !== 'gas') throw new UsageError('--primary-product must be oil or gas');
      const well = { wellId: required(values['well-id'], '--well-id'), name: required(values.name, '--name'), primaryProduct } as const;
      const tenantId = required(values.tenant, '--tenant');
      const sql = await openSql(values);
      try {
        await upsertWell(sql, tenantId, well);
      } finally {
        await sql.close();
      }
      return 0;
    }
    case 'conflicts': {
      const status = values.status;
      if (status !== undefined && !(CONFLICT_STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status must be one of ${CONFLICT_STATUSES.join(', ')}`);
      const tenantId = required(values.tenant, '--tenant');
      return withSql(values, async (sql) => formatConflicts(await listConflicts(sql, tenantId, status === undefined ? {} : { status: status as ConflictStatus }), values.json === true));
    }
    case 'decide': {
      const tenantId = required(values.tenant, '--tenant');
      const request = { conflictId: required(values.conflict, '--conflict'), choose: required(values.choose, '--choose'), decidedBy: required(values.by, '--by'), comment: values.comment ?? '' };
      return withSql(values, async (sql) => formatDecision(request, await decideConflict(sql, tenantId, request, { now: () => new Date() })));
    }
    case 'rejects': {
      const tenantId = required(values.tenant, '--tenant');
      return withSql(values, async (sql) => formatRejects(await listEngineRejects(sql, tenantId), values.json === true));
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

/** Runs a command on the database and prints what it returns. */
async function withSql(values: { 'data-dir'?: string | undefined; 'database-url'?: string | undefined }, run: (sql: Sql) => Promise<string>): Promise<number> {
  const sql = await openSql(values);
  try {
    process.stdout.write(await run(sql));
  } finally {
    await sql.close();
  }
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof HqDecisionError ? ` (${error.code})` : '';
  process.stderr.write(`hq: ${message}${code}\n${error instanceof UsageError || error instanceof TypeError ? `${USAGE}\n` : ''}`);
  process.exitCode = error instanceof UsageError || error instanceof TypeError ? 2 : 1;
}
