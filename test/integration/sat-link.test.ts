/**
 * The sat-link proxy on loopback against servers the test starts. Timings are checked only
 * as lower bounds computed from the profile (the machine is noisy); every target is 127.0.0.1.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createSatLink } from '../../tools/sat-link/sat-link.ts';
import type { SatLink, SatLinkOptions } from '../../tools/sat-link/sat-link.ts';

const HOST = '127.0.0.1';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** Echoes every byte back and ends when the client ends. */
async function startEcho(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.pipe(s);
  });
  const port = await listen(server);
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
  });
  return port;
}

/** Answers any request with `body` as an HTTP/1.1 response, then closes. */
async function startHttp(body: Buffer): Promise<number> {
  const server = createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => {
      s.write(`HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`);
      s.end(body);
    });
  });
  return listen(server);
}

async function startLink(options: Omit<SatLinkOptions, 'targetHost' | 'listenHost'>): Promise<SatLink> {
  const link = await createSatLink({ listenHost: HOST, targetHost: HOST, ...options });
  cleanups.push(() => link.close());
  return link;
}

interface Exchange {
  readonly received: Buffer;
  readonly error: NodeJS.ErrnoException | null;
  readonly firstByteMs: number | null;
  readonly elapsedMs: number;
}

/** Connects, sends `payload` (then FIN unless told not to), collects until the socket closes. */
function exchange(port: number, payload: Buffer, { end = true } = {}): Promise<Exchange> {
  return new Promise((resolve) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let error: NodeJS.ErrnoException | null = null;
    let firstByteMs: number | null = null;
    const socket = createConnection({ host: HOST, port, allowHalfOpen: true }, () => {
      socket.write(payload);
      if (end) socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      firstByteMs ??= performance.now() - started;
      chunks.push(chunk);
    });
    socket.on('end', () => socket.end());
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e;
    });
    socket.on('close', () => resolve({ received: Buffer.concat(chunks), error, firstByteMs, elapsedMs: performance.now() - started }));
  });
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('sat-link passes bytes intact', () => {
  it('1 MB of random bytes goes up and comes back unchanged through the perfect profile', async () => {
    const link = await startLink({ targetPort: await startEcho(), profile: 'perfect' });
    const payload = randomBytes(1_000_000);
    const { received, error } = await exchange(link.port, payload);
    expect(error).toBeNull();
    expect(sha256(received)).toBe(sha256(payload));
    expect(link.stats()).toMatchObject({ bytesUp: 1_000_000, bytesDown: 1_000_000, connectionsAccepted: 1, connectionsReset: 0 });
  });

  it('1 MB comes back unchanged through a fast shaped profile, several connections at once', async () => {
    const link = await startLink({
      targetPort: await startEcho(),
      profile: 'perfect',
      overrides: { oneWayLatencyMs: 5, upBitsPerSecond: 100_000_000, downBitsPerSecond: 200_000_000, segmentBytes: 16_384 },
    });
    const payloads = [randomBytes(1_000_000), randomBytes(300_000), randomBytes(1)];
    const results = await Promise.all(payloads.map((p) => exchange(link.port, p)));
    results.forEach((r, i) => {
      expect(r.error).toBeNull();
      expect(sha256(r.received)).toBe(sha256(payloads[i] ?? Buffer.alloc(0)));
    });
    expect(link.stats().bytesUp).toBe(1_300_001);
    expect(link.stats().bytesDown).toBe(1_300_001);
  });
});

describe('sat-link shapes time', () => {
  it('a round trip takes at least twice the one-way latency', async () => {
    const link = await startLink({ targetPort: await startEcho(), profile: 'perfect', overrides: { oneWayLatencyMs: 150 } });
    const { firstByteMs, received } = await exchange(link.port, Buffer.from('ping'));
    expect(received.toString()).toBe('ping');
    expect(firstByteMs).toBeGreaterThanOrEqual(300);
  });

  it('a 200 kB download under a 1 Mbit/s cap takes at least bytes·8/rate', async () => {
    const body = randomBytes(200_000);
    const rate = 1_000_000;
    const link = await startLink({ targetPort: await startHttp(body), profile: 'perfect', overrides: { downBitsPerSecond: rate } });
    const { received, elapsedMs } = await exchange(link.port, Buffer.from('GET / HTTP/1.1\r\nhost: x\r\n\r\n'), { end: false });
    expect(received.subarray(-body.length).equals(body)).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual((received.length * 8 * 1000) / rate);
  });

  it('a 200 kB upload under a 2 Mbit/s cap takes at least bytes·8/rate to come back', async () => {
    const rate = 2_000_000;
    const link = await startLink({ targetPort: await startEcho(), profile: 'perfect', overrides: { upBitsPerSecond: rate } });
    const payload = randomBytes(200_000);
    const { received, elapsedMs } = await exchange(link.port, payload);
    expect(received.equals(payload)).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual((payload.length * 8 * 1000) / rate);
  });
});

describe('sat-link outages', () => {
  it('while the link is down new connections fail; setOnline(true) restores service', async () => {
    const link = await startLink({ targetPort: await startEcho(), profile: 'perfect' });
    link.setOnline(false);
    expect(link.stats().isOnline).toBe(false);
    const refused = await exchange(link.port, Buffer.from('hello'));
    expect(refused.received.length).toBe(0);
    expect(link.stats()).toMatchObject({ connectionsRefused: 1, connectionsAccepted: 0, bytesUp: 0 });
    link.setOnline(true);
    const served = await exchange(link.port, Buffer.from('hello'));
    expect(served.received.toString()).toBe('hello');
    expect(link.stats()).toMatchObject({ isOnline: true, connectionsAccepted: 1, outages: 1 });
  });

  it('scheduled outages come and go on their own: refused while down, served once up, both logged', async () => {
    const lines: string[] = [];
    const link = await startLink({
      targetPort: await startEcho(),
      profile: 'perfect',
      overrides: { periodicOutage: { everyMs: 1000, forMinMs: 300, forMaxMs: 300 } },
      log: (line) => lines.push(line),
    });
    while (link.stats().isOnline) await sleep(5);
    const refused = await exchange(link.port, Buffer.from('hello'));
    expect(refused.received.length).toBe(0);
    while (!link.stats().isOnline) await sleep(5);
    const served = await exchange(link.port, Buffer.from('hello'));
    expect(served.received.toString()).toBe('hello');
    expect(lines.some((l) => l.startsWith('link down (scheduled)'))).toBe(true);
    expect(lines.some((l) => l.startsWith('link up'))).toBe(true);
  });

  it('an established connection stalls through an outage and carries on after it', async () => {
    const link = await startLink({ targetPort: await startEcho(), profile: 'perfect', overrides: { oneWayLatencyMs: 20 } });
    const socket = createConnection({ host: HOST, port: link.port });
    cleanups.push(async () => {
      socket.destroy();
    });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    link.setOnline(false);
    socket.write('held');
    await sleep(200);
    expect(Buffer.concat(chunks).length).toBe(0);
    const upAt = performance.now();
    link.setOnline(true);
    while (Buffer.concat(chunks).length < 4) await sleep(5);
    expect(performance.now() - upAt).toBeGreaterThanOrEqual(2 * 20 - 1);
    expect(Buffer.concat(chunks).toString()).toBe('held');
  });

  it('an outage longer than stallResetMs resets the connections it stalled', async () => {
    const link = await startLink({ targetPort: await startEcho(), profile: 'perfect', overrides: { stallResetMs: 100 } });
    const pending = exchange(link.port, Buffer.from('x'), { end: false });
    await sleep(50);
    const downAt = performance.now();
    link.setOnline(false);
    const { error } = await pending;
    expect(performance.now() - downAt).toBeGreaterThanOrEqual(99);
    expect(error?.code).toBe('ECONNRESET');
    expect(link.stats().connectionsReset).toBe(1);
  });
});

describe('sat-link resets', () => {
  it('a doomed connection is reset in mid-response: the client’s socket closes with part of the body', async () => {
    const body = randomBytes(1_000_000);
    const link = await startLink({
      targetPort: await startHttp(body),
      profile: 'perfect',
      overrides: { resetProbability: 1, resetAfterMinBytes: 50_000, resetAfterMaxBytes: 60_000 },
      seed: 3,
    });
    const { received, error } = await exchange(link.port, Buffer.from('GET / HTTP/1.1\r\nhost: x\r\n\r\n'), { end: false });
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(60_000);
    // The proxy sends an RST. When it lands together with the last bytes, libuv on Linux
    // reports the hang-up as EOF rather than ECONNRESET; either way the response is cut short.
    expect(error === null || error.code === 'ECONNRESET').toBe(true);
    expect(link.stats().connectionsReset).toBe(1);
  });

  it('a target that refuses connections shows up as a reset, not a hang', async () => {
    const closedPort = await listen(createServer());
    await new Promise<void>((resolve) => {
      const server = cleanups.pop();
      void server?.().then(resolve);
    });
    const link = await startLink({ targetPort: closedPort, profile: 'perfect' });
    const { received } = await exchange(link.port, Buffer.from('hello'));
    expect(received.length).toBe(0);
  });
});
