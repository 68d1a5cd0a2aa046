/**
 * One direction of one proxied connection: bytes read from `source` wait in a FIFO until the
 * core's delivery time, then are written to `sink`. Real timers live here, decisions in the
 * core. Guarantees: bytes come out in order and intact; none is written before its
 * delivery time (a timer that fires early is re-armed); nothing is written while the link is
 * down (held bytes are re-timed by `resume`); the source is paused while more than
 * `maxQueuedBytes` wait or the sink needs draining, so a fast sender feels the cap the way
 * TCP makes it feel a slow link; the sink is ended once the source has ended and the queue
 * is empty.
 */
import type { Socket } from 'node:net';
import type { Direction, LinkCore } from './link-core.ts';

interface Pending {
  readonly bytes: Buffer;
  deliverAtMs: number;
  readonly isLastBeforeReset: boolean;
}

export interface PipeHooks {
  readonly now: () => number;
  /** Bytes were written to the sink. */
  readonly onDelivered: (direction: Direction, bytes: number) => void;
  /** The byte after which the connection is to be reset has been delivered. */
  readonly onResetPoint: () => void;
}

export class ShapedPipe {
  readonly direction: Direction;
  readonly #source: Socket;
  readonly #sink: Socket;
  readonly #core: LinkCore;
  readonly #hooks: PipeHooks;
  readonly #maxQueuedBytes: number;
  readonly #queue: Pending[] = [];
  #queuedBytes = 0;
  #timer: NodeJS.Timeout | null = null;
  #hasSourceEnded = false;
  #isStopped = false;

  constructor(direction: Direction, source: Socket, sink: Socket, core: LinkCore, hooks: PipeHooks, maxQueuedBytes: number) {
    this.direction = direction;
    this.#source = source;
    this.#sink = sink;
    this.#core = core;
    this.#hooks = hooks;
    this.#maxQueuedBytes = maxQueuedBytes;
    sink.on('drain', () => this.#updateFlow());
  }

  /** Takes bytes read from the source; `isLastBeforeReset` marks the reset point. */
  push(bytes: Buffer, isLastBeforeReset: boolean): void {
    if (this.#isStopped || bytes.length === 0) return;
    const now = this.#hooks.now();
    const segments = this.#core.planDelivery(this.direction, now, bytes.length);
    let offset = 0;
    segments.forEach((s, i) => {
      const isLast = i === segments.length - 1;
      this.#queue.push({ bytes: bytes.subarray(offset, offset + s.length), deliverAtMs: s.deliverAtMs, isLastBeforeReset: isLastBeforeReset && isLast });
      offset += s.length;
    });
    this.#queuedBytes += bytes.length;
    this.#updateFlow();
    this.#arm();
  }

  sourceEnded(): void {
    this.#hasSourceEnded = true;
    this.#flush();
  }

  /** The link went down: hold everything, read nothing. */
  hold(): void {
    this.#clearTimer();
    this.#source.pause();
  }

  /** The link is up again at `upAtMs`: re-time held bytes and carry on. */
  resume(upAtMs: number): void {
    for (const p of this.#queue) p.deliverAtMs = this.#core.resumeAt(upAtMs, p.deliverAtMs);
    this.#updateFlow();
    this.#arm();
  }

  stop(): void {
    this.#isStopped = true;
    this.#clearTimer();
    this.#queue.length = 0;
    this.#queuedBytes = 0;
  }

  #arm(): void {
    if (this.#timer !== null || this.#isStopped) return;
    const head = this.#queue[0];
    if (head === undefined) return;
    const delayMs = head.deliverAtMs - this.#hooks.now();
    if (delayMs <= 0) {
      this.#flush();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#flush();
    }, Math.ceil(delayMs));
  }

  #flush(): void {
    if (this.#isStopped) return;
    const now = this.#hooks.now();
    if (this.#core.isDown(now)) return; // held; the link-up handler calls resume()
    for (let head = this.#queue[0]; head !== undefined && head.deliverAtMs <= now; head = this.#queue[0]) {
      this.#queue.shift();
      this.#queuedBytes -= head.bytes.length;
      this.#sink.write(head.bytes);
      this.#hooks.onDelivered(this.direction, head.bytes.length);
      if (head.isLastBeforeReset) {
        this.#hooks.onResetPoint();
        return;
      }
    }
    if (this.#queue.length === 0 && this.#hasSourceEnded && !this.#sink.writableEnded) this.#sink.end();
    this.#updateFlow();
    this.#arm();
  }

  #updateFlow(): void {
    if (this.#isStopped) return;
    const isBlocked = this.#queuedBytes > this.#maxQueuedBytes || this.#sink.writableNeedDrain || this.#core.isDown(this.#hooks.now());
    if (isBlocked) this.#source.pause();
    else this.#source.resume();
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
