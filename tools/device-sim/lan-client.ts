/**
 * A tablet's HTTP calls to the station's device API (protocol §2), over real HTTP (fetch).
 * Guarantees: a call resolves with the status and the decoded body (null when the body is
 * not JSON) or rejects with the network error; `sync` bodies are gzip-compressed JSON; no
 * call outlives its timeout or the caller's signal.
 */
import { gzipSync } from 'node:zlib';

export interface HttpAnswer {
  status: number;
  /** The decoded JSON body; null when the body is empty or not JSON. */
  body: unknown;
  /** The raw body, shortened, for messages. */
  text: string;
}

export interface CallOptions {
  token?: string;
  signal?: AbortSignal;
  timeoutMs: number;
}

function signalOf(opts: CallOptions): AbortSignal {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  return opts.signal === undefined ? timeout : AbortSignal.any([opts.signal, timeout]);
}

async function answerOf(res: Response): Promise<HttpAnswer> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, body, text: text.length <= 300 ? text : `${text.slice(0, 297)}…` };
}

function headersOf(opts: CallOptions, extra: Record<string, string>): Record<string, string> {
  return opts.token === undefined ? extra : { ...extra, authorization: `Bearer ${opts.token}` };
}

export function endpoint(lanUrl: string, path: string): string {
  return `${lanUrl.replace(/\/+$/, '')}/api/v1${path}`;
}

export async function getJson(lanUrl: string, path: string, opts: CallOptions): Promise<HttpAnswer> {
  const res = await fetch(endpoint(lanUrl, path), { headers: headersOf(opts, { accept: 'application/json' }), signal: signalOf(opts) });
  return answerOf(res);
}

export async function getBytes(lanUrl: string, path: string, opts: CallOptions): Promise<{ status: number; bytes: Uint8Array }> {
  const res = await fetch(endpoint(lanUrl, path), { headers: headersOf(opts, {}), signal: signalOf(opts) });
  return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) };
}

export async function postJson(lanUrl: string, path: string, json: unknown, opts: CallOptions): Promise<HttpAnswer> {
  const res = await fetch(endpoint(lanUrl, path), {
    method: 'POST',
    headers: headersOf(opts, { 'content-type': 'application/json', accept: 'application/json' }),
    body: JSON.stringify(json),
    signal: signalOf(opts),
  });
  return answerOf(res);
}

/** The gzip body of a sync request: sending the same bytes twice is an exact resend. */
export function gzipJson(json: unknown): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(json), 'utf8'));
}

export async function postGzip(lanUrl: string, path: string, gzipped: Uint8Array, opts: CallOptions): Promise<HttpAnswer> {
  const res = await fetch(endpoint(lanUrl, path), {
    method: 'POST',
    headers: headersOf(opts, { 'content-type': 'application/json', 'content-encoding': 'gzip', accept: 'application/json' }),
    body: gzipped,
    signal: signalOf(opts),
  });
  return answerOf(res);
}

export async function putBytes(lanUrl: string, path: string, bytes: Uint8Array, contentType: string, opts: CallOptions): Promise<HttpAnswer> {
  const res = await fetch(endpoint(lanUrl, path), {
    method: 'PUT',
    headers: headersOf(opts, { 'content-type': contentType, accept: 'application/json' }),
    body: bytes,
    signal: signalOf(opts),
  });
  return answerOf(res);
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
