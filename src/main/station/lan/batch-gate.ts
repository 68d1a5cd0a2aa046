/**
 * At most `limit` sync batches are read and in progress at once; the others wait unread
 * (their bytes stay in the socket, TCP holds the tablet back). Batches are written one
 * after another anyway, so twenty tablets docking at once hold a few parsed batches in
 * memory instead of twenty.
 */
export class BatchGate {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#free = limit;
  }

  /** Waits for a place; the function it returns gives the place back (once, however often called). */
  async enter(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.#waiting.shift();
      if (next === undefined) this.#free++;
      else next();
    };
  }
}
