/**
 * Pairing and device tokens (protocol §2). Pairing codes are single-use and expire;
 * tokens are random 256-bit secrets handed out once and stored only as SHA-256 hashes;
 * a revoked device is refused on every later call. Every change is audited.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.ts';
import type { StationDb } from '../db/open-database.ts';

/** No 0/O, 1/I/L: codes are read off a screen and typed on a tablet. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
export const DEFAULT_PAIRING_TTL_SECONDS = 600;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Codes are compared without spaces or dashes, case-insensitively. */
export function normalizeCode(code: string): string {
  return code.replace(/[^0-9a-z]/gi, '').toUpperCase();
}

export interface PairingCode {
  code: string;
  expiresAt: string;
}

export function createPairingCode(db: StationDb, opts: { ttlSeconds?: number; now: Date; actor: string }): PairingCode {
  const ttl = opts.ttlSeconds ?? DEFAULT_PAIRING_TTL_SECONDS;
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  const at = opts.now.toISOString();
  const expiresAt = new Date(opts.now.getTime() + ttl * 1000).toISOString();
  db.transaction(() => {
    db.prepare('INSERT INTO pairing_codes (code_hash, created_at, expires_at) VALUES (?, ?, ?)').run(hashSecret(code), at, expiresAt);
    appendAudit(db, { at, actor: opts.actor, action: 'pairing.create', subject: 'pairing-code', details: { expiresAt } });
  }).immediate();
  return { code, expiresAt };
}

export type PairResult = { ok: true; deviceToken: string } | { ok: false; code: 'PAIRING_CODE_INVALID'; message: string };

export function pairDevice(db: StationDb, req: { code: string; deviceId: string; deviceName: string; now: Date }): PairResult {
  const at = req.now.toISOString();
  return db.transaction((): PairResult => {
    const codeHash = hashSecret(normalizeCode(req.code));
    const row = db.prepare('SELECT expires_at AS expiresAt, used_at AS usedAt FROM pairing_codes WHERE code_hash = ?').get(codeHash) as { expiresAt: string; usedAt: string | null } | undefined;
    if (row === undefined || row.usedAt !== null || row.expiresAt <= at) {
      return { ok: false, code: 'PAIRING_CODE_INVALID', message: 'This pairing code is wrong, already used or expired. Ask the supervisor for a new code.' };
    }
    db.prepare('UPDATE pairing_codes SET used_at = ?, used_by = ? WHERE code_hash = ?').run(at, req.deviceId, codeHash);
    const deviceToken = randomBytes(32).toString('base64url');
    db.prepare(
      `INSERT INTO devices (id, name, token_hash, paired_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash, paired_at = excluded.paired_at, revoked_at = NULL`,
    ).run(req.deviceId, req.deviceName, hashSecret(deviceToken), at);
    appendAudit(db, { at, actor: `device:${req.deviceId}`, action: 'device.pair', subject: req.deviceId, details: { deviceName: req.deviceName } });
    return { ok: true, deviceToken };
  }).immediate();
}

export type AuthResult = { ok: true; deviceId: string } | { ok: false; code: 'UNAUTHORIZED' | 'DEVICE_REVOKED'; message: string };

export function authenticateDevice(db: StationDb, authorization: string | undefined): AuthResult {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (token === undefined) return { ok: false, code: 'UNAUTHORIZED', message: 'Send the device token from pairing as "Authorization: Bearer <token>".' };
  const row = db.prepare('SELECT id, revoked_at AS revokedAt FROM devices WHERE token_hash = ?').get(hashSecret(token)) as { id: string; revokedAt: string | null } | undefined;
  if (row === undefined) return { ok: false, code: 'UNAUTHORIZED', message: 'This device token is not known to this station. Pair the tablet again.' };
  if (row.revokedAt !== null) return { ok: false, code: 'DEVICE_REVOKED', message: `Device ${row.id} was revoked by the supervisor on ${row.revokedAt}. Ask for a new pairing code.` };
  return { ok: true, deviceId: row.id };
}

export function revokeDevice(db: StationDb, deviceId: string, opts: { now: Date; actor: string }): boolean {
  const at = opts.now.toISOString();
  return db.transaction((): boolean => {
    const changed = db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, deviceId).changes > 0;
    if (changed) appendAudit(db, { at, actor: opts.actor, action: 'device.revoke', subject: deviceId, details: {} });
    return changed;
  }).immediate();
}
