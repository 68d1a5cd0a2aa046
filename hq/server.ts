/**
 * The HQ receiver's HTTP service (protocol §5). Every error answers
 * `{"error": {"code", "message", "details"?}}`.
 *
 * - `GET  /api/v1/health`
 * - `POST /api/v1/stations/{stationId}/batches` (JSON, or the columnar encoding announced in health;
 *   gzip, brotli or no Content-Encoding) → `{lane, ackedThroughSeq}` after COMMIT
 * - `HEAD /api/v1/stations/{stationId}/blobs/{sha256}` → headers `Upload-Offset` (bytes held),
 *   `Upload-Length` (the total, once known) and `Upload-Complete` (`?1` / `?0`); no body
 * - `PUT  /api/v1/stations/{stationId}/blobs/{sha256}` with `Content-Range: bytes START-END/TOTAL`
 * - `GET  /api/v1/stations/{stationId}/updates?since=CURSOR`
 */
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ZodError } from 'zod';
import { findStationByKey, type StationRecord } from './admin.ts';
import { COLUMNAR_CONTENT_TYPE, ColumnarError, decodeColumnar } from '../src/shared/protocol/columnar.ts';
import { applyBatch, BatchSchema, MAX_ITEMS_PER_BATCH } from './apply-batch.ts';
import { parseContentRange, putBlobChunk, readBlobState, SHA256_HEX_PATTERN, type BlobState } from './blob-store.ts';
import type { Sql } from './db.ts';
import { readUpdates } from './read-updates.ts';
import { tenantSchemaName } from './schema.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The station whose key the request carries (set before the body is read). */
    hqStation?: StationRecord;
  }
}

/** A batch, after decompression. */
export const MAX_BATCH_BODY_BYTES = 32 * 1024 * 1024;
/** One PUT of a blob chunk. */
export const MAX_BLOB_CHUNK_BYTES = 16 * 1024 * 1024;

export interface HqServerOptions {
  sql: Sql;
  logger: Logger;
}

class HqHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: unknown): FastifyReply {
  return reply.code(status).send({ error: details === undefined ? { code, message } : { code, message, details } });
}

function zodDetails(error: ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

function blobHeaders(reply: FastifyReply, state: BlobState): FastifyReply {
  reply.header('Upload-Offset', String(state.heldBytes));
  if (state.totalBytes !== undefined) reply.header('Upload-Length', String(state.totalBytes));
  return reply.header('Upload-Complete', state.complete ? '?1' : '?0');
}

export function buildHqServer(options: HqServerOptions): FastifyInstance {
  const { sql } = options;
  const logger: FastifyBaseLogger = options.logger.child({ listener: 'hq' });
  const app = Fastify({ loggerInstance: logger, bodyLimit: MAX_BATCH_BODY_BYTES, forceCloseConnections: true });

  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'NOT_FOUND', `No ${request.method} ${request.url.split('?')[0] ?? ''} here; the HQ API lives under /api/v1.`));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HqHttpError) return sendError(reply, error.statusCode, error.errorCode, error.message, error.details);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
      return sendError(reply, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large after decompression: send fewer items per batch, or smaller blob chunks.');
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', `Send batches as JSON with "Content-Type: application/json" (or ${COLUMNAR_CONTENT_TYPE}).`);
    if (error.code === 'Z_DATA_ERROR' || error.code === 'Z_BUF_ERROR' || String(error.code ?? '').startsWith('ERR__ERROR_FORMAT') || /incorrect header check|unexpected end of file|Decompression failed/i.test(error.message)) {
      return sendError(reply, 400, 'BAD_REQUEST', `The body is not valid ${request.headers['content-encoding'] === 'br' ? 'brotli' : 'gzip'}, as its Content-Encoding says.`);
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, 400, 'BAD_REQUEST', `The request could not be read: ${error.message}`);
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 500, 'INTERNAL', 'HQ failed to process this request and stored nothing from it; try again later.');
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding === 'identity') return payload;
    if (encoding !== 'gzip' && encoding !== 'br') throw new HqHttpError(415, 'UNSUPPORTED_ENCODING', `Content-Encoding ${encoding} is not supported; send gzip, br or no encoding.`);
    // Fastify applies bodyLimit to the decompressed bytes it reads, and checks
    // Content-Length against `receivedEncodedLength` (the compressed bytes).
    const inflate = Object.assign(encoding === 'gzip' ? createGunzip() : createBrotliDecompress(), { receivedEncodedLength: 0 });
    payload.on('data', (chunk: Buffer) => {
      inflate.receivedEncodedLength += chunk.length;
    });
    payload.on('error', (error) => inflate.destroy(error));
    payload.pipe(inflate);
    return inflate;
  });

  // The compact relay encoding (ADR 0006): decoded to the plain batch of protocol §5 before validation.
  app.addContentTypeParser(COLUMNAR_CONTENT_TYPE, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, decodeColumnar(JSON.parse(body as string), MAX_ITEMS_PER_BATCH));
    } catch (error) {
      const reason = error instanceof ColumnarError || error instanceof SyntaxError ? error.message : String(error);
      done(new HqHttpError(400, 'BAD_REQUEST', `The columnar batch could not be read: ${reason}`), undefined);
    }
  });

  /** The station the bearer key belongs to; 401 without a known key, 403 for another station's key. */
  const authenticate = async (request: FastifyRequest, stationId: string): Promise<StationRecord> => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const key = match?.[1];
    if (key === undefined) throw new HqHttpError(401, 'UNAUTHORIZED', 'Send the station key HQ issued as "Authorization: Bearer <station key>".');
    const station = await findStationByKey(sql, key);
    if (station === undefined) throw new HqHttpError(401, 'UNAUTHORIZED', 'HQ does not know this station key; ask HQ for a new one (add-station) and set it on the station.');
    if (station.stationId !== stationId) throw new HqHttpError(403, 'FORBIDDEN', `This key belongs to station ${station.stationId}, not ${stationId}.`);
    return station;
  };

  /**
   * Authenticates before the body is read: a request without a valid key costs HQ no
   * decompression or decoding (the columnar decoder is work proportional to what it is asked).
   */
  const requireStation = async (request: FastifyRequest): Promise<void> => {
    request.hqStation = await authenticate(request, (request.params as { stationId: string }).stationId);
  };
  const stationOf = (request: FastifyRequest): StationRecord => {
    if (request.hqStation === undefined) throw new Error('route without requireStation');
    return request.hqStation;
  };

  app.get('/api/v1/health', async () => ({ status: 'ok', service: 'wellos-hq', protocol: 1, database: sql.kind, encodings: [COLUMNAR_CONTENT_TYPE], time: new Date().toISOString() }));

  app.post<{ Params: { stationId: string } }>('/api/v1/stations/:stationId/batches', { onRequest: requireStation }, async (request, reply) => {
    const station = stationOf(request);
    const parsed = BatchSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'VALIDATION_FAILED', 'The batch does not match protocol §5.', zodDetails(parsed.error));
    const batch = parsed.data;
    if (batch.stationId !== station.stationId) return sendError(reply, 400, 'STATION_MISMATCH', `The body names station ${batch.stationId} but the URL and key are for ${station.stationId}.`);
    if (batch.tenantId !== station.tenantId) return sendError(reply, 403, 'TENANT_MISMATCH', `Station ${station.stationId} belongs to tenant ${station.tenantId}, not ${batch.tenantId}.`);
    const result = await applyBatch(sql, tenantSchemaName(station.tenantId), batch);
    if (!result.ok) {
      return sendError(reply, 409, 'SEQ_GAP', `HQ holds lane ${batch.lane} through seq ${result.ackedThroughSeq}; resend from seq ${result.expectedFromSeq}.`, {
        expectedFromSeq: result.expectedFromSeq,
        ackedThroughSeq: result.ackedThroughSeq,
      });
    }
    // Items the HQ engine could not use are stored and listed (`hq rejects`); say so in the log too.
    const troubled = result.engine.invalid + result.engine.reused + result.engine.failed > 0;
    request.log[troubled ? 'warn' : 'debug']({ stationId: station.stationId, lane: result.lane, fromSeq: batch.fromSeq, toSeq: batch.toSeq, applied: result.appliedCount, engine: result.engine }, 'batch applied');
    return reply.code(200).send({ lane: result.lane, ackedThroughSeq: result.ackedThroughSeq });
  });

  app.get<{ Params: { stationId: string }; Querystring: { since?: string } }>('/api/v1/stations/:stationId/updates', { onRequest: requireStation }, async (request, reply) => {
    const station = stationOf(request);
    const since = request.query.since ?? '0';
    if (!/^\d{1,15}$/.test(since)) return sendError(reply, 400, 'BAD_CURSOR', 'since must be a cursor HQ returned as nextCursor (a decimal number), or 0.');
    return reply.send(await readUpdates(sql, tenantSchemaName(station.tenantId), Number(since)));
  });

  void app.register(async (blobs) => {
    // Blob chunks are raw bytes whatever the Content-Type says, read by the route itself so
    // that a PUT the link cuts short still keeps the bytes that arrived.
    blobs.removeAllContentTypeParsers();
    blobs.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    const checkHash = (sha256: string): void => {
      if (!SHA256_HEX_PATTERN.test(sha256)) throw new HqHttpError(400, 'BAD_REQUEST', 'The blob name must be its SHA-256 in 64 lower-case hex digits.');
    };

    blobs.head<{ Params: { stationId: string; sha256: string } }>('/api/v1/stations/:stationId/blobs/:sha256', { onRequest: requireStation }, async (request, reply) => {
      const station = stationOf(request);
      checkHash(request.params.sha256);
      const state = await readBlobState(sql, tenantSchemaName(station.tenantId), station.stationId, request.params.sha256);
      return blobHeaders(reply, state).code(200).send();
    });

    blobs.put<{ Params: { stationId: string; sha256: string } }>('/api/v1/stations/:stationId/blobs/:sha256', { onRequest: requireStation }, async (request, reply) => {
      const station = stationOf(request);
      const { sha256 } = request.params;
      checkHash(sha256);
      const range = parseContentRange(request.headers['content-range']);
      if (range === undefined) return sendError(reply, 400, 'BAD_RANGE', 'Send "Content-Range: bytes START-END/TOTAL" (END inclusive, END < TOTAL).');
      const announced = range.end - range.start + 1;
      if (announced > MAX_BLOB_CHUNK_BYTES) return sendError(reply, 413, 'PAYLOAD_TOO_LARGE', `One PUT carries at most ${MAX_BLOB_CHUNK_BYTES} bytes; send smaller chunks.`);
      const received = await readChunk(request.body as Readable | undefined, announced);
      if (received.cut) {
        // The link dropped in mid-PUT: keep the prefix that arrived, so the station resumes from its end.
        if (received.bytes.length > 0) {
          const prefix = { start: range.start, end: range.start + received.bytes.length - 1, total: range.total };
          await putBlobChunk(sql, tenantSchemaName(station.tenantId), station.stationId, sha256, prefix, received.bytes);
          request.log.info({ sha256, keptBytes: received.bytes.length }, 'blob upload cut short; kept what arrived');
        }
        return sendError(reply, 400, 'BAD_RANGE', 'The upload was cut short; HEAD tells from which byte to resume.');
      }
      const body = received.bytes;
      if (body.length !== announced) {
        if (body.length > announced) reply.header('connection', 'close');
        return sendError(reply, 400, 'BAD_RANGE', `Content-Range announces ${announced} bytes but the body has ${body.length}.`);
      }
      const result = await putBlobChunk(sql, tenantSchemaName(station.tenantId), station.stationId, sha256, range, body);
      blobHeaders(reply, result.state);
      if (result.ok) return reply.code(200).send({ sha256, heldBytes: result.state.heldBytes, totalBytes: result.state.totalBytes, complete: result.state.complete });
      switch (result.code) {
        case 'OFFSET_MISMATCH':
          return sendError(reply, 409, 'OFFSET_MISMATCH', `HQ holds ${result.state.heldBytes} bytes of this blob; resume from byte ${result.state.heldBytes}.`, { heldBytes: result.state.heldBytes });
        case 'TOTAL_MISMATCH':
          return sendError(reply, 409, 'TOTAL_MISMATCH', `HQ is receiving this blob as ${result.state.totalBytes ?? 0} bytes, not ${range.total}.`, { heldBytes: result.state.heldBytes, totalBytes: result.state.totalBytes });
        case 'HASH_MISMATCH':
          return sendError(reply, 422, 'HASH_MISMATCH', `The bytes received hash to ${result.actualSha256}, not ${sha256}; HQ dropped them: upload again from byte 0.`, { actualSha256: result.actualSha256, heldBytes: 0 });
        default:
          return unreachable(result);
      }
    });
  });

  return app;
}

/**
 * Reads a blob chunk of `announced` bytes. `cut`: the connection ended before the body did
 * (what arrived is a prefix of the bytes sent, in order). More bytes than announced are
 * not read past: the answer is then a length mismatch.
 */
async function readChunk(stream: Readable | undefined, announced: number): Promise<{ bytes: Buffer; cut: boolean }> {
  if (stream === undefined) return { bytes: Buffer.alloc(0), cut: false };
  // The station may have given up before the handler ran: its listeners would never fire.
  if (stream.destroyed || stream.readableAborted) return { bytes: Buffer.alloc(0), cut: true };
  const parts: Buffer[] = [];
  let length = 0;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (cut: boolean): void => {
      if (settled) return;
      settled = true;
      resolve({ bytes: Buffer.concat(parts), cut });
    };
    stream.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > announced) {
        // More than Content-Range announced: answer the mismatch (and close), read no further.
        parts.push(chunk);
        stream.pause();
        settle(false);
        return;
      }
      parts.push(chunk);
    });
    stream.on('end', () => settle(false));
    stream.on('error', () => settle(true));
    stream.on('close', () => settle(true));
  });
}

function unreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}
