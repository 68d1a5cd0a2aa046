/**
 * The store on real SQLite files: durability settings, migrations (with the automatic
 * backup), query plans of the hot lookups, the audit hash chain, quarantine, the outbox.
 */
import { copyFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/main/station/audit/audit-log.ts';
import { wellKeyCondition } from '../../src/main/station/db/key-ranges.ts';
import { defaultMigrationsFolder, openDatabase } from '../../src/main/station/db/open-database.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/shared/engine/policy.ts';
import { ev } from '../support/events.ts';
import { makeFixture, type Fixture } from '../support/station-fixture.ts';
import { makeTempDir } from '../support/temp-store.ts';

let f: Fixture | undefined;
afterEach(() => {
  f?.close();
  f = undefined;
});

describe('opening the database', () => {
  it('an empty file gets every table, WAL and synchronous=FULL', () => {
    const dir = makeTempDir();
    const { db, appliedMigrations, backupPath } = openDatabase(join(dir, 'station.db'));
    expect(appliedMigrations).toBeGreaterThan(0);
    expect(backupPath).toBeNull();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    for (const t of ['audit', 'batches', 'conflict_candidates', 'conflicts', 'decisions', 'devices', 'events', 'outbox', 'pairing_codes', 'photos', 'quarantine', 'records', 'relay_state', 'settings', 'users', 'wells']) {
      expect(tables).toContain(t);
    }
    db.close();
    expect(openDatabase(join(dir, 'station.db')).appliedMigrations).toBe(0);
  });

  it('a pending migration on an existing file runs after a backup that still holds the old data', () => {
    f = makeFixture();
    f.sync('tab-A', [ev.production({ oilBbl: 100 })]);
    f.db.close();
    const migrations = join(makeTempDir(), 'drizzle');
    cpSync(defaultMigrationsFolder(), migrations, { recursive: true });
    writeFileSync(join(migrations, '9999_probe.sql'), 'CREATE TABLE probe (id integer PRIMARY KEY);');
    const journal = JSON.parse(readFileSync(join(migrations, 'meta', '_journal.json'), 'utf8')) as { entries: Record<string, unknown>[] };
    journal.entries.push({ idx: journal.entries.length, version: '6', when: Date.now(), tag: '9999_probe', breakpoints: true });
    writeFileSync(join(migrations, 'meta', '_journal.json'), JSON.stringify(journal));
    const opened = openDatabase(f.file, { migrationsFolder: migrations });
    expect(opened.appliedMigrations).toBe(1);
    expect(opened.backupPath).not.toBeNull();
    expect(existsSync(opened.backupPath ?? '')).toBe(true);
    const backup = openDatabase(opened.backupPath ?? '', { readonly: true }).db;
    expect((backup.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(1);
    expect(backup.prepare("SELECT 1 FROM sqlite_master WHERE name = 'probe'").get()).toBeUndefined();
    expect(opened.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'probe'").get()).toBeDefined();
    backup.close();
    opened.db.close();
    f = undefined;
  });
});

describe('hot lookups use their index (EXPLAIN QUERY PLAN)', () => {
  const plan = (fx: Fixture, sql: string): string =>
    (fx.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x') as { detail: string }[]).map((r) => r.detail).join('; ');
  it('event id lookup (dedupe) searches events_id_unique', () => {
    f = makeFixture();
    expect(plan(f, 'SELECT seq FROM events WHERE id = ?')).toMatch(/SEARCH events USING (COVERING )?INDEX events_id_unique \(id=\?\)/);
  });
  it("a batch's held events and records are looked up in one query each, through the same indexes", () => {
    f = makeFixture();
    expect(plan(f, 'SELECT e.seq FROM json_each(?) j JOIN events e ON e.id = j.value')).toMatch(/SEARCH e USING (COVERING )?INDEX events_id_unique \(id=\?\)/);
    expect(plan(f, 'SELECT r.state FROM json_each(?) j JOIN records r ON r.key = j.value')).toMatch(/SEARCH r USING INDEX records_key_unique \(key=\?\)/);
  });
  it('record key lookup searches records_key_unique', () => {
    f = makeFixture();
    expect(plan(f, 'SELECT id, state FROM records WHERE key = ?')).toMatch(/SEARCH records USING INDEX records_key_unique \(key=\?\)/);
  });
  it('the changes feed walks the event log by its primary key', () => {
    f = makeFixture();
    expect(plan(f, 'SELECT seq, record_id FROM events WHERE seq > ? ORDER BY seq')).toMatch(/SEARCH events USING INTEGER PRIMARY KEY \(rowid>\?\)/);
  });
  it("a well's records are key ranges on the key index", () => {
    f = makeFixture();
    const c = wellKeyCondition('W-42');
    const detail = (f.db.prepare(`EXPLAIN QUERY PLAN SELECT key FROM records WHERE ${c.sql}`).all(...c.params) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(detail).toMatch(/records_key_unique \(key>\? AND key<\?\)/);
    expect(detail).not.toMatch(/SCAN records/);
  });
});

describe('audit hash chain', () => {
  it('verifies after ingest and decisions, and fails at the first tampered row', () => {
    f = makeFixture();
    for (let i = 0; i < 5; i++) f.sync(`tab-${i}`, [ev.note({ text: `note ${i}` })]);
    expect(verifyAudit(f.db)).toMatchObject({ ok: true, entries: 5 });
    f.db.prepare("UPDATE audit SET details = replace(details, 'clockSkewMs', 'clockSkew') WHERE seq = 3").run();
    expect(verifyAudit(f.db)).toMatchObject({ ok: false, firstBad: { seq: 3 } });
  });

  it('a removed row breaks the chain at the row after it', () => {
    f = makeFixture();
    for (let i = 0; i < 4; i++) f.sync('tab-A', [ev.note({ text: `n${i}` })]);
    f.db.prepare('DELETE FROM audit WHERE seq = 2').run();
    expect(verifyAudit(f.db)).toMatchObject({ ok: false, firstBad: { seq: 3 } });
  });
});

describe('bad input never aborts a batch, and nothing sent is lost', () => {
  it('each rejected element is quarantined raw with its reason; the good ones still apply', () => {
    f = makeFixture();
    const good = ev.note({ text: 'fine' });
    const bads: unknown[] = [
      null,
      42,
      'text',
      [],
      { type: 'NOTES_ADDED' },
      { id: '', type: 'NOTES_ADDED' },
      { id: 'b1', type: 'NOTES_ADDED', operatorId: 'op', occurredAt: 'yesterday', payload: { wellId: 'W', text: 't', notedAt: '2026-06-10T15:00:00.000Z' } },
      { id: 'b2', type: 'PRODUCTION_LOGGED', operatorId: 'op', occurredAt: '2026-06-10T15:00:00.000Z', payload: { wellId: 'W', measuredAt: '2026-06-10T15:00:00.000Z', oilBbl: '12', gasMcf: 1, waterBbl: 1 } },
      { id: 'b3', type: 'NOTES_ADDED', operatorId: 'op', occurredAt: '2026-06-10T15:00:00.000Z', payload: { wellId: "W'; DROP TABLE events;--", text: '<script>alert(1)</script>'.repeat(3), notedAt: 'x' } },
      { id: 'b4', type: 'NOTES_ADDED', operatorId: 'op', occurredAt: '2026-06-10T15:00:00.000Z', payload: { wellId: 'W', text: 'x'.repeat(10_001), notedAt: '2026-06-10T15:00:00.000Z' } },
    ];
    const res = f.sync('tab-A', [...bads, good]);
    expect(res.slice(0, bads.length).every((r) => r.status === 'REJECTED')).toBe(true);
    expect(res.at(-1)).toMatchObject({ status: 'APPLIED' });
    for (const r of res.slice(0, bads.length)) expect(r.status === 'REJECTED' && r.error.message.length).toBeGreaterThan(10);
    expect(f.count('quarantine')).toBe(bads.length);
    const raws = (f.db.prepare('SELECT raw FROM quarantine ORDER BY id').all() as { raw: string }[]).map((r) => JSON.parse(r.raw) as unknown);
    expect(raws).toEqual(bads);
    f.sync('tab-A', bads);
    expect(f.count('quarantine')).toBe(bads.length);
    expect(f.count('events')).toBe(1);
  });

  it('the same id with other content is EVENT_ID_REUSED and the held event is untouched', () => {
    f = makeFixture();
    const a = ev.production({ oilBbl: 100 }, { id: 'same' });
    f.sync('tab-A', [a]);
    const res = f.sync('tab-B', [{ ...a, payload: { ...(a['payload'] as object), oilBbl: 999 } }, { ...a, baseVersion: 1 }]);
    expect(res).toEqual([
      { eventId: 'same', status: 'REJECTED', error: { code: 'EVENT_ID_REUSED', message: expect.stringContaining('already used') } },
      { eventId: 'same', status: 'DUPLICATE' },
    ]);
    expect(f.record('production/W-42/2026-06-10')?.value['oilBbl']).toBe(100);
  });
});

describe('the outbox is written with what it relays', () => {
  it('each accepted event gets one row in its lane, numbered 1, 2, 3 …; conflicts go critical', () => {
    f = makeFixture();
    f.sync('tab-A', [ev.production({ oilBbl: 100 }), ev.reading({ value: 5 }), ev.note({ text: 'n' }), ev.inspection({ result: 'PASS' })]);
    f.sync('tab-B', [ev.inspection({ result: 'FAIL' })]);
    const rows = f.db.prepare('SELECT lane, seq, kind FROM outbox ORDER BY lane, seq').all();
    expect(rows).toEqual([
      { lane: 'critical', seq: 1, kind: 'event' },
      { lane: 'critical', seq: 2, kind: 'event' },
      { lane: 'critical', seq: 3, kind: 'conflict' },
      { lane: 'notes', seq: 1, kind: 'event' },
      { lane: 'production', seq: 1, kind: 'event' },
      { lane: 'readings', seq: 1, kind: 'event' },
    ]);
  });

  it('a batch that fails mid-way leaves nothing behind (one transaction)', () => {
    f = makeFixture();
    f.sync('tab-A', [ev.note({ text: 'before' })]);
    const before = { events: f.count('events'), outbox: f.count('outbox'), audit: f.count('audit'), records: f.count('records') };
    f.db.exec("CREATE TRIGGER boom BEFORE INSERT ON outbox WHEN NEW.lane = 'readings' BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => f?.sync('tab-A', [ev.note({ text: 'x' }), ev.reading({ value: 1 })])).toThrow(/disk full/);
    expect({ events: f.count('events'), outbox: f.count('outbox'), audit: f.count('audit'), records: f.count('records') }).toEqual(before);
  });
});

it('backup copy of a store opens and verifies', () => {
  f = makeFixture();
  f.sync('tab-A', [ev.note({ text: 'n' })]);
  f.db.pragma('wal_checkpoint(TRUNCATE)');
  const copy = join(f.dir, 'copy.db');
  copyFileSync(f.file, copy);
  const { db } = openDatabase(copy);
  expect(verifyAudit(db).ok).toBe(true);
  db.close();
});

describe('reasons name the rule that applied', () => {
  it('a review of a safety type says safety-critical; one the policy asks for on another type says it is the policy', () => {
    const fx = makeFixture({ policy: { ...DEFAULT_ENGINE_SETTINGS.policy, PRODUCTION_LOGGED: 'MANUAL_REVIEW' } });
    f = fx;
    fx.sync('tab-A', [ev.production({ oilBbl: 120 }), ev.inspection({ result: 'PASS' })]);
    const [production, inspection] = fx.sync('tab-B', [ev.production({ oilBbl: 121 }), ev.inspection({ result: 'FAIL' })]);
    expect(production).toMatchObject({ status: 'CONFLICT', outcome: 'MANUAL_REVIEW', reason: expect.stringContaining("the station's policy sends these to a supervisor") });
    expect(production).not.toMatchObject({ reason: expect.stringContaining('safety') });
    expect(inspection).toMatchObject({ status: 'CONFLICT', outcome: 'MANUAL_REVIEW', reason: expect.stringContaining('safety-critical') });
  });
});
