/** A plain HTTP client of the supervisor API (protocol §4): keeps the session cookie, sends nothing else. */
export class UiClient {
  cookie = '';
  constructor(readonly uiUrl: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const res = await fetch(`${this.uiUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(this.cookie === '' ? {} : { cookie: this.cookie }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie !== null) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await res.text();
    return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>, headers: res.headers };
  }

  login(username: string, password: string): ReturnType<UiClient['request']> {
    return this.request('POST', '/api/v1/session', { username, password });
  }

  async call<T = unknown>(method: string, args: unknown = {}): Promise<{ status: number; ok: boolean; value: T; error: { code: string; message: string } }> {
    const r = await this.request('POST', `/api/v1/${method}`, args);
    return { status: r.status, ok: r.body['ok'] === true, value: r.body['value'] as T, error: r.body['error'] as { code: string; message: string } };
  }
}
