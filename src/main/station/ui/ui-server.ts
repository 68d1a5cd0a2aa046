/**
 * The UI listener of the headless station: the dashboard bundle as static files and,
 * under /api/v1, what the dashboard talks to. Bound to 127.0.0.1 by default: the
 * supervisor's browser runs on the same machine.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { httpErrorHandler, sendError } from '../lan/http-errors.ts';
import { quietRequestLogs } from '../lan/quiet-requests.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>WellOS Field Station</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>WellOS Field Station is running</h1>
<p>The dashboard has not been built on this machine. Run <code>npm run build</code>, then reload this page.</p>
<p>Tablets can dock now: the device API is on the LAN listener.</p></body>`;

export interface UiDeps {
  logger: Logger;
  /** Folder of the built dashboard (out/renderer), or null. */
  staticDir: string | null;
  health: () => unknown;
  /** Registers the supervisor API routes (the dashboard issue adds them). */
  registerApi?: (app: FastifyInstance) => void;
}

export function buildUiServer(deps: UiDeps): FastifyInstance {
  const logger: FastifyBaseLogger = deps.logger.child({ listener: 'ui' });
  const app = Fastify({ loggerInstance: logger, logController: quietRequestLogs(), forceCloseConnections: true });
  app.setErrorHandler(httpErrorHandler);
  // JSON only: a text/plain body (what a cross-site form can send without a preflight)
  // has no parser and is refused. An empty JSON body (e.g. DELETE /session from fetch
  // with a JSON content type) means {}.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1_048_576 }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(Object.assign(new Error('The body is not valid JSON.'), { statusCode: 400 }), undefined);
    }
  });
  app.get('/api/v1/health', async () => deps.health());
  deps.registerApi?.(app);
  app.setNotFoundHandler((request, reply) => {
    const path = decodeURIComponent((request.url.split('?')[0] ?? '/').replace(/^\/+/, ''));
    if (request.method !== 'GET' || path.startsWith('api/')) return sendError(reply, 404, 'NOT_FOUND', `No ${request.method} /${path} here.`);
    const root = deps.staticDir;
    if (root === null || !existsSync(join(root, 'index.html'))) return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
    const file = normalize(join(root, path));
    const inside = file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
    const target = inside && path !== '' && existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
    return reply
      .header('Cache-Control', target.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable')
      .type(CONTENT_TYPES[extname(target)] ?? 'application/octet-stream')
      .send(readFileSync(target));
  });
  return app;
}
