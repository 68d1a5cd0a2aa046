#!/usr/bin/env node
// `npm run package -- [--linux|--win|--mac] [electron-builder flags]`: builds installers.
// better-sqlite3 is rebuilt for Electron's ABI only for the packaging step and the Node
// build is restored afterwards (docs/adr/0002), whatever happens in between.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const electronVersion = '45.5.0';
const run = (cmd, cmdArgs) => {
  process.stdout.write(`> ${cmd} ${cmdArgs.join(' ')}\n`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: process.platform === 'win32' });
  return r.status ?? 1;
};

let status = run('npx', ['--no', 'electron-vite', 'build']);
if (status === 0) {
  status = run('npx', ['--no', 'electron-builder', 'install-app-deps']);
  if (status === 0) status = run('npx', ['--no', 'electron-builder', ...(args.length > 0 ? args : ['--linux']), `-c.electronVersion=${electronVersion}`]);
  const restored = run('npm', ['rebuild', 'better-sqlite3']);
  if (restored !== 0) process.stderr.write('Could not restore the Node build of better-sqlite3: run `npm rebuild better-sqlite3` before `npm test`.\n');
}
process.exit(status);
