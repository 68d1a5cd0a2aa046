/** Local supervisor accounts: scrypt password hashes, two roles. */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { appendAudit } from '../station/audit/audit-log.ts';
import type { StationDb } from '../station/db/open-database.ts';

export type Role = 'supervisor' | 'viewer';
export const ROLES: readonly Role[] = ['supervisor', 'viewer'];
export const MIN_PASSWORD_CHARS = 8;
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

export class UserError extends Error {}

export function addUser(db: StationDb, opts: { username: string; role: string; password: string; now: Date; actor: string }): void {
  if (!/^[A-Za-z0-9._-]{2,64}$/.test(opts.username)) throw new UserError('A username is 2–64 letters, digits, dots, dashes or underscores.');
  if (!ROLES.includes(opts.role as Role)) throw new UserError(`--role must be one of ${ROLES.join(', ')}.`);
  if (opts.password.length < MIN_PASSWORD_CHARS) throw new UserError(`The password needs at least ${MIN_PASSWORD_CHARS} characters (read from standard input).`);
  const at = opts.now.toISOString();
  db.transaction(() => {
    if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(opts.username) !== undefined) throw new UserError(`User ${opts.username} already exists.`);
    db.prepare('INSERT INTO users (username, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(opts.username, opts.role, hashPassword(opts.password), at);
    appendAudit(db, { at, actor: opts.actor, action: 'user.add', subject: opts.username, details: { role: opts.role } });
  }).immediate();
}
