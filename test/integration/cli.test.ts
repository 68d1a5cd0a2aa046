/**
 * The command line of protocol §3 as real child processes, including every command
 * against a data dir that a running `serve` is using.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ev } from '../support/events.ts';
import { Tablet } from '../support/lan-client.ts';
import { runCli, serve, type Served } from '../support/cli-process.ts';
import { makeTempDir } from '../support/temp-store.ts';

describe('wellos-station while serve runs', () => {
  const dir = makeTempDir();
  let served: Served;
  let tablet: Tablet;

  beforeAll(async () => {
    served = await serve(dir);
    const pair = async (t: Tablet): Promise<void> => {
      const code = await runCli(['pairing-code', '--data-dir', dir]);
      const paired = await t.pair(code.stdout.trim());
      if (code.code !== 0 || paired.status !== 201) throw new Error(`pairing ${t.deviceId} failed: ${code.stderr}`);
    };
    tablet = new Tablet(served.lan, 'tab-1');
    await pair(tablet);
    const r = await tablet.sync([ev.production({ oilBbl: 100 }), ev.note({ text: 'gate, "open"\nline two' }), { id: 'bad', type: 'NOPE' }]);
    if (r.status !== 200) throw new Error(`sync failed: ${r.status}`);
    const other = new Tablet(served.lan, 'tab-2');
    await pair(other);
    await other.sync([ev.production({ oilBbl: 110 })]);
  });
  afterAll(async () => {
    served.child.kill('SIGTERM');
    await served.exited;
  });

  it('serve prints one READY line with both URLs and the station id', () => {
    expect(served.lan).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.ui).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.stationId).toMatch(/^st-/);
    expect(served.stderr()).toContain('"level"');
  });

  it('export --what events as JSON: an array of wire-shaped objects', async () => {
    const r = await runCli(['export', '--data-dir', dir, '--what', 'events']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ type: 'PRODUCTION_LOGGED', deviceId: 'tab-1', status: 'APPLIED', recordKey: expect.stringMatching(/^production\//), payload: { oilBbl: 100 } });
  });

  it('export as CSV quotes commas, quotes and newlines', async () => {
    const r = await runCli(['export', '--data-dir', dir, '--what', 'records', '--format', 'csv']);
    expect(r.code).toBe(0);
    const [header] = r.stdout.split('\r\n');
    expect(header).toBe('key,type,wellId,version,status,value,valueFrom,conflictId,updatedAt');
    expect(r.stdout).toContain('""gate, \\""open\\""\\nline two""');
  });

  it('exports conflicts, audit and quarantine', async () => {
    for (const what of ['conflicts', 'audit', 'quarantine']) {
      const r = await runCli(['export', '--data-dir', dir, '--what', what]);
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('audit verify exits 0 on an intact chain', async () => {
    const r = await runCli(['audit', 'verify', '--data-dir', dir]);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('audit chain intact') });
  });

  it('backup makes a consistent copy while the station runs', async () => {
    const to = join(makeTempDir(), 'copy.db');
    const r = await runCli(['backup', '--data-dir', dir, '--to', to]);
    expect(r.code).toBe(0);
    expect(existsSync(to)).toBe(true);
    const copy = new Database(to, { readonly: true });
    expect(copy.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 3 });
    copy.close();
  });

  it('user add reads the password from stdin and refuses duplicates and short passwords', async () => {
    expect((await runCli(['user', 'add', '--data-dir', dir, '--username', 'marta', '--role', 'supervisor'], { input: 'correct horse battery\n' })).code).toBe(0);
    const dup = await runCli(['user', 'add', '--data-dir', dir, '--username', 'marta', '--role', 'viewer'], { input: 'another password' });
    expect(dup).toMatchObject({ code: 2, stderr: expect.stringContaining('already exists') });
    expect((await runCli(['user', 'add', '--data-dir', dir, '--username', 'kim', '--role', 'viewer'], { input: 'short' })).stderr).toContain('at least 8');
    expect((await runCli(['user', 'add', '--data-dir', dir, '--username', 'kim', '--role', 'admin'], { input: 'long enough pw' })).stderr).toContain('--role');
  });

  it('rebuild confirms the projection matches the history', async () => {
    expect(await runCli(['rebuild', '--data-dir', dir])).toMatchObject({ code: 0, stdout: expect.stringContaining('matches') });
  });
});

describe('wellos-station misuse and failure', () => {
  it('an unknown command or flag exits 2 with the usage', async () => {
    expect(await runCli(['launch'])).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: wellos-station') });
    expect(await runCli(['export', '--colour', 'red'])).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--colour'") });
  });

  it('commands that read a station on a folder without one say so and exit 1, creating nothing', async () => {
    const dir = makeTempDir();
    for (const args of [['audit', 'verify'], ['export', '--what', 'events'], ['backup', '--to', join(dir, 'copy.db')]]) {
      const r = await runCli([...args, '--data-dir', dir]);
      expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('No station database') });
    }
    expect(existsSync(join(dir, 'station.db'))).toBe(false);
  });

  it('users and pairing codes can be set up before the first serve; serve then uses them', async () => {
    const dir = join(makeTempDir(), 'new-station');
    expect(await runCli(['user', 'add', '--data-dir', dir, '--username', 'marta', '--role', 'supervisor'], { input: 'a good password\n' })).toMatchObject({
      code: 0,
      stderr: expect.stringContaining('Created a new station database'),
    });
    const code = await runCli(['pairing-code', '--data-dir', dir]);
    expect(code.code).toBe(0);
    const station = await serve(dir);
    try {
      await new Tablet(station.lan, 'tab-early').pair(code.stdout.trim());
      const login = await fetch(`${station.ui}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'marta', password: 'a good password' }) });
      expect(login.status).toBe(200);
    } finally {
      station.child.kill('SIGTERM');
      await station.exited;
    }
  });

  it('backup to a folder that does not exist is one clear line, exit 1', async () => {
    const dir = makeTempDir();
    expect((await runCli(['pairing-code', '--data-dir', dir])).code).toBe(0);
    const r = await runCli(['backup', '--data-dir', dir, '--to', join(dir, 'missing', 'copy.db')]);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('does not exist') });
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('serve refuses a bad time zone with a clear message', async () => {
    const r = await runCli(['serve', '--data-dir', makeTempDir(), '--timezone', 'Mars/Olympus']);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('not an IANA time zone') });
  });

  it('SIGTERM stops serve cleanly (exit 0); audit verify exits 1 at a tampered entry', async () => {
    const dir = makeTempDir();
    const served = await serve(dir);
    const t = new Tablet(served.lan, 'tab-1');
    await t.pair((await runCli(['pairing-code', '--data-dir', dir])).stdout.trim());
    await t.sync([ev.note({ text: 'one' })]);
    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
    const db = new Database(join(dir, 'station.db'));
    db.prepare("UPDATE audit SET actor = 'someone else' WHERE seq = 2").run();
    db.close();
    expect(await runCli(['audit', 'verify', '--data-dir', dir])).toMatchObject({ code: 1, stdout: expect.stringContaining('BROKEN at entry 2') });
  });
});
