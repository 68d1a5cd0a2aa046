/**
 * The audit log: an append-only hash chain. Each entry's hash covers the previous hash
 * and the entry itself, so changing, removing or reordering any row breaks `verifyAudit`
 * from that row on.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json.ts';
import type { StationDb } from '../db/open-database.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: unknown;
}

export interface AuditRow extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

export function hashAuditEntry(prevHash: string, seq: number, entry: AuditEntry): string {
  const body = canonicalJson({ seq, at: entry.at, actor: entry.actor, action: entry.action, subject: entry.subject, details: entry.details });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Appends one entry; call inside the transaction that did what it records. */
export function appendAudit(db: StationDb, entry: AuditEntry): AuditRow {
  const head = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  const hash = hashAuditEntry(prevHash, seq, entry);
  db.prepare('INSERT INTO audit (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    seq,
    entry.at,
    entry.actor,
    entry.action,
    entry.subject,
    JSON.stringify(entry.details),
    prevHash,
    hash,
  );
  return { ...entry, seq, prevHash, hash };
}

export type AuditVerification =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; firstBad: { seq: number; problem: string } };

/** Walks the whole chain; reports the first entry that does not match. */
export function verifyAudit(db: StationDb): AuditVerification {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  const rows = db.prepare('SELECT seq, at, actor, action, subject, details, prev_hash AS prevHash, hash FROM audit ORDER BY seq').iterate() as IterableIterator<{
    seq: number;
    at: string;
    actor: string;
    action: string;
    subject: string;
    details: string;
    prevHash: string;
    hash: string;
  }>;
  for (const row of rows) {
    count++;
    if (row.seq !== expectedSeq) return { ok: false, entries: count, firstBad: { seq: row.seq, problem: `expected entry ${expectedSeq}, found ${row.seq}: an entry was removed or reordered` } };
    if (row.prevHash !== prevHash) return { ok: false, entries: count, firstBad: { seq: row.seq, problem: 'its previous-hash does not match the entry before it' } };
    let details: unknown;
    try {
      details = JSON.parse(row.details);
    } catch {
      return { ok: false, entries: count, firstBad: { seq: row.seq, problem: 'its details are not valid JSON' } };
    }
    const hash = hashAuditEntry(prevHash, row.seq, { at: row.at, actor: row.actor, action: row.action, subject: row.subject, details });
    if (hash !== row.hash) return { ok: false, entries: count, firstBad: { seq: row.seq, problem: 'its content does not match its hash: the entry was changed' } };
    prevHash = row.hash;
    expectedSeq++;
  }
  return { ok: true, entries: count, headHash: prevHash };
}
