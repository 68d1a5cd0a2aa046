/**
 * mDNS discovery (protocol §2): the station announces `_wellos-station._tcp` on the LAN
 * listener's port. Multicast never leaves this machine: the probe runs inside a private
 * network namespace made for the test (`unshare -n`, root only), with only loopback up.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'true']).status === 0;

it.runIf(canUnshare)('announces _wellos-station._tcp on the LAN port (runs in a private network namespace: needs root and unshare -n, skipped elsewhere)', () => {
  const probe = join(root, 'test/support/mdns-probe.ts');
  const r = spawnSync('unshare', ['-n', 'sh', '-c', `ip link set lo up && "${process.execPath}" --import tsx "${probe}"`], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`mDNS probe failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { lanPort: number; found: { port: number; txt: Record<string, string> } | null; stationId: string };
  expect(out.found).not.toBeNull();
  expect(out.found?.port).toBe(out.lanPort);
  expect(out.found?.txt).toMatchObject({ stationId: out.stationId, protocol: '1' });
});
