/** Runs the real `bin/wellos-station` as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readyLine } from '../../tools/ready-line.ts';

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/wellos-station');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wellos-station ${args.join(' ')} did not finish: ${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export interface Served {
  child: ChildProcess;
  lan: string;
  ui: string;
  stationId: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `serve` and resolves when it prints READY. */
export async function serve(dataDir: string, extra: readonly string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--lan-host', '127.0.0.1', '--lan-port', '0', '--ui-port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const ready = (await readyLine(child, { what: 'serve', timeoutMs: 30_000 })) as { lan: string; ui: string; stationId: string };
  return { child, lan: ready.lan, ui: ready.ui, stationId: ready.stationId, stderr: () => err, exited };
}
