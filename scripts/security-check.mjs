#!/usr/bin/env node
// `npm run security`: electronegativity over src with the pinned Electron version. The
// tool always exits 0, so this reads its SARIF and fails on any finding of level
// "error", printing every finding either way.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const sarif = 'electronegativity.sarif';
rmSync(sarif, { force: true });
const r = spawnSync('npx', ['-y', '@doyensec/electronegativity@1.10.3', '-i', 'src', '-e', '45.5.0', '-r', '-o', sarif], { stdio: ['ignore', 'ignore', 'inherit'] });
if (r.status !== 0) {
  process.stderr.write(`electronegativity did not run (exit ${r.status}).\n`);
  process.exit(1);
}
const results = JSON.parse(readFileSync(sarif, 'utf8')).runs.flatMap((run) => run.results ?? []);
for (const f of results) {
  const where = f.locations?.[0]?.physicalLocation;
  process.stdout.write(`${f.level.padEnd(7)} ${f.ruleId} ${where?.artifactLocation?.uri ?? ''}:${where?.region?.startLine ?? ''} ${f.message?.text ?? ''}\n`);
}
const errors = results.filter((f) => f.level === 'error');
process.stdout.write(`electronegativity: ${results.length} findings, ${errors.length} of level error\n`);
process.exit(errors.length > 0 ? 1 : 0);
