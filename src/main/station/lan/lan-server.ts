/**
 * The device API on the LAN listener (protocol §2): health, pair, sync, changes, photos.
 * Authentication runs before the body is read; gzip bodies are decompressed with the
 * 16 MiB limit applied to the decompressed bytes (a gzip bomb is a 413, not an OOM);
 * `sync` answers 200 only after its transaction has committed.
 */
import { createGunzip } from 'node:zlib';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { EngineSettings } from '../../../shared/engine/types.ts';
import type { SyncRequest, SyncResponse } from '../../../shared/protocol/sync.ts';
import { authenticateDevice, pairDevice } from '../devices/device-auth.ts';
import type { StationIdentity } from '../identity.ts';
import { IngestError, type IngestContext } from '../ingest/ingest-batch.ts';
import type { Store } from '../ingest/write-session.ts';
import { heldPhoto, putPhoto, SHA256_PATTERN } from '../photos/photo-store.ts';
import { BatchGate } from './batch-gate.ts';
import { DEFAULT_CHANGES_LIMIT, MAX_CHANGES_LIMIT, parseCursor, readChanges } from './changes.ts';
import { httpErrorHandler, sendError } from './http-errors.ts';
import { quietRequestLogs } from './quiet-requests.ts';
import { isWellFormedText } from '../../../shared/text-checks.ts';
import { crossSiteMark } from '../cross-site.ts';

export const MAX_BODY_BYTES = 16 * 1024 * 1024;
export const MAX_BATCH_EVENTS = 10_000;
export const PROTOCOL_VERSION = 1;

export interface LanDeps {
  store: Store;
  identity: StationIdentity;
  version: string;
  photosDir: string;
  logger: Logger;
  now: () => Date;
  engineSettings: () => EngineSettings;
  /** Plans and writes one batch (the station's writer queue); resolves after COMMIT. */
  ingest: (batch: SyncRequest, ctx: IngestContext) => Promise<SyncResponse>;
  /** Called after a batch commits (live dashboard updates, relay wake-up). */
  onSynced?: (deviceId: string, summary: Record<string, number>) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    deviceId?: string;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown, max = 200): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max && isWellFormedText(v);
}

export function buildLanServer(deps: LanDeps): FastifyInstance {
  const logger: FastifyBaseLogger = deps.logger.child({ listener: 'lan' });
  // forceCloseConnections: a tablet's keep-alive socket must not hold shutdown open; a batch
  // whose answer is cut after COMMIT is simply resent and comes back DUPLICATE.
  const app = Fastify({ loggerInstance: logger, bodyLimit: MAX_BODY_BYTES, logController: quietRequestLogs(), forceCloseConnections: true });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'NOT_FOUND', `No ${request.method} ${request.url.split('?')[0] ?? ''} here; the device API lives under /api/v1.`));

  // Protocol §2: every body is JSON. A client that leaves Content-Type out, or sends a
  // string the way fetch does (text/plain), is read as JSON all the same; the photo
  // route below reads its own bodies as bytes.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding === 'identity') return payload;
    // RFC 9110 §8.4.1.3: x-gzip is gzip.
    if (encoding !== 'gzip' && encoding !== 'x-gzip') {
      throw Object.assign(new Error(`Content-Encoding ${encoding} is not supported; send gzip or no encoding.`), { statusCode: 400 });
    }
    // Fastify applies bodyLimit to the stream it reads (the decompressed bytes) and checks
    // Content-Length against `receivedEncodedLength` (the compressed bytes).
    const gunzip = Object.assign(createGunzip(), { receivedEncodedLength: 0 });
    payload.on('data', (chunk: Buffer) => {
      gunzip.receivedEncodedLength += chunk.length;
    });
    // A connection that breaks mid-body must fail the request, not leave it waiting.
    payload.on('error', (err) => gunzip.destroy(err));
    payload.pipe(gunzip);
    return gunzip;
  });

  // Tablets are not browsers and send no Sec-Fetch-Site; a browser page of another site
  // that posts here (JSON is read whatever its Content-Type) is refused.
  app.addHook('onRequest', async (request, reply) => {
    const site = crossSiteMark(request.headers);
    if (request.method !== 'GET' && request.method !== 'HEAD' && site !== null) {
      return sendError(reply, 403, 'FORBIDDEN', `The device API does not take requests from web pages (the browser marked this one ${site}).`);
    }
    return undefined;
  });

  const requireDevice = async (request: FastifyRequest): Promise<void> => {
    const auth = authenticateDevice(deps.store.db, request.headers.authorization);
    if (!auth.ok) throw Object.assign(new Error(auth.message), { statusCode: 401, authCode: auth.code });
    request.deviceId = auth.deviceId;
  };
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const authCode = (error as { authCode?: string }).authCode;
    if (authCode !== undefined) return sendError(reply, 401, authCode, error.message);
    return httpErrorHandler(error, request, reply);
  });

  app.get('/api/v1/health', async () => ({
    status: 'ok',
    stationId: deps.identity.stationId,
    tenantId: deps.identity.tenantId,
    version: deps.version,
    protocol: PROTOCOL_VERSION,
    time: deps.now().toISOString(),
    // Not in protocol §2's list, but tablets need both to compute record keys (field days).
    timeZone: deps.engineSettings().timeZone,
    gaugeDayStartHour: deps.engineSettings().gaugeDayStartHour,
  }));

  app.post('/api/v1/pair', async (request, reply) => {
    const body = request.body;
    if (!isRecord(body) || !nonEmptyString(body['code'], 64) || !nonEmptyString(body['deviceId']) || !nonEmptyString(body['deviceName'])) {
      return sendError(reply, 400, 'BAD_REQUEST', 'Send {"code", "deviceId", "deviceName"} as non-empty strings (ids up to 200 characters).');
    }
    const result = pairDevice(deps.store.db, { code: body['code'], deviceId: body['deviceId'], deviceName: body['deviceName'], now: deps.now() });
    if (!result.ok) return sendError(reply, 401, result.code, result.message);
    request.log.info({ deviceId: body['deviceId'] }, 'device paired');
    return reply.code(201).send({ deviceToken: result.deviceToken, stationId: deps.identity.stationId, tenantId: deps.identity.tenantId });
  });

  // Four batches read and decided ahead of the writer thread (write-queue.ts) keep it busy;
  // more would only hold more parsed batches in memory. A request gives its place back when
  // it closes before its handler runs, else when its handler ends: a tablet that gives up
  // does not free the place its batch still holds in the queue.
  const gate = new BatchGate(4);
  const places = new WeakMap<FastifyRequest, { leave: () => void; handling: boolean }>();
  const enterGate = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    let closed = false;
    const place = { leave: (): void => undefined, handling: false };
    reply.raw.once('close', () => {
      closed = true;
      if (!place.handling) place.leave();
    });
    place.leave = await gate.enter();
    if (closed) {
      // The tablet went away while it waited: nobody to read its batch for or answer.
      place.leave();
      reply.hijack();
      return;
    }
    places.set(request, place);
  };

  /**
   * Checks a sync body and hands the batch to the writer queue, which decides it at once;
   * then lets go of the parsed body, so that only the answer is held while it is written.
   */
  const takeBatch = (request: FastifyRequest, reply: FastifyReply): { refused: FastifyReply } | { deviceId: string; batchId: string; answer: Promise<SyncResponse> } => {
    const body = request.body;
    if (!isRecord(body) || !Array.isArray(body['events'])) return { refused: sendError(reply, 400, 'BAD_REQUEST', 'The body must be a JSON object with an "events" array.') };
    if (typeof body['deviceTime'] !== 'string') return { refused: sendError(reply, 400, 'BAD_REQUEST', 'The body needs "deviceTime": the tablet clock as an ISO-8601 instant ending in Z.') };
    if (!nonEmptyString(body['deviceId']) || !nonEmptyString(body['batchId'])) return { refused: sendError(reply, 400, 'BAD_REQUEST', 'The body needs "deviceId" and "batchId" strings.') };
    if (body['deviceId'] !== request.deviceId) {
      return { refused: sendError(reply, 403, 'DEVICE_MISMATCH', `This token belongs to ${request.deviceId ?? '?'}, not ${body['deviceId']}: a tablet may only sync as itself.`) };
    }
    if (body['events'].length > MAX_BATCH_EVENTS) {
      return { refused: sendError(reply, 413, 'BATCH_TOO_LARGE', `A batch may hold at most ${MAX_BATCH_EVENTS} events; this one has ${body['events'].length}. Split it.`) };
    }
    const { deviceId, batchId } = body;
    const answer = deps.ingest({ deviceId, batchId, deviceTime: body['deviceTime'], events: body['events'] }, { settings: deps.engineSettings(), now: deps.now });
    request.body = undefined;
    return { deviceId, batchId, answer };
  };

  const sync = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const taken = takeBatch(request, reply);
    if ('refused' in taken) return taken.refused;
    try {
      const response = await taken.answer;
      const summary: Record<string, number> = {};
      for (const r of response.results) summary[r.status] = (summary[r.status] ?? 0) + 1;
      request.log.info({ deviceId: taken.deviceId, batchId: taken.batchId, events: response.results.length, summary }, 'batch committed');
      deps.onSynced?.(taken.deviceId, summary);
      return response;
    } catch (err) {
      if (err instanceof IngestError) return sendError(reply, 400, err.code, err.message);
      throw err;
    }
  };

  app.post('/api/v1/sync', { onRequest: [requireDevice, enterGate] }, async (request, reply) => {
    const place = places.get(request);
    if (place !== undefined) place.handling = true;
    try {
      return await sync(request, reply);
    } finally {
      place?.leave();
    }
  });

  app.get('/api/v1/changes', { onRequest: requireDevice }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const since = parseCursor(query['since']);
    if (since === null) return sendError(reply, 400, 'BAD_REQUEST', '"since" must be a cursor returned by this station (from sync or changes).');
    const limitRaw = query['limit'] === undefined ? DEFAULT_CHANGES_LIMIT : Number(query['limit']);
    if (!Number.isInteger(limitRaw) || limitRaw < 1) return sendError(reply, 400, 'BAD_REQUEST', `"limit" must be a whole number from 1 to ${MAX_CHANGES_LIMIT}.`);
    return readChanges(deps.store.db, since, Math.min(limitRaw, MAX_CHANGES_LIMIT));
  });

  app.register(async (photos) => {
    // Image bytes whatever the Content-Type says (image/jpeg, octet-stream, even JSON).
    photos.removeAllContentTypeParsers();
    photos.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));
    photos.put('/api/v1/photos/:sha256', { onRequest: requireDevice }, async (request, reply) => {
      const sha = (request.params as { sha256: string }).sha256.toLowerCase();
      if (!SHA256_PATTERN.test(sha)) return sendError(reply, 400, 'BAD_REQUEST', 'The photo path must be the 64 hex characters of its SHA-256.');
      const bytes = request.body;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) return sendError(reply, 400, 'BAD_REQUEST', 'Send the image bytes as the request body.');
      const result = putPhoto(deps.store.db, deps.photosDir, sha, bytes, deps.now());
      if (!result.ok) return sendError(reply, 422, result.code, result.message);
      return reply.code(result.created ? 201 : 200).send({ sha256: sha, bytes: bytes.length, stored: result.created ? 'created' : 'already held' });
    });
    photos.get('/api/v1/photos/:sha256', { onRequest: requireDevice }, async (request, reply) => {
      const sha = (request.params as { sha256: string }).sha256.toLowerCase();
      if (!SHA256_PATTERN.test(sha)) return sendError(reply, 400, 'BAD_REQUEST', 'The photo path must be the 64 hex characters of its SHA-256.');
      const photo = heldPhoto(deps.store.db, deps.photosDir, sha);
      if (photo === null) return sendError(reply, 404, 'NOT_FOUND', `No photo ${sha} is held here; upload it with PUT first.`);
      return reply.type(photo.mimeType).send(photo.bytes);
    });
  });
  return app;
}
