/**
 * The satellite-link emulator: a user-space TCP proxy (no tc/netem needed) that shapes both
 * directions through the pure core (`link-core.ts`) with real timers.
 *
 * What an outage does, and why (a GEO modem, approximated):
 *  - new connections: on a real link the SYN goes into the void and the client's connect
 *    times out. On loopback the kernel completes the handshake before the proxy sees the
 *    socket, so the closest we can do is fail it at once: it is reset (RST) on accept and never
 *    reaches the target. Clients see ECONNRESET (or EOF) instead of a connect timeout.
 *  - established connections stall: nothing is read or delivered, bytes in flight are held,
 *    and when the link comes back they arrive one one-way latency later. If the outage lasts
 *    longer than the profile's `stallResetMs` (the modem/PEP gives up on the flow) every
 *    connection that was open is reset.
 *  - connections the core dooms are reset (RST both ways) once their byte budget has crossed.
 * `setOnline(false)` forces an outage until `setOnline(true)`, on top of the schedule.
 */
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { LinkCore } from './link-core.ts';
import type { ConnectionPlan, Direction } from './link-core.ts';
import { resolveProfile } from './profiles.ts';
import type { LinkProfile, ProfileName, ProfileOverrides } from './profiles.ts';
import { ShapedPipe } from './shaped-pipe.ts';

export interface SatLinkOptions {
  readonly listenHost?: string;
  /** 0 (the default) picks a free port; read it back from `port`. */
  readonly listenPort?: number;
  readonly targetHost: string;
  readonly targetPort: number;
  readonly profile?: ProfileName | LinkProfile;
  readonly overrides?: ProfileOverrides;
  readonly seed?: number;
  readonly log?: (message: string) => void;
}

export interface SatLinkStats {
  readonly profile: string;
  readonly isOnline: boolean;
  readonly connectionsAccepted: number;
  readonly connectionsRefused: number;
  readonly connectionsReset: number;
  readonly connectionsOpen: number;
  /** Bytes delivered to the target (client → target). */
  readonly bytesUp: number;
  /** Bytes delivered to the client (target → client). */
  readonly bytesDown: number;
  readonly outages: number;
}

export interface SatLink {
  readonly port: number;
  readonly profile: LinkProfile;
  stats(): SatLinkStats;
  setOnline(isOnline: boolean): void;
  close(): Promise<void>;
}

const MIN_QUEUE_BYTES = 65_536;

interface Connection {
  readonly client: Socket;
  readonly target: Socket;
  readonly pipes: readonly ShapedPipe[];
  reset(): void;
}

/** The most bytes one direction may hold in flight: twice the bandwidth-delay product, ≥ 64 KiB. */
function maxQueuedBytes(profile: LinkProfile, direction: Direction): number {
  const rate = direction === 'up' ? profile.upBitsPerSecond : profile.downBitsPerSecond;
  if (rate === null) return MIN_QUEUE_BYTES;
  return Math.max(MIN_QUEUE_BYTES, Math.ceil(((rate / 8) * 4 * profile.oneWayLatencyMs) / 1000));
}

export async function createSatLink(options: SatLinkOptions): Promise<SatLink> {
  const profile = resolveProfile(options.profile ?? 'perfect', options.overrides);
  const log = options.log ?? ((): void => {});
  const startedAt = performance.now();
  const now = (): number => performance.now() - startedAt;
  const core = new LinkCore(profile, options.seed ?? 1, 0);
  const connections = new Set<Connection>();
  const counts = { connectionsAccepted: 0, connectionsRefused: 0, connectionsReset: 0, bytesUp: 0, bytesDown: 0, outages: 0 };
  let isDown = core.isDown(0);
  let stateTimer: NodeJS.Timeout | null = null;
  let stallTimer: NodeJS.Timeout | null = null;
  let isClosed = false;

  const byteLine = (): string => `up ${counts.bytesUp} B, down ${counts.bytesDown} B, ${connections.size} open`;

  function onLinkChange(): void {
    const t = now();
    const isDownNow = core.isDown(t);
    if (isDownNow !== isDown) {
      isDown = isDownNow;
      if (isDown) {
        counts.outages++;
        log(`link down (${core.isForcedDown ? 'forced' : 'scheduled'}); ${byteLine()}`);
        for (const c of connections) for (const p of c.pipes) p.hold();
        const resetAt = core.stallResetAt(t);
        if (resetAt !== null) stallTimer = setTimeout(resetStalled, Math.max(0, Math.ceil(resetAt - t)));
      } else {
        log(`link up; ${byteLine()}`);
        if (stallTimer !== null) clearTimeout(stallTimer);
        stallTimer = null;
        for (const c of connections) for (const p of c.pipes) p.resume(t);
      }
    }
    armStateTimer(t);
  }

  function armStateTimer(t: number): void {
    if (stateTimer !== null) clearTimeout(stateTimer);
    stateTimer = null;
    const next = isClosed ? null : core.nextChangeAt(t);
    if (next !== null) stateTimer = setTimeout(onLinkChange, Math.max(0, Math.ceil(next - t)));
  }

  function resetStalled(): void {
    stallTimer = null;
    if (!core.isDown(now())) return;
    if (connections.size > 0) log(`outage outlasted ${profile.stallResetMs} ms: resetting ${connections.size} stalled connection(s)`);
    for (const c of connections) c.reset();
  }

  function accept(client: Socket): void {
    const plan = core.openConnection(now());
    if (plan.isRefused || isClosed) {
      counts.connectionsRefused++;
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    counts.connectionsAccepted++;
    connections.add(bridge(client, plan));
  }

  function bridge(client: Socket, plan: ConnectionPlan): Connection {
    const target = createConnection({ host: options.targetHost, port: options.targetPort, allowHalfOpen: true });
    let crossedBytes = 0;
    let isGone = false;
    const hooks = {
      now,
      onDelivered: (direction: Direction, bytes: number): void => {
        if (direction === 'up') counts.bytesUp += bytes;
        else counts.bytesDown += bytes;
      },
      onResetPoint: (): void => connection.reset(),
    };
    const up = new ShapedPipe('up', client, target, core, hooks, maxQueuedBytes(profile, 'up'));
    const down = new ShapedPipe('down', target, client, core, hooks, maxQueuedBytes(profile, 'down'));
    const finish = (): void => {
      if (isGone) return;
      isGone = true;
      up.stop();
      down.stop();
      connections.delete(connection);
    };
    const connection: Connection = {
      client,
      target,
      pipes: [up, down],
      reset: () => {
        if (isGone) return;
        counts.connectionsReset++;
        log(`connection #${plan.index} reset after ${crossedBytes} B`);
        finish();
        client.resetAndDestroy();
        target.resetAndDestroy();
      },
    };
    const onData = (pipe: ShapedPipe) => (chunk: Buffer) => {
      if (isGone) return;
      const budget = plan.resetAfterBytes === null ? Infinity : plan.resetAfterBytes - crossedBytes;
      if (chunk.length >= budget) {
        // Bytes past the reset point are dropped: the connection dies when the last one lands.
        crossedBytes += budget;
        pipe.push(chunk.subarray(0, budget), true);
        return;
      }
      crossedBytes += chunk.length;
      pipe.push(chunk, false);
    };
    client.on('data', onData(up));
    target.on('data', onData(down));
    client.on('end', () => up.sourceEnded());
    target.on('end', () => down.sourceEnded());
    // An error on one side is a reset of the other (the link cannot say more than that).
    client.on('error', () => {
      finish();
      target.resetAndDestroy();
    });
    target.on('error', () => {
      finish();
      client.resetAndDestroy();
    });
    // A side that closed cleanly takes only the pipe writing to it along: bytes still on their
    // way to the other side keep going, and that side is ended once they have landed.
    client.on('close', () => {
      down.stop();
      if (target.destroyed) finish();
    });
    target.on('close', () => {
      up.stop();
      if (client.destroyed) finish();
    });
    return connection;
  }

  const server: Server = createServer({ allowHalfOpen: true, pauseOnConnect: false }, accept);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listenPort ?? 0, options.listenHost ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('sat-link: the listening socket has no TCP address');
  armStateTimer(0);
  log(`${profile.name} listening on ${options.listenHost ?? '127.0.0.1'}:${address.port} → ${options.targetHost}:${options.targetPort}; link ${isDown ? 'down' : 'up'}`);

  return {
    port: address.port,
    profile,
    stats: () => ({ profile: profile.name, isOnline: !core.isDown(now()), connectionsOpen: connections.size, ...counts }),
    setOnline: (isOnline: boolean) => {
      core.setForcedDown(!isOnline);
      onLinkChange();
    },
    close: async () => {
      isClosed = true;
      if (stateTimer !== null) clearTimeout(stateTimer);
      if (stallTimer !== null) clearTimeout(stallTimer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of connections) {
        c.client.destroy();
        c.target.destroy();
      }
      await closed;
      log(`closed; ${byteLine()}`);
    },
  };
}
