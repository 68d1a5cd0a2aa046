/**
 * The station's identity: a stationId made once, at first start, and the tenant it
 * belongs to (set by HQ; "default" until then). Kept in the settings table.
 */
import { randomUUID } from 'node:crypto';
import type { StationDb } from './db/open-database.ts';

export interface StationIdentity {
  stationId: string;
  tenantId: string;
}

function readSetting(db: StationDb, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.value) as string);
}

export function ensureIdentity(db: StationDb, at: string): StationIdentity {
  return db.transaction((): StationIdentity => {
    const insert = db.prepare('INSERT OR IGNORE INTO settings (key, value, updated_at) VALUES (?, ?, ?)');
    insert.run('stationId', JSON.stringify(`st-${randomUUID()}`), at);
    insert.run('tenantId', JSON.stringify('default'), at);
    return { stationId: readSetting(db, 'stationId') ?? '', tenantId: readSetting(db, 'tenantId') ?? 'default' };
  }).immediate();
}
