/**
 * What the station holds, as Bloom filters of event ids and record keys: "certainly not
 * held" lets a batch skip looking up the ids and keys that are new — most of a docking's —
 * and only those that may be held are looked up. Every event and record a write session
 * inserts is added as it is planned; the rows that were there at start are read in slices
 * after start, and until that is done every id and key counts as maybe held.
 *
 * A false "maybe" costs a lookup. A false "not held" would send a duplicate insert to the
 * writer, whose UNIQUE index refuses it: the batch fails, nothing of it is kept, and the
 * filters are read again from the database (`reload`), so its resend is decided right.
 */
import type { StationDb } from '../db/open-database.ts';

const BITS_PER_KEY = 10;
const HASHES = 7;
const SLICE_ROWS = 20_000;

function fnv1a(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export class KeyFilter {
  /** Keys it holds at about 1 % false "maybe"s (at least the capacity asked for). */
  readonly capacity: number;
  readonly #bits: Uint32Array;
  readonly #mask: number;
  #count = 0;

  constructor(minCapacity: number) {
    let size = 1024;
    while (size < minCapacity * BITS_PER_KEY) size *= 2;
    this.capacity = Math.floor(size / BITS_PER_KEY);
    this.#bits = new Uint32Array(size / 32);
    this.#mask = size - 1;
  }

  get count(): number {
    return this.#count;
  }

  add(text: string): void {
    const h1 = fnv1a(text, 2166136261);
    const h2 = fnv1a(text, 0x9747b28c) | 1;
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask;
      this.#bits[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.#count++;
  }

  mayHave(text: string): boolean {
    const h1 = fnv1a(text, 2166136261);
    const h2 = fnv1a(text, 0x9747b28c) | 1;
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask;
      if ((this.#bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

interface Filters {
  events: KeyFilter;
  records: KeyFilter;
}

export class HeldKeys {
  readonly #db: StationDb;
  /** The filters in use, once complete. */
  #ready: Filters | null = null;
  /** The filters being read from the database; what is planned meanwhile goes into both. */
  #loading: Filters | null = null;
  #loaded: Promise<void> = Promise.resolve();

  constructor(db: StationDb) {
    this.#db = db;
  }

  /** Resolves once the rows held when the last load began are all in the filters. */
  get loaded(): Promise<void> {
    return this.#loaded;
  }

  mayHoldEvent(id: string): boolean {
    return this.#ready === null || this.#ready.events.mayHave(id);
  }

  mayHoldRecord(key: string): boolean {
    return this.#ready === null || this.#ready.records.mayHave(key);
  }

  addEvent(id: string): void {
    this.#ready?.events.add(id);
    this.#loading?.events.add(id);
    if (this.#ready !== null && this.#ready.events.count > this.#ready.events.capacity) this.reload();
  }

  addRecord(key: string): void {
    this.#ready?.records.add(key);
    this.#loading?.records.add(key);
    if (this.#ready !== null && this.#ready.records.count > this.#ready.records.capacity) this.reload();
  }

  /** Reads the filters again from the database, a slice per turn of the event loop; until then every id and key may be held. */
  reload(): void {
    if (this.#loading !== null) return;
    const count = (sql: string): number => (this.#db.prepare(sql).get() as { n: number }).n;
    // Room for a quarter more than is held (and the rounding up to a power of two), so the
    // filters last a while as the station grows: 2 MiB each for a million rows.
    const sized = (sql: string): KeyFilter => new KeyFilter(Math.max(Math.ceil(1.25 * count(sql)), 100_000));
    const filters = { events: sized('SELECT count(*) AS n FROM events'), records: sized('SELECT count(*) AS n FROM records') };
    this.#ready = null;
    this.#loading = filters;
    this.#loaded = (async () => {
      await this.#scan('SELECT id AS k FROM events WHERE id > ? ORDER BY id LIMIT ?', filters.events);
      await this.#scan('SELECT key AS k FROM records WHERE key > ? ORDER BY key LIMIT ?', filters.records);
      if (this.#loading === filters) {
        this.#ready = filters;
        this.#loading = null;
      }
    })();
  }

  async #scan(sql: string, filter: KeyFilter): Promise<void> {
    const slice = this.#db.prepare(sql).pluck();
    let after = '';
    for (;;) {
      if (!this.#db.open) return;
      const keys = slice.all(after, SLICE_ROWS) as string[];
      for (const k of keys) filter.add(k);
      if (keys.length < SLICE_ROWS) return;
      after = keys[keys.length - 1]!;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
