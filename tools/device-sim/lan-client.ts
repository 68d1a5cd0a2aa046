/**
 * A tablet fleet's HTTP connection to the station's device API (protocol §2), on node:http
 * with one keep-alive agent per fleet, so the fleet can close every connection it opened
 * when it is done (a station stopping meanwhile is never kept waiting on our idle sockets).
 * Guarantees: a call resolves with the status and the body (decoded JSON or null) or
 * rejects with the network error; no call outlives its timeout or the caller's signal;
 * `sync` bodies are gzip-compressed JSON; after `close()` no socket is left open.
 */
import http from 'node:http';
import https from 'node:https';
import { gzipSync } from 'node:zlib';

export interface HttpAnswer {
  status: number;
  /** The decoded JSON body; null when the body is empty or not JSON. */
  body: unknown;
  /** The raw body, shortened, for messages. */
  text: string;
}

export interface BytesAnswer {
  status: number;
  bytes: Uint8Array;
}

interface RequestOptions {
  token?: string | undefined;
  body?: Uint8Array;
  headers?: Record<string, string>;
}

function decoded(status: number, raw: Buffer): HttpAnswer {
  const text = raw.toString('utf8');
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  return { status, body, text: text.length <= 300 ? text : `${text.slice(0, 297)}…` };
}

/** The gzip body of a sync request: sending the same bytes twice is an exact resend. */
export function gzipJson(json: unknown): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(json), 'utf8'));
}

export class LanClient {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly requester: typeof http.request;
  /** Requests in flight: an abort destroys them all (one listener, not one per request). */
  private readonly inFlight = new Set<http.ClientRequest>();

  constructor(
    lanUrl: string,
    private readonly timeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {
    this.base = new URL(lanUrl.endsWith('/') ? lanUrl : `${lanUrl}/`);
    const secure = this.base.protocol === 'https:';
    if (!secure && this.base.protocol !== 'http:') throw new RangeError(`the LAN URL must be http:// or https:// (got "${lanUrl}")`);
    this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 64 }) : new http.Agent({ keepAlive: true, maxSockets: 64 });
    this.requester = secure ? https.request : http.request;
    signal?.addEventListener('abort', () => {
      for (const req of this.inFlight) req.destroy(new Error('aborted'));
    }, { once: true });
  }

  /** Closes every connection; later calls fail. */
  close(): void {
    this.agent.destroy();
  }

  private raw(method: string, path: string, opts: RequestOptions): Promise<{ status: number; raw: Buffer }> {
    const url = new URL(`api/v1${path}`, this.base);
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-length'] = String(opts.body.length);
    return new Promise((resolve, reject) => {
      if (this.signal?.aborted === true) {
        reject(new Error('aborted'));
        return;
      }
      const req = this.requester(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        let ended = false;
        res.on('end', () => {
          ended = true;
          resolve({ status: res.statusCode ?? 0, raw: Buffer.concat(chunks) });
        });
        res.on('error', reject);
        res.on('close', () => {
          if (!ended) reject(new Error('the connection closed before the answer was complete'));
        });
      });
      this.inFlight.add(req);
      req.on('close', () => this.inFlight.delete(req));
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(opts.body === undefined ? undefined : Buffer.from(opts.body.buffer, opts.body.byteOffset, opts.body.byteLength));
    });
  }

  async getJson(path: string, token?: string): Promise<HttpAnswer> {
    const { status, raw } = await this.raw('GET', path, { token });
    return decoded(status, raw);
  }

  async getBytes(path: string, token?: string): Promise<BytesAnswer> {
    const { status, raw } = await this.raw('GET', path, { token, headers: { accept: '*/*' } });
    return { status, bytes: new Uint8Array(raw) };
  }

  async postJson(path: string, json: unknown, token?: string): Promise<HttpAnswer> {
    const { status, raw } = await this.raw('POST', path, { token, body: Buffer.from(JSON.stringify(json), 'utf8'), headers: { 'content-type': 'application/json' } });
    return decoded(status, raw);
  }

  async postGzip(path: string, gzipped: Uint8Array, token?: string): Promise<HttpAnswer> {
    const { status, raw } = await this.raw('POST', path, { token, body: gzipped, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    return decoded(status, raw);
  }

  async putBytes(path: string, bytes: Uint8Array, contentType: string, token?: string): Promise<HttpAnswer> {
    const { status, raw } = await this.raw('PUT', path, { token, body: bytes, headers: { 'content-type': contentType } });
    return decoded(status, raw);
  }
}

/** "409 SOME_CODE: message" from an error answer. */
export function describeAnswer(a: HttpAnswer): string {
  const body = a.body;
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === 'object' && error !== null) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      return `${a.status} ${String(code)}: ${String(message)}`;
    }
  }
  return `${a.status} ${a.text}`;
}
