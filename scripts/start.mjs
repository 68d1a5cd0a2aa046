#!/usr/bin/env node
// `npm start`: the desktop app where the Electron binary is installed; elsewhere (as on
// build machines that cannot download it) one clear line, then the headless station with
// the same dashboard in a browser. Extra arguments go to `serve`
// (e.g. `npm start -- --hq-url http://hq:8080 --timezone America/Denver`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function build() {
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write('The build failed (see above); fix it or run `npm run build` to see the details.\n');
    process.exit(result.status ?? 1);
  }
}

const electron = electronBinary();
if (electron !== null && process.env.WELLOS_HEADLESS !== '1') {
  build();
  const child = spawn(electron, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stdout.write('Electron is not installed on this machine (no binary in node_modules/electron/dist): starting the headless station instead; open the dashboard in a browser.\n');
  build();
  const hasDataDir = args.includes('--data-dir');
  const child = spawn(process.execPath, [join(root, 'bin', 'wellos-station'), 'serve', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk.toString();
    const line = /^READY (.*)$/m.exec(out)?.[1];
    if (line === undefined) return;
    out = '';
    const ready = JSON.parse(line);
    process.stdout.write(
      [
        `Station ${ready.stationId} is running.`,
        `  Dashboard:        ${ready.ui}`,
        `  Tablets dock at:  ${ready.lan.replace('127.0.0.1', '<this machine>')}/api/v1   (pair one: npm run station -- pairing-code${hasDataDir ? ' --data-dir …' : ''})`,
        '  Stop with Ctrl-C.',
        '',
      ].join('\n'),
    );
  });
  const stop = (signal) => child.kill(signal);
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  child.on('exit', (code) => process.exit(code ?? 0));
}
