/**
 * HQ of the relay bench, in its own process (forked by `bench/relay.ts`): the real
 * receiver (`buildHqServer`) on PGlite in a data dir, as `npm run hq` runs it. Hooks added
 * here (nothing in hq/ changes) log every request with wall-clock times — headers in
 * (`tReq`), body in (`tBody`), answer sent after COMMIT (`tRes`) — the bytes its socket
 * read for it, and what it carried (lane and seqs of a batch, range of a blob chunk).
 * Bytes a socket read after its last answered request, when it closes, are bytes of a
 * request that never completed (cut by the link): logged as losses.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createPgliteSql, type Sql } from '../hq/db.ts';
import { addStation } from '../hq/admin.ts';
import { migrate, tenantSchemaName } from '../hq/schema.ts';
import { buildHqServer } from '../hq/server.ts';
import { createLogger } from '../src/main/station/logger.ts';
import { serve } from './relay-ipc.ts';

export interface HqRequest {
  kind: 'batch' | 'blob-head' | 'blob-put' | 'health' | 'updates' | 'other';
  status: number;
  /** Headers received. */
  tReq: number;
  /** Body received and parsed (preHandler); null when it never got that far. */
  tBody: number | null;
  /** Answer written (onResponse: after COMMIT for a batch). */
  tRes: number;
  /** Bytes the socket read for this request (headers and body, as they came off the link). */
  bytesIn: number;
  bytesOut: number;
  socket: number;
  lane?: string;
  fromSeq?: number;
  toSeq?: number;
  /** Content-Length: the body as sent (gzip for a batch). */
  contentLength: number;
  /** blob-put: Content-Range start and end (inclusive). */
  rangeStart?: number;
  rangeEnd?: number;
  /** blob-head, blob-put: the blob. */
  sha256?: string;
}

export interface HqLoss {
  at: number;
  socket: number;
  /** Bytes read after the socket's last answered request: a request the link cut. */
  bytesIn: number;
  /** The request HQ had begun to read on that socket (null: the cut fell before its headers were in). */
  kind: HqRequest['kind'] | null;
  sha256?: string;
  rangeStart?: number;
}

interface SocketBook {
  id: number;
  attributedIn: number;
  attributedOut: number;
  /** The request being read or answered on the socket. */
  open: { kind: HqRequest['kind']; sha256?: string; rangeStart?: number } | null;
}

let sql: Sql | null = null;
let server: FastifyInstance | null = null;
let tenantSchema = 'tenant_default';
const requests: HqRequest[] = [];
const losses: HqLoss[] = [];
const books = new WeakMap<Socket, SocketBook>();
const started = new WeakMap<object, number>();
const bodies = new WeakMap<object, number>();

function need(): Sql {
  if (sql === null) throw new Error('HQ not started');
  return sql;
}

function kindOf(method: string, url: string): HqRequest['kind'] {
  if (url.startsWith('/api/v1/health')) return 'health';
  if (/\/batches(\?|$)/.test(url)) return 'batch';
  if (/\/updates(\?|$)/.test(url)) return 'updates';
  if (url.includes('/blobs/')) return method === 'HEAD' ? 'blob-head' : 'blob-put';
  return 'other';
}

/** A blob request's sha256 and Content-Range. */
function blobOf(url: string, contentRange: string | undefined): { sha256?: string; rangeStart?: number; rangeEnd?: number } {
  const sha = /\/blobs\/([0-9a-f]{64})/.exec(url)?.[1];
  if (sha === undefined) return {};
  const m = /bytes (\d+)-(\d+)\//.exec(contentRange ?? '');
  return m === null ? { sha256: sha } : { sha256: sha, rangeStart: Number(m[1]), rangeEnd: Number(m[2]) };
}

serve({
  init: async (args: { dataDir: string }) => {
    const db = await createPgliteSql(args.dataDir);
    sql = db;
    await migrate(db);
    const app = buildHqServer({ sql: db, logger: createLogger(process.env['LOG_LEVEL'] ?? 'warn') });
    server = app;
    let sockets = 0;
    app.server.on('connection', (socket: Socket) => {
      const book: SocketBook = { id: ++sockets, attributedIn: 0, attributedOut: 0, open: null };
      books.set(socket, book);
      socket.once('close', () => {
        const rest = socket.bytesRead - book.attributedIn;
        if (rest > 0) losses.push({ at: Date.now(), socket: book.id, bytesIn: rest, kind: book.open?.kind ?? null, ...(book.open?.sha256 === undefined ? {} : { sha256: book.open.sha256 }), ...(book.open?.rangeStart === undefined ? {} : { rangeStart: book.open.rangeStart }) });
      });
    });
    app.addHook('onRequest', async (request) => {
      started.set(request.raw, Date.now());
      const book = books.get(request.raw.socket);
      if (book !== undefined) book.open = { kind: kindOf(request.method, request.url), ...blobOf(request.url, request.headers['content-range']) };
    });
    app.addHook('preHandler', async (request) => {
      bodies.set(request.raw, Date.now());
    });
    app.addHook('onResponse', async (request, reply) => {
      const socket = request.raw.socket;
      const book = books.get(socket) ?? { id: 0, attributedIn: 0, attributedOut: 0, open: null };
      book.open = null;
      const entry: HqRequest = {
        kind: kindOf(request.method, request.url),
        status: reply.statusCode,
        tReq: started.get(request.raw) ?? Date.now(),
        tBody: bodies.get(request.raw) ?? null,
        tRes: Date.now(),
        bytesIn: socket.bytesRead - book.attributedIn,
        bytesOut: socket.bytesWritten - book.attributedOut,
        socket: book.id,
        contentLength: Number(request.headers['content-length'] ?? 0),
      };
      book.attributedIn = socket.bytesRead;
      book.attributedOut = socket.bytesWritten;
      if (entry.kind === 'batch') {
        const body = request.body as { lane?: unknown; fromSeq?: unknown; toSeq?: unknown } | null | undefined;
        if (typeof body?.lane === 'string') entry.lane = body.lane;
        if (typeof body?.fromSeq === 'number') entry.fromSeq = body.fromSeq;
        if (typeof body?.toSeq === 'number') entry.toSeq = body.toSeq;
      }
      if (entry.kind === 'blob-put' || entry.kind === 'blob-head') Object.assign(entry, blobOf(request.url, request.headers['content-range']));
      requests.push(entry);
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return { port: Number(new URL(url).port) };
  },
  addStation: async (args: { stationId: string; tenantId: string }) => {
    tenantSchema = tenantSchemaName(args.tenantId);
    return addStation(need(), { stationId: args.stationId, tenantId: args.tenantId });
  },
  /** Requests answered and losses seen since the last call. */
  log: () => ({ requests: requests.splice(0, requests.length), losses: losses.splice(0, losses.length) }),
  /** When HQ committed one item (its received_at), or null while it does not hold it. */
  item: async (args: { stationId: string; lane: string; seq: number }) => {
    const rows = await need().query(`SELECT received_at FROM ${tenantSchema}.items WHERE station_id = $1 AND lane = $2 AND seq = $3`, [args.stationId, args.lane, args.seq]);
    const at = rows[0]?.['received_at'];
    return at === undefined ? null : new Date(at as string | Date).getTime();
  },
  lanes: async (args: { stationId: string }) => {
    const rows = await need().query(`SELECT lane, count(*) AS n, count(DISTINCT seq) AS d, max(seq) AS max FROM ${tenantSchema}.items WHERE station_id = $1 GROUP BY lane`, [args.stationId]);
    return Object.fromEntries(rows.map((r) => [String(r['lane']), { n: Number(r['n']), distinct: Number(r['d']), max: Number(r['max']) }]));
  },
  /** Event ids held more than once (an event relayed twice under two seqs). */
  duplicateEvents: async (args: { stationId: string }) => {
    const rows = await need().query(`SELECT count(*) - count(DISTINCT data->>'id') AS dup FROM ${tenantSchema}.items WHERE station_id = $1 AND kind = 'event'`, [args.stationId]);
    return Number(rows[0]?.['dup'] ?? 0);
  },
  blobs: async (args: { stationId: string }) => {
    const rows = await need().query(`SELECT count(*) FILTER (WHERE complete) AS complete, count(*) AS n, coalesce(sum(held_bytes), 0) AS held FROM ${tenantSchema}.blobs WHERE station_id = $1`, [args.stationId]);
    return { complete: Number(rows[0]?.['complete'] ?? 0), n: Number(rows[0]?.['n'] ?? 0), heldBytes: Number(rows[0]?.['held'] ?? 0) };
  },
  stop: async () => {
    if (server !== null) await server.close();
    server = null;
    if (sql !== null) await sql.close();
    sql = null;
  },
});
