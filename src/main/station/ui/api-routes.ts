/**
 * The headless transport of StationApi on the UI listener: session routes, first-run
 * setup (local machine only, while no user exists), `POST /api/v1/{method}` for every
 * method of the contract, the live feed as Server-Sent Events, photos and CSV exports.
 * Cross-site requests are refused by what browsers send with every one of them: an
 * `Origin` of another host, or `Sec-Fetch-Site: cross-site`/`same-site`. A client that is
 * not a browser (a test, curl, a script) sends neither and needs nothing beyond protocol
 * §4. Bodies must be JSON (what a cross-site form can send without a preflight, form and
 * text bodies, are refused), and the session cookie is SameSite=Strict besides.
 */
import { isIP } from 'node:net';
import { crossSiteReason } from '../cross-site.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError, ChangeEvent, SessionInfo } from '../../../shared/api/station-api.ts';
import { addUser, UserError } from '../../headless/users.ts';
import { callApi, type ApiDeps, type Handlers } from '../api/handlers.ts';
import { exportTable } from '../../headless/export.ts';
import { heldPhoto, SHA256_PATTERN } from '../photos/photo-store.ts';
import { checkPassword, cookieHeader, endSession, LoginThrottle, readCookie, resolveSession, SESSION_COOKIE, SESSION_TTL_MS, sessionSecret, SessionStore } from './session.ts';

const STATUS_BY_CODE: Partial<Record<ApiError['code'], number>> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  COMMENT_REQUIRED: 400,
  NOT_A_CANDIDATE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT_NOT_FOUND: 404,
  CONFLICT_NOT_PENDING: 409,
  CONFLICT_NOT_AUTO_RESOLVED: 409,
  CONFLICT_NOT_OPEN: 409,
  NOT_DECIDABLE: 409,
  CONFLICT_CHANGED: 409,
  POLICY_LOCKED: 409,
  TOO_MANY_ATTEMPTS: 429,
  INTERNAL: 500,
};

export interface UiApiDeps extends ApiDeps {
  photosDir: string;
  handlers: Handlers;
}

/** Protocol's error shape: `{"error": {"code", "message"}}`. */
function fail(reply: FastifyReply, code: ApiError['code'], message: string, status = STATUS_BY_CODE[code] ?? 400): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

function isJsonContentType(value: string): boolean {
  return /^application\/json\s*(;|$)/i.test(value);
}

function isLocal(request: FastifyRequest): boolean {
  const ip = request.socket.remoteAddress ?? '';
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

/**
 * A Host that no DNS answer can stand for (localhost or an IP address): setup takes no
 * cookie, so a page on a name that re-resolves to 127.0.0.1 (DNS rebinding) must not
 * reach it.
 */
function isLiteralHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || isIP(name) !== 0;
}

function credentials(body: unknown): { username: string; password: string } | null {
  if (typeof body !== 'object' || body === null) return null;
  const { username, password } = body as Record<string, unknown>;
  return typeof username === 'string' && typeof password === 'string' && username.length <= 64 && password.length <= 1_000 ? { username, password } : null;
}

export function registerApiRoutes(app: FastifyInstance, deps: UiApiDeps): void {
  const db = deps.store.db;
  const secret = sessionSecret(db, deps.now().toISOString());
  const handlers = deps.handlers;
  const throttle = new LoginThrottle();
  const sessions = new SessionStore();
  const sessionOf = (request: FastifyRequest): SessionInfo | null => resolveSession(db, sessions, secret, readCookie(request.headers.cookie, SESSION_COOKIE), deps.now());
  const startSession = (reply: FastifyReply, username: string): SessionInfo => {
    const { cookie, expiresAt } = sessions.issue(secret, username, deps.now());
    void reply.header('set-cookie', cookieHeader(cookie, SESSION_TTL_MS / 1000));
    const role = (db.prepare('SELECT role FROM users WHERE username = ?').get(username) as { role: 'supervisor' | 'viewer' }).role;
    return { username, role, expiresAt };
  };

  // Every state-changing request on this listener, whatever its path says: the router
  // decodes paths (/%61pi/… is /api/…), so a prefix test on the raw URL could be skipped.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return undefined;
    const why = crossSiteReason(request.headers);
    if (why !== null) return fail(reply, 'FORBIDDEN', `Refused a cross-site request (${why}): decisions and settings can only be changed from the station's own dashboard.`);
    const type = request.headers['content-type'];
    if (type !== undefined && !isJsonContentType(type)) {
      return fail(reply, 'BAD_REQUEST', `Send the body as JSON (Content-Type: application/json), not ${String(type)}.`, 415);
    }
    return undefined;
  });

  app.get('/api/v1/setup', async (request) => ({
    needsFirstSupervisor: (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n === 0,
    local: isLocal(request),
  }));

  app.post('/api/v1/setup', async (request, reply) => {
    if (!isLocal(request) || !isLiteralHost(request.headers.host)) return fail(reply, 'FORBIDDEN', 'The first supervisor can only be created on the station computer itself.');
    if ((db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n > 0) return fail(reply, 'FORBIDDEN', 'A supervisor already exists; sign in instead.');
    const creds = credentials(request.body);
    if (creds === null) return fail(reply, 'BAD_REQUEST', 'Send {"username", "password"}.');
    try {
      addUser(db, { ...creds, role: 'supervisor', now: deps.now(), actor: 'setup' });
    } catch (err) {
      if (err instanceof UserError) return fail(reply, 'VALIDATION_FAILED', err.message);
      throw err;
    }
    return reply.code(201).send(startSession(reply, creds.username));
  });

  app.post('/api/v1/session', async (request, reply) => {
    const address = request.socket.remoteAddress ?? 'unknown';
    const nowMs = deps.now().getTime();
    const wait = throttle.blockedFor(address, nowMs);
    if (wait > 0) return fail(reply, 'TOO_MANY_ATTEMPTS', `Too many failed sign-ins; try again in ${Math.ceil(wait / 60_000)} minute(s).`);
    const creds = credentials(request.body);
    if (creds === null) return fail(reply, 'BAD_REQUEST', 'Send {"username", "password"}.');
    if (!checkPassword(db, creds.username, creds.password)) {
      throttle.fail(address, nowMs);
      return fail(reply, 'UNAUTHORIZED', 'Wrong username or password.');
    }
    throttle.succeed(address);
    return startSession(reply, creds.username);
  });

  app.get('/api/v1/session', async (request, reply) => sessionOf(request) ?? fail(reply, 'UNAUTHORIZED', 'Not signed in, or the session expired.'));
  app.delete('/api/v1/session', async (request, reply) => {
    endSession(sessions, secret, readCookie(request.headers.cookie, SESSION_COOKIE));
    return reply.header('set-cookie', cookieHeader('', 0)).code(204).send();
  });

  app.get('/api/v1/events', async (request, reply) => {
    if (sessionOf(request) === null) return fail(reply, 'UNAUTHORIZED', 'Sign in to follow live changes.');
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    const send = (event: ChangeEvent): void => void reply.raw.write(`data: ${JSON.stringify(event)}\n\n`);
    const unsubscribe = deps.bus.subscribe(send);
    const heartbeat = setInterval(() => reply.raw.write(': keep-alive\n\n'), 25_000);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
    return reply;
  });

  app.get('/api/v1/photos/:sha256', async (request, reply) => {
    if (sessionOf(request) === null) return fail(reply, 'UNAUTHORIZED', 'Sign in to see photos.');
    const sha = (request.params as { sha256: string }).sha256.toLowerCase();
    if (!SHA256_PATTERN.test(sha)) return fail(reply, 'BAD_REQUEST', 'A photo is named by its 64-character SHA-256.');
    const photo = heldPhoto(db, deps.photosDir, sha);
    if (photo === null) return fail(reply, 'NOT_FOUND', 'This photo has not been uploaded by the tablet yet.');
    return reply.type(photo.mimeType).header('cache-control', 'private, max-age=86400').send(photo.bytes);
  });

  app.get('/api/v1/export/:file', async (request, reply) => {
    if (sessionOf(request) === null) return fail(reply, 'UNAUTHORIZED', 'Sign in to export.');
    const what = /^(audit|conflicts|quarantine|records|events)\.csv$/.exec((request.params as { file: string }).file)?.[1] as 'audit' | 'conflicts' | 'quarantine' | 'records' | 'events' | undefined;
    if (what === undefined) return fail(reply, 'NOT_FOUND', 'Exports are audit.csv, conflicts.csv, quarantine.csv, records.csv and events.csv.');
    const chunks: string[] = [];
    exportTable(db, what, 'csv', (c) => chunks.push(c));
    const stamp = deps.now().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="wellos-${what}-${stamp}.csv"`)
      .send(chunks.join(''));
  });

  app.post('/api/v1/:method', async (request, reply) => {
    const session = sessionOf(request);
    if (session === null) return fail(reply, 'UNAUTHORIZED', 'Not signed in, or the session expired: sign in again.');
    const result = await callApi(handlers, (request.params as { method: string }).method, request.body, session);
    return result.ok ? result : fail(reply, result.error.code, result.error.message);
  });
}
