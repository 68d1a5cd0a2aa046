/**
 * The sat-link CLI as a child process on loopback: it starts, proxies, logs, refuses misuse
 * with exit 2, and closes cleanly on SIGINT.
 */
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

const HOST = '127.0.0.1';
const CLI = ['--import', 'tsx', 'tools/sat-link/cli.ts'];
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function run(args: readonly string[]): { stderr: () => string; exited: Promise<number | null>; kill: (signal: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { stderr: () => stderr, exited, kill: (signal) => child.kill(signal) };
}

describe('sat-link CLI', () => {
  it('proxies to the target, logs, and exits 0 on Ctrl-C', async () => {
    const echo = createServer({ allowHalfOpen: true }, (s) => s.pipe(s));
    await new Promise<void>((resolve) => echo.listen(0, HOST, resolve));
    cleanups.push(() => echo.close());
    const cli = run(['--listen', `${HOST}:0`, '--target', `${HOST}:${(echo.address() as AddressInfo).port}`, '--profile', 'perfect', '--seed', '7']);
    let port: number | null = null;
    while (port === null) {
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(cli.stderr());
      port = match?.[1] === undefined ? null : Number(match[1]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const reply = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = createConnection({ host: HOST, port: port ?? 0 }, () => socket.end('over the link'));
      socket.on('data', (c: Buffer) => {
        text += c.toString();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toBe('over the link');
    cli.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toMatch(/closed; up 13 B, down 13 B/);
  });

  it('refuses misuse with exit 2 and the usage', async () => {
    for (const args of [['--listen', 'nowhere', '--target', `${HOST}:1`], ['--listen', `${HOST}:0`, '--target', `${HOST}:1`, '--profile', 'dial-up'], ['--listen', `${HOST}:0`, '--target', `${HOST}:1`, '--outage-every', '10']]) {
      const cli = run(args);
      expect(await cli.exited).toBe(2);
      expect(cli.stderr()).toContain('Usage: npm run sat-link');
    }
  });
});
