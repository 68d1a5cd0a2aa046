/**
 * The relay's compact batch encoding (protocol §5 extension, ADR 0006): the same batch
 * `{stationId, tenantId, lane, fromSeq, toSeq, items}`, with `items` turned into columns
 * before compression. Relay items are hundreds of near-identical JSON objects; laid out
 * by column, each field's values sit together, and three cheap transforms make them
 * smaller still before brotli sees them:
 *
 * - `t` instants (`…T…:…:….mmmZ`) as millisecond deltas from the previous row;
 * - `i` safe integers as deltas (seq runs become runs of 1);
 * - `d` a dictionary when few distinct values repeat (types, units, well ids, lanes);
 * - `s` the same values as an earlier column (an event's `result.eventId` is its `id`);
 * - `r` anything else, as is.
 *
 * A column covers one path of plain-object keys; arrays and empty objects are values.
 * Rows that lack the path are marked in `p`, run lengths alternating present/absent
 * starting with present. `decodeColumnar(encodeColumnar(x))` deep-equals `x` for any JSON
 * items (key order may differ, which JSON consumers never see). Pure: no I/O.
 */

export const COLUMNAR_CONTENT_TYPE = 'application/vnd.wellos.columnar+json';
export const COLUMNAR_VERSION = 1;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Row = { [key: string]: Json };

export interface Column {
  /** The key path in each item. */
  k: string[];
  /** Encoding: t(imestamp delta), i(nteger delta), d(ictionary), s(ame as column `ref`), r(aw). */
  e: 't' | 'i' | 'd' | 's' | 'r';
  /** Present/absent run lengths, starting with present; omitted when every row has the path. */
  p?: number[];
  /** Values of the rows that have the path, encoded per `e` (empty for `s`). */
  v: Json[];
  /** The dictionary of a `d` column. */
  dict?: Json[];
  /** The earlier column an `s` column repeats. */
  ref?: number;
}

export interface ColumnarBatch {
  v: typeof COLUMNAR_VERSION;
  stationId: string;
  tenantId: string;
  lane: string;
  fromSeq: number;
  toSeq: number;
  n: number;
  cols: Column[];
}

export interface PlainBatch {
  stationId: string;
  tenantId: string;
  lane: string;
  fromSeq: number;
  toSeq: number;
  items: readonly unknown[];
}

const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function isPlainObject(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Leaf values of `row` by path; non-empty plain objects are walked into. */
function flatten(row: Json, path: string[], visit: (path: string[], value: Json) => void): void {
  if (isPlainObject(row) && Object.keys(row).length > 0) {
    for (const [key, value] of Object.entries(row)) flatten(value, [...path, key], visit);
  } else {
    visit(path, row);
  }
}

function isInstant(value: Json): value is string {
  if (typeof value !== 'string' || !INSTANT.test(value)) return false;
  // "2026-13-01T…" looks like an instant but is none: Date.parse gives NaN.
  const ms = Date.parse(value);
  return Number.isFinite(ms) && new Date(ms).toISOString() === value;
}

/** Deltas of a column of safe integers, when every delta is one too (else the column is not delta-coded). */
function safeDeltas(values: readonly number[]): number[] | null {
  let prev = 0;
  const deltas: number[] = [];
  for (const x of values) {
    const delta = x - prev;
    if (!Number.isSafeInteger(delta)) return null;
    deltas.push(delta);
    prev = x;
  }
  return deltas;
}

function sameValues(a: readonly Json[], b: readonly Json[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function samePresence(a: number[] | undefined, b: number[] | undefined): boolean {
  return a === undefined || b === undefined ? a === b : sameValues(a, b);
}

function encodeValues(values: Json[]): Pick<Column, 'e' | 'v' | 'dict'> {
  if (values.length > 0 && values.every(isInstant)) {
    const deltas = safeDeltas(values.map((v) => Date.parse(v as string)));
    if (deltas !== null) return { e: 't', v: deltas };
  }
  if (values.length > 0 && values.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && !Object.is(x, -0))) {
    const deltas = safeDeltas(values as number[]);
    if (deltas !== null) return { e: 'i', v: deltas };
  }
  if (values.every((x) => x === null || typeof x !== 'object')) {
    const index = new Map<Json, number>();
    for (const x of values) if (!index.has(x)) index.set(x, index.size);
    if (index.size * 2 <= values.length) return { e: 'd', dict: [...index.keys()], v: values.map((x) => index.get(x) ?? 0) };
  }
  return { e: 'r', v: values };
}

function presenceRuns(present: boolean[]): number[] | undefined {
  if (present.every(Boolean)) return undefined;
  const runs: number[] = [];
  let want = true;
  let run = 0;
  for (const has of present) {
    if (has === want) {
      run++;
    } else {
      runs.push(run);
      want = !want;
      run = 1;
    }
  }
  runs.push(run);
  return runs;
}

export function encodeColumnar(batch: PlainBatch): ColumnarBatch {
  const n = batch.items.length;
  const byPath = new Map<string, { k: string[]; rows: number[]; values: Json[] }>();
  batch.items.forEach((item, row) => {
    flatten(item as Json, [], (path, value) => {
      const id = JSON.stringify(path);
      let col = byPath.get(id);
      if (col === undefined) {
        col = { k: path, rows: [], values: [] };
        byPath.set(id, col);
      }
      col.rows.push(row);
      col.values.push(value);
    });
  });
  const cols: Column[] = [];
  const raw: { values: Json[]; p: number[] | undefined }[] = [];
  for (const { k, rows, values } of byPath.values()) {
    const present = Array.from({ length: n }, () => false);
    for (const r of rows) present[r] = true;
    const p = presenceRuns(present);
    const ref = values.every((x) => typeof x === 'string') ? raw.findIndex((c) => samePresence(c.p, p) && sameValues(c.values, values)) : -1;
    const col: Column = ref >= 0 ? { k, e: 's', ref, v: [] } : { k, ...encodeValues(values) };
    if (p !== undefined) col.p = p;
    cols.push(col);
    raw.push({ values, p });
  }
  return { v: COLUMNAR_VERSION, stationId: batch.stationId, tenantId: batch.tenantId, lane: batch.lane, fromSeq: batch.fromSeq, toSeq: batch.toSeq, n, cols };
}

export class ColumnarError extends Error {}

/** Bounds on what a batch may ask the decoder to build: it runs on HQ on input from the network. */
const MAX_PATH_DEPTH = 32;
const MAX_COLUMNS = 4_096;
/** Cells written per item, on average; relay items have a few dozen. */
const MAX_CELLS_PER_ITEM = 256;

function decodeValues(col: Column, decoded: readonly Json[][]): Json[] {
  switch (col.e) {
    case 't':
    case 'i': {
      let prev = 0;
      return col.v.map((delta) => {
        if (typeof delta !== 'number') throw new ColumnarError(`column ${col.k.join('.')}: a delta is not a number`);
        prev += delta;
        return col.e === 't' ? new Date(prev).toISOString() : prev;
      });
    }
    case 'd': {
      const dict = col.dict;
      if (!Array.isArray(dict) || !dict.every(isScalar)) throw new ColumnarError(`column ${col.k.join('.')}: a dictionary must be a list of plain values`);
      return col.v.map((i) => {
        if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= dict.length) throw new ColumnarError(`column ${col.k.join('.')}: a dictionary index is out of range`);
        return dict[i] as Json;
      });
    }
    case 's': {
      const source = typeof col.ref === 'number' ? decoded[col.ref] : undefined;
      if (source === undefined) throw new ColumnarError(`column ${col.k.join('.')}: refers to a column that does not precede it`);
      // Shared values must not be shared objects: one item's edit would show in another.
      if (!source.every(isScalar)) throw new ColumnarError(`column ${col.k.join('.')}: may only repeat a column of plain values`);
      return source;
    }
    case 'r':
      return col.v;
    default:
      throw new ColumnarError(`column ${(col as Column).k.join('.')}: unknown encoding`);
  }
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function rowsOf(p: unknown, n: number): number[] {
  if (p === undefined) return Array.from({ length: n }, (_, i) => i);
  if (!Array.isArray(p)) throw new ColumnarError('presence runs must be a list of counts');
  const rows: number[] = [];
  let at = 0;
  p.forEach((run, i) => {
    if (!Number.isSafeInteger(run) || run < 0) throw new ColumnarError('a presence run is not a count');
    if (at + run > n) throw new ColumnarError(`presence runs cover more than ${n} rows`);
    if (i % 2 === 0) for (let r = at; r < at + run; r++) rows.push(r);
    at += run;
  });
  if (at !== n) throw new ColumnarError(`presence runs cover ${at} rows, not ${n}`);
  return rows;
}

/** Own properties only, also for a key named `__proto__`: a batch cannot reach a prototype. */
function setOwn(node: Row, key: string, value: Json): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}

function setPath(target: Row, path: readonly string[], value: Json): void {
  if (path.length === 0) {
    if (isPlainObject(value) && Object.keys(value).length === 0) return;
    throw new ColumnarError('an item must be an object');
  }
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (isPlainObject(next)) {
      node = next;
    } else {
      const created: Row = {};
      setOwn(node, key, created);
      node = created;
    }
  }
  setOwn(node, path.at(-1) as string, value);
}

/** The plain batch back; throws ColumnarError on a malformed one (the caller answers 400). */
export function decodeColumnar(input: unknown, maxItems = 50_000): PlainBatch {
  if (!isPlainObject(input) || input['v'] !== COLUMNAR_VERSION) throw new ColumnarError(`not a columnar batch of version ${COLUMNAR_VERSION}`);
  const batch = input as unknown as ColumnarBatch;
  if (!Number.isSafeInteger(batch.n) || batch.n < 0 || !Array.isArray(batch.cols)) throw new ColumnarError('n must be a count and cols a list');
  if (batch.n > maxItems) throw new ColumnarError(`a batch carries at most ${maxItems} items, not ${batch.n}`);
  if (batch.cols.length > MAX_COLUMNS) throw new ColumnarError(`a batch has at most ${MAX_COLUMNS} columns`);
  const items: Row[] = Array.from({ length: batch.n }, () => ({}));
  const decoded: Json[][] = [];
  let cells = 0;
  for (const col of batch.cols) {
    if (!isPlainObject(col) || !Array.isArray(col.k) || !Array.isArray(col.v) || !col.k.every((k) => typeof k === 'string')) throw new ColumnarError('a column needs k (a key path) and v (values)');
    if (col.k.length > MAX_PATH_DEPTH) throw new ColumnarError(`a key path is at most ${MAX_PATH_DEPTH} keys deep`);
    const rows = rowsOf(col.p, batch.n);
    cells += rows.length * Math.max(1, col.k.length);
    if (cells > MAX_CELLS_PER_ITEM * Math.max(1, batch.n)) throw new ColumnarError(`a batch of ${batch.n} items may not ask for more than ${MAX_CELLS_PER_ITEM} fields per item`);
    const values = decodeValues(col, decoded);
    if (values.length !== rows.length) throw new ColumnarError(`column ${col.k.join('.')} has ${values.length} values for ${rows.length} rows`);
    rows.forEach((r, i) => setPath(items[r] as Row, col.k, values[i] as Json));
    decoded.push(values);
  }
  return { stationId: batch.stationId, tenantId: batch.tenantId, lane: batch.lane, fromSeq: batch.fromSeq, toSeq: batch.toSeq, items };
}
