/**
 * A minimal HTTP client for the HQ receiver (protocol §5), with no retry logic: what the
 * tests and tools use to play a station. Answers are returned as status + parsed JSON.
 */
import { gzipSync } from 'node:zlib';

export interface HqAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface BatchItemBody {
  seq: number;
  kind: string;
  at: string;
  data: Record<string, unknown>;
}

export interface BatchBody {
  stationId: string;
  tenantId: string;
  lane: string;
  fromSeq: number;
  toSeq: number;
  items: BatchItemBody[];
}

async function answer(response: Response): Promise<HqAnswer> {
  const text = await response.text();
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, body, headers: response.headers };
}

export async function postBatch(baseUrl: string, key: string | undefined, stationId: string, batch: unknown, options: { gzip?: boolean } = {}): Promise<HqAnswer> {
  const json = Buffer.from(JSON.stringify(batch));
  const isGzip = options.gzip ?? true;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (isGzip) headers['content-encoding'] = 'gzip';
  if (key !== undefined) headers['authorization'] = `Bearer ${key}`;
  const response = await fetch(`${baseUrl}/api/v1/stations/${encodeURIComponent(stationId)}/batches`, { method: 'POST', headers, body: isGzip ? gzipSync(json) : json });
  return answer(response);
}

export async function headBlob(baseUrl: string, key: string, stationId: string, sha256: string): Promise<HqAnswer> {
  const response = await fetch(`${baseUrl}/api/v1/stations/${encodeURIComponent(stationId)}/blobs/${sha256}`, { method: 'HEAD', headers: { authorization: `Bearer ${key}` } });
  return answer(response);
}

/** Sends `bytes` as the range starting at `start` of a blob of `total` bytes. */
export async function putBlobRange(baseUrl: string, key: string, stationId: string, sha256: string, start: number, bytes: Uint8Array, total: number): Promise<HqAnswer> {
  const response = await fetch(`${baseUrl}/api/v1/stations/${encodeURIComponent(stationId)}/blobs/${sha256}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream', 'content-range': `bytes ${start}-${start + bytes.length - 1}/${total}` },
    body: bytes,
  });
  return answer(response);
}

export async function getUpdates(baseUrl: string, key: string, stationId: string, since: string): Promise<HqAnswer> {
  const response = await fetch(`${baseUrl}/api/v1/stations/${encodeURIComponent(stationId)}/updates?since=${encodeURIComponent(since)}`, { headers: { authorization: `Bearer ${key}` } });
  return answer(response);
}

/** Items `from..to` of a lane, with a small event-shaped payload. */
export function makeBatch(stationId: string, tenantId: string, lane: string, from: number, to: number): BatchBody {
  const items: BatchItemBody[] = [];
  for (let seq = from; seq <= to; seq++) {
    items.push({ seq, kind: 'event', at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), data: { eventId: `${stationId}-${lane}-${seq}`, value: seq } });
  }
  return { stationId, tenantId, lane, fromSeq: from, toSeq: to, items };
}
