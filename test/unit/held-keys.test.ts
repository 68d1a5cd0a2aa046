/**
 * The filters of what the station holds (held-keys.ts): never "not held" for what was
 * added, rarely "maybe" for what was not; until the database's rows are read, everything
 * may be held; rows read in slices, and what is planned meanwhile, are all in.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HeldKeys, KeyFilter } from '../../src/main/station/ingest/held-keys.ts';

describe('KeyFilter', () => {
  it('has every key added, and few it was not given (under 2 % at capacity)', () => {
    const filter = new KeyFilter(50_000);
    const added = Array.from({ length: 50_000 }, (_, i) => `ev-${i}-${(i * 7919) % 1000}`);
    for (const k of added) filter.add(k);
    expect(added.every((k) => filter.mayHave(k))).toBe(true);
    const others = Array.from({ length: 50_000 }, (_, i) => `other-${i}`);
    const falsePositives = others.filter((k) => filter.mayHave(k)).length;
    expect(falsePositives / others.length).toBeLessThan(0.02);
    expect(filter.count).toBe(50_000);
  });

  it('tells apart keys that differ in one character, and the empty string', () => {
    const filter = new KeyFilter(10);
    filter.add('reading/W-1/TUBING_PRESSURE/2026-06-10');
    expect(filter.mayHave('reading/W-1/TUBING_PRESSURE/2026-06-10')).toBe(true);
    expect(filter.mayHave('reading/W-1/TUBING_PRESSURE/2026-06-11')).toBe(false);
    expect(filter.mayHave('')).toBe(false);
  });
});

describe('HeldKeys', () => {
  function dbWith(events: number, records: number): Database.Database {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE); CREATE TABLE records (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE)');
    const e = db.prepare('INSERT INTO events (id) VALUES (?)');
    const r = db.prepare('INSERT INTO records (key) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < events; i++) e.run(`e-${i}`);
      for (let i = 0; i < records; i++) r.run(`k-${i}`);
    })();
    return db;
  }

  it('says "maybe" for everything until loaded; then has every row the database held, read in slices, and what was added meanwhile', async () => {
    const db = dbWith(45_000, 30_000);
    const held = new HeldKeys(db);
    expect(held.mayHoldEvent('anything')).toBe(true);
    held.reload();
    held.addEvent('planned-while-loading');
    held.addRecord('key-planned-while-loading');
    expect(held.mayHoldRecord('not-there')).toBe(true);
    await held.loaded;
    for (let i = 0; i < 45_000; i += 997) expect(held.mayHoldEvent(`e-${i}`)).toBe(true);
    expect(held.mayHoldEvent('e-44999')).toBe(true);
    expect(held.mayHoldRecord('k-29999')).toBe(true);
    expect(held.mayHoldEvent('planned-while-loading')).toBe(true);
    expect(held.mayHoldRecord('key-planned-while-loading')).toBe(true);
    const unknown = Array.from({ length: 1000 }, (_, i) => `new-${i}`);
    expect(unknown.filter((k) => held.mayHoldEvent(k)).length).toBeLessThan(20);
    held.addEvent('new-after');
    expect(held.mayHoldEvent('new-after')).toBe(true);
  });

  it('grows: past its capacity it reads the database again into larger filters', async () => {
    const db = dbWith(10, 10);
    const held = new HeldKeys(db);
    held.reload();
    await held.loaded;
    const insert = db.prepare('INSERT INTO events (id) VALUES (?)');
    for (let i = 0; i <= 131_072; i++) {
      insert.run(`g-${i}`);
      held.addEvent(`g-${i}`);
    }
    expect(held.mayHoldEvent('never-added-but-loading')).toBe(true);
    await held.loaded;
    expect(held.mayHoldEvent('g-0')).toBe(true);
    expect(held.mayHoldEvent('g-131072')).toBe(true);
    expect(held.mayHoldEvent('never-added')).toBe(false);
  });
});
