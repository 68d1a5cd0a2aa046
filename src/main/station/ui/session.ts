/**
 * Supervisor sessions of the headless transport: a signed cookie (HMAC-SHA256 with a
 * per-station secret kept in the database), HttpOnly and SameSite=Strict; 12-hour expiry;
 * the role is read from the users table on every request, so a removed user is out at
 * once. Login failures are rate-limited per client address.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionInfo } from '../../../shared/api/station-api.ts';
import { verifyPassword } from '../../headless/users.ts';
import type { StationDb } from '../db/open-database.ts';

export const SESSION_COOKIE = 'wellos_session';
export const SESSION_TTL_MS = 12 * 3_600_000;
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 5 * 60_000;

export function sessionSecret(db: StationDb, at: string): Buffer {
  db.prepare('INSERT OR IGNORE INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('sessionSecret', JSON.stringify(randomBytes(32).toString('hex')), at);
  const row = db.prepare("SELECT value FROM settings WHERE key = 'sessionSecret'").get() as { value: string };
  return Buffer.from(JSON.parse(row.value) as string, 'hex');
}

function sign(secret: Buffer, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

/**
 * Sessions alive in this station process. A signed cookie must also name a live session:
 * signing out ends it at once (a copied cookie is worthless afterwards), and a restart of
 * the station signs everyone out.
 */
export class SessionStore {
  readonly #live = new Map<string, string>();

  issue(secret: Buffer, username: string, now: Date): { cookie: string; expiresAt: string } {
    const sid = randomBytes(16).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
    this.#live.set(sid, expiresAt);
    const body = Buffer.from(JSON.stringify({ u: username, e: expiresAt, s: sid })).toString('base64url');
    return { cookie: `${body}.${sign(secret, body)}`, expiresAt };
  }

  isLive(sid: string, now: Date): boolean {
    const expiresAt = this.#live.get(sid);
    if (expiresAt === undefined) return false;
    if (expiresAt <= now.toISOString()) {
      this.#live.delete(sid);
      return false;
    }
    return true;
  }

  end(sid: string): void {
    this.#live.delete(sid);
  }
}

function decodeCookie(secret: Buffer, cookie: string | undefined): { u: string; e: string; s: string } | null {
  if (cookie === undefined) return null;
  const [body, mac] = cookie.split('.');
  if (body === undefined || mac === undefined) return null;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { u: string; e: string; s: string };
  } catch {
    return null;
  }
}

/** Ends the session a cookie names, if it is genuine. */
export function endSession(sessions: SessionStore, secret: Buffer, cookie: string | undefined): void {
  const payload = decodeCookie(secret, cookie);
  if (payload !== null) sessions.end(payload.s);
}

export function cookieHeader(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** The session a cookie names, if it is genuine, live, unexpired and its user still exists. */
export function resolveSession(db: StationDb, sessions: SessionStore, secret: Buffer, cookie: string | undefined, now: Date): SessionInfo | null {
  const payload = decodeCookie(secret, cookie);
  if (payload === null || payload.e <= now.toISOString() || !sessions.isLive(payload.s, now)) return null;
  const user = db.prepare('SELECT role FROM users WHERE username = ?').get(payload.u) as { role: 'supervisor' | 'viewer' } | undefined;
  return user === undefined ? null : { username: payload.u, role: user.role, expiresAt: payload.e };
}

export function checkPassword(db: StationDb, username: string, password: string): boolean {
  const row = db.prepare('SELECT password_hash AS hash FROM users WHERE username = ?').get(username) as { hash: string } | undefined;
  // Hash anyway when the user is unknown, so timing does not tell which usernames exist.
  return verifyPassword(password, row?.hash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') && row !== undefined;
}

/** Per-address login throttle: 5 failures in 5 minutes block that address until the window ends. */
export class LoginThrottle {
  readonly #failures = new Map<string, { count: number; resetAt: number }>();

  blockedFor(address: string, nowMs: number): number {
    const f = this.#failures.get(address);
    if (f === undefined || f.resetAt <= nowMs) return 0;
    return f.count >= MAX_FAILURES ? f.resetAt - nowMs : 0;
  }

  fail(address: string, nowMs: number): void {
    const f = this.#failures.get(address);
    if (f === undefined || f.resetAt <= nowMs) this.#failures.set(address, { count: 1, resetAt: nowMs + FAILURE_WINDOW_MS });
    else f.count++;
  }

  succeed(address: string): void {
    this.#failures.delete(address);
  }
}
