/** The fleet report as a plain-text summary table (for the CLI and the demo). */
import type { FleetReport } from './fleet.ts';

const STATUS_ORDER = ['APPLIED', 'CONFIRMED', 'SUPERSEDED', 'CONFLICT', 'DUPLICATE', 'REJECTED'];

export function formatReport(report: FleetReport, maxViolations = 20): string {
  const rows: [string, string][] = [
    ['tablets', String(report.tablets)],
    ['batches', `${report.batches} (+${report.resends} resent after a dropped answer)`],
    ['events', String(report.events)],
  ];
  const statuses = [...STATUS_ORDER.filter((s) => s in report.byStatus), ...Object.keys(report.byStatus).filter((s) => !STATUS_ORDER.includes(s)).sort()];
  for (const s of statuses) rows.push([`  ${s}`, String(report.byStatus[s] ?? 0)]);
  rows.push(['conflicts', String(report.conflicts)]);
  rows.push(['photos uploaded', String(report.photosUploaded)]);
  if (report.retries > 0) rows.push(['retried requests', String(report.retries)]);
  const seconds = report.elapsedMs / 1000;
  rows.push(['elapsed', `${seconds.toFixed(1)} s (${Math.round(report.events / Math.max(seconds, 0.001))} events/s)`]);
  rows.push(['violations', String(report.violations.length)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  const rule = '─'.repeat(Math.max(...lines.map((l) => l.length)));
  const out = [rule, ...lines, rule];
  if (report.violations.length > 0) {
    out.push('Violations:');
    for (const v of report.violations.slice(0, maxViolations)) out.push(`  - ${v}`);
    if (report.violations.length > maxViolations) out.push(`  … and ${report.violations.length - maxViolations} more`);
  }
  return out.join('\n');
}
