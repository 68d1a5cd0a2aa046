/**
 * A station relaying to a real HQ receiver (PGlite) through the satellite-link emulator,
 * all on loopback in the test's process: what the relay tests stand on.
 */
import type { FastifyInstance } from 'fastify';
import { addStation } from '../../hq/admin.ts';
import { createPgliteSql, type Sql } from '../../hq/db.ts';
import { migrate } from '../../hq/schema.ts';
import { buildHqServer } from '../../hq/server.ts';
import { createStation, type Station } from '../../src/main/station/create-station.ts';
import { silentLogger } from '../../src/main/station/logger.ts';
import { createSatLink, type SatLinkOptions } from '../../tools/sat-link/sat-link.ts';
import { makeTempDir } from './temp-store.ts';

export const SUPERVISOR = { username: 'marta', role: 'supervisor' as const };

export interface RelayRig {
  sql: Sql;
  hq: FastifyInstance;
  link: Awaited<ReturnType<typeof createSatLink>>;
  station: Station;
  /** The station's device API. */
  lan: string;
  close(): Promise<void>;
}

/** HQ (on `sql`, else a fresh PGlite), then the link in front of it, then a station whose HQ link goes through the link. */
export async function startRelayRig(linkOptions: Omit<SatLinkOptions, 'targetHost' | 'targetPort'>, hqSql?: Sql): Promise<RelayRig> {
  const sql = hqSql ?? (await createPgliteSql());
  await migrate(sql);
  const hq = buildHqServer({ sql, logger: silentLogger() });
  const hqPort = Number(new URL(await hq.listen({ host: '127.0.0.1', port: 0 })).port);
  const link = await createSatLink({ ...linkOptions, targetHost: '127.0.0.1', targetPort: hqPort });
  const station = createStation({ dataDir: makeTempDir(), lanHost: '127.0.0.1', lanPort: 0, uiPort: 0, logger: silentLogger(), timeZone: 'America/Denver', staticDir: null });
  const lan = (await station.start()).lan;
  const { stationKey } = await addStation(sql, { stationId: station.identity.stationId, tenantId: 'default' });
  await station.api.updateSettings({ hqUrl: `http://127.0.0.1:${link.port}`, hqKey: stationKey }, SUPERVISOR);
  return {
    sql,
    hq,
    link,
    station,
    lan,
    close: async () => {
      await station.stop();
      await link.close();
      await hq.close();
      await sql.close();
    },
  };
}
