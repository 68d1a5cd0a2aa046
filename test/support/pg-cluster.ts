/**
 * A throwaway PostgreSQL cluster for tests (stack.md §9): `initdb -A trust` in a temp dir,
 * `pg_ctl start` on a free 127.0.0.1 port, `pg_ctl stop` and the dir removed at the end.
 * As root the server runs as the `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `PG_BIN_DIR`, else Debian's newest `/usr/lib/postgresql/<major>/bin`. */
export const PG_BIN_DIR = process.env['PG_BIN_DIR'] ?? debianPgBinDir();

function debianPgBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => b - a) : [];
  return join(root, String(majors[0] ?? 15), 'bin');
}

export interface PgCluster {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function pgClusterUnavailableReason(): string | undefined {
  if (!existsSync(join(PG_BIN_DIR, 'initdb')) || !existsSync(join(PG_BIN_DIR, 'pg_ctl'))) {
    return `PostgreSQL binaries are not in ${PG_BIN_DIR} (apt-get install -y postgresql, or set PG_BIN_DIR)`;
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

export async function startPgCluster(): Promise<PgCluster> {
  const isRoot = process.getuid?.() === 0;
  const root = await mkdtemp(join(tmpdir(), 'hq-pg-'));
  const dataDir = join(root, 'data');
  const sockDir = join(root, 'sock');
  await run('mkdir', ['-p', dataDir, sockDir]);
  const asServerUser = async (command: string, args: readonly string[]): Promise<void> => {
    if (isRoot) {
      await run('su', ['postgres', '-c', [command, ...args].map(shellQuote).join(' ')]);
    } else {
      await run(command, [...args]);
    }
  };
  if (isRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    for (const dir of [root, dataDir, sockDir]) await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await chmod(root, 0o755);
  const port = await freePort();
  await asServerUser(join(PG_BIN_DIR, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  await asServerUser(join(PG_BIN_DIR, 'pg_ctl'), [
    '-D',
    dataDir,
    '-l',
    join(root, 'server.log'),
    '-o',
    `-p ${port} -k ${sockDir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    '-w',
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      try {
        await asServerUser(join(PG_BIN_DIR, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    },
  };
}
