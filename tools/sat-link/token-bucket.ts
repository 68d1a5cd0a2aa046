/**
 * A token bucket in bits, driven by a clock value the caller passes in (no timers).
 *
 * Guarantees: tokens refill at `bitsPerSecond` up to `burstBits`; a reservation may drive
 * the bucket into debt, and its bytes count as sent when the debt is paid back. So any run
 * of reservations totalling B bits made from time t0 on completes no earlier than
 * t0 + (B − burstBits) / rate, and with `burstBits = 0` the bucket is a plain serializer.
 * A clock value earlier than one already seen is treated as that one (time never goes back).
 */
export class TokenBucket {
  readonly bitsPerSecond: number;
  readonly burstBits: number;
  #tokensBits: number;
  #lastMs: number;

  constructor(bitsPerSecond: number, burstBits: number, startMs = 0) {
    if (!(bitsPerSecond > 0)) throw new RangeError('bitsPerSecond must be > 0');
    if (!(burstBits >= 0)) throw new RangeError('burstBits must be ≥ 0');
    this.bitsPerSecond = bitsPerSecond;
    this.burstBits = burstBits;
    this.#tokensBits = burstBits;
    this.#lastMs = startMs;
  }

  /** Tokens (bits) available at `nowMs`; negative while a debt is being paid. Pure. */
  tokensAt(nowMs: number): number {
    const t = Math.max(nowMs, this.#lastMs);
    return Math.min(this.burstBits, this.#tokensBits + ((t - this.#lastMs) * this.bitsPerSecond) / 1000);
  }

  /** Takes `bytes` at `nowMs`; returns the time at which their last bit has left. */
  reserve(nowMs: number, bytes: number): number {
    const t = Math.max(nowMs, this.#lastMs);
    this.#tokensBits = this.tokensAt(t) - bytes * 8;
    this.#lastMs = t;
    return this.#tokensBits >= 0 ? t : t + (-this.#tokensBits * 1000) / this.bitsPerSecond;
  }
}
