/** A minimal tablet over real HTTP for tests: pair, sync (optionally gzip), changes, photos. */
import { gzipSync } from 'node:zlib';

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

export async function http<T = unknown>(url: string, init: RequestInit = {}): Promise<HttpResult<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: body as T };
}

export class Tablet {
  token = '';
  constructor(
    public lanUrl: string,
    readonly deviceId: string,
  ) {}

  async pair(code: string): Promise<HttpResult<{ deviceToken: string }>> {
    const r = await http<{ deviceToken: string }>(`${this.lanUrl}/api/v1/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceId: this.deviceId, deviceName: `Tablet ${this.deviceId}` }),
    });
    if (r.status === 201) this.token = r.body.deviceToken;
    return r;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', ...extra };
  }

  async sync(events: unknown[], opts: { batchId?: string; deviceTime?: string; gzip?: boolean; deviceId?: string } = {}): Promise<HttpResult<Record<string, unknown>>> {
    const body = JSON.stringify({ deviceId: opts.deviceId ?? this.deviceId, batchId: opts.batchId ?? `${this.deviceId}-${Date.now()}-${Math.random()}`, deviceTime: opts.deviceTime ?? new Date().toISOString(), events });
    return http(`${this.lanUrl}/api/v1/sync`, {
      method: 'POST',
      headers: this.headers(opts.gzip === true ? { 'content-encoding': 'gzip' } : {}),
      body: opts.gzip === true ? gzipSync(body) : body,
    });
  }

  async changes(since?: string, limit?: number): Promise<HttpResult<Record<string, unknown>>> {
    const q = new URLSearchParams();
    if (since !== undefined) q.set('since', since);
    if (limit !== undefined) q.set('limit', String(limit));
    return http(`${this.lanUrl}/api/v1/changes?${q.toString()}`, { headers: this.headers() });
  }
}
