/**
 * `hq/cli.ts` as a child process (what `npm run hq` runs): `add-station` prints a key,
 * `add-well` fills reference data, and the server on PGlite in a data dir prints READY and
 * takes a batch with that key; `conflicts`, `decide` and `rejects` show and settle what
 * the HQ engine found across stations.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBatch } from '../../hq/apply-batch.ts';
import { createPgliteSql } from '../../hq/db.ts';
import { getUpdates, makeBatch, postBatch } from '../../hq/hq-client.ts';
import { ensureTenant, migrate } from '../../hq/schema.ts';
import { ev } from '../support/events.ts';
import { laneBatch, relayedEvent } from '../support/hq-relay.ts';
import { readyLine } from '../../tools/ready-line.ts';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../hq/cli.ts');

function runHq(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('hq command line (PGlite in a data dir)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hq-cli-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('issues a station key, serves on 127.0.0.1 with READY, and takes a batch with that key', async () => {
    const added = await runHq(['add-station', '--station-id', 'cli-station', '--tenant', 'acme', '--data-dir', dataDir]);
    expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const key = added.stdout.trim();
    expect(key).toMatch(/^hqk_[A-Za-z0-9_-]{43}$/);
    const well = await runHq(['add-well', '--tenant', 'acme', '--well-id', 'W-9', '--name', 'South 9', '--primary-product', 'gas', '--data-dir', dataDir]);
    expect({ code: well.code, stderr: well.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const usage = await runHq(['add-station', '--tenant', 'acme', '--data-dir', dataDir]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--station-id is required/);

    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const { url } = (await readyLine(child, { what: 'npm run hq', timeoutMs: 20_000 })) as { url: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await postBatch(url, key, 'cli-station', makeBatch('cli-station', 'acme', 'critical', 1, 3))).body).toEqual({ lane: 'critical', ackedThroughSeq: 3 });
      expect((await getUpdates(url, key, 'cli-station', '0')).body).toMatchObject({ wells: [{ wellId: 'W-9', name: 'South 9', primaryProduct: 'gas' }] });
      // PGlite is one process's database: a second process on the same data dir is refused.
      const second = await runHq(['add-station', '--station-id', 'other', '--tenant', 'acme', '--data-dir', dataDir]);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/another hq process \(pid \d+\) is using/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
  it('lists an HQ-level conflict between two stations, decides it, and lists what the engine rejected', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hq-cli-conflicts-'));
    try {
      const sql = await createPgliteSql(join(dir, 'pglite'));
      await migrate(sql);
      const schema = await ensureTenant(sql, 'acme');
      await applyBatch(sql, schema, laneBatch('ST-N', 'acme', 'critical', 1, [{ kind: 'event', data: relayedEvent(ev.inspection({ result: 'PASS' }, { id: 'i-n' }), 'tab-N') }]));
      await applyBatch(sql, schema, laneBatch('ST-S', 'acme', 'critical', 1, [{ kind: 'event', data: relayedEvent(ev.inspection({ result: 'FAIL' }, { id: 'i-s' }), 'tab-S') }, { kind: 'event', data: { id: 'junk' } }]));
      await sql.close();
      const at = ['--tenant', 'acme', '--data-dir', dir];

      const listed = await runHq(['conflicts', ...at, '--status', 'PENDING_REVIEW', '--json']);
      expect(listed.code).toBe(0);
      const [review] = JSON.parse(listed.stdout) as { conflictId: string; candidates: string[]; stations: string[] }[];
      expect(review).toMatchObject({ candidates: ['i-n', 'i-s'], stations: ['ST-N', 'ST-S'] });
      const readable = await runHq(['conflicts', ...at]);
      expect(readable.stdout).toContain(`${review?.conflictId ?? ''}  PENDING_REVIEW  MANUAL_REVIEW  inspection/W-42/COMP-1/2026-06-10  stations ST-N, ST-S`);

      const decide = ['decide', ...at, '--conflict', review?.conflictId ?? '', '--choose', 'i-s', '--by', 'hq-ana'];
      const refused = await runHq(decide);
      expect({ code: refused.code, stderr: refused.stderr }).toEqual({ code: 1, stderr: expect.stringContaining('(COMMENT_REQUIRED)') });
      const decided = await runHq([...decide, '--comment', 'belt cracked on the photo']);
      expect({ code: decided.code, stdout: decided.stdout }).toEqual({ code: 0, stdout: expect.stringMatching(/RESOLVED: kept i-s on inspection\/W-42\/COMP-1\/2026-06-10/) });
      expect(JSON.parse((await runHq(['conflicts', ...at, '--status', 'RESOLVED', '--json'])).stdout)).toMatchObject([{ conflictId: review?.conflictId, winner: 'i-s', isOpen: false }]);

      const rejects = await runHq(['rejects', ...at]);
      expect(rejects.stdout).toMatch(/ST-S critical#2 {2}event junk {2}VALIDATION_FAILED: the event does not validate/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
