/**
 * The relay's columnar batch encoding (ADR 0006): whatever JSON items go in come out
 * equal, and a malformed batch is refused with a reason, never decoded into something else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnarError, decodeColumnar, encodeColumnar, type PlainBatch } from '../../src/shared/protocol/columnar.ts';

const header = { stationId: 'st-1', tenantId: 'acme', lane: 'readings', fromSeq: 1, toSeq: 3 };
const instant = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString());
// Instant-shaped strings that are no instant, and integers up to the safe limit either way.
const notInstant = fc.constantFrom('2026-13-01T00:00:00.000Z', '2026-02-30T00:00:00.000Z', '9999-99-99T99:99:99.999Z');
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('PASS', 'FAIL', 'psi', 'W-0001'),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  instant,
  notInstant,
);
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'id', 'payload', 'x.y', ''), tie('value'), { maxKeys: 4 })),
})).value;
const item = fc.dictionary(fc.constantFrom('seq', 'kind', 'at', 'data', 'id', 'eventId', 'extra', '__proto__', 'constructor'), json, { minKeys: 1, maxKeys: 6 });

function roundTrip(batch: PlainBatch): PlainBatch {
  return decodeColumnar(JSON.parse(JSON.stringify(encodeColumnar(batch))));
}

describe('columnar relay encoding', () => {
  it('decodes to items equal to those encoded, for any JSON objects (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), (items) => {
        // -0 is not JSON: JSON.stringify writes it as 0.
        const plain = JSON.parse(JSON.stringify({ ...header, items })) as PlainBatch;
        expect(roundTrip(plain)).toEqual(plain);
      }),
      { numRuns: 1_000 },
    );
  });

  it('keeps absent fields absent and nulls null, empty objects and arrays as they were', () => {
    const items = [
      { seq: 1, data: { a: null, b: {}, c: [] } },
      { seq: 2, data: { b: { deep: 1 } } },
      { seq: 3, data: null },
      {},
    ];
    expect(roundTrip({ ...header, items }).items).toEqual(items);
  });

  it('turns instants into deltas, repeated values into a dictionary and a copied column into a reference', () => {
    const items = Array.from({ length: 6 }, (_, i) => ({ seq: i + 1, at: new Date(Date.UTC(2026, 0, 5, 14, i)).toISOString(), data: { id: `e-${i}`, type: 'WELL_READING_RECORDED', result: { eventId: `e-${i}` } } }));
    const encoded = encodeColumnar({ ...header, items });
    const byPath = Object.fromEntries(encoded.cols.map((c) => [c.k.join('.'), c]));
    expect(byPath['seq']).toMatchObject({ e: 'i', v: [1, 1, 1, 1, 1, 1] });
    expect(byPath['at']?.e).toBe('t');
    expect(byPath['at']?.v.slice(1)).toEqual([60_000, 60_000, 60_000, 60_000, 60_000]);
    expect(byPath['data.type']).toMatchObject({ e: 'd', dict: ['WELL_READING_RECORDED'], v: [0, 0, 0, 0, 0, 0] });
    expect(byPath['data.result.eventId']).toMatchObject({ e: 's', v: [] });
    expect(decodeColumnar(encoded).items).toEqual(items);
  });

  it('keeps integers near the safe limit exact: a column whose deltas would not be safe is not delta-coded', () => {
    const items = [{ value: Number.MAX_SAFE_INTEGER }, { value: -Number.MAX_SAFE_INTEGER }, { value: 7 }];
    expect(roundTrip({ ...header, items }).items).toEqual(items);
    expect(encodeColumnar({ ...header, items }).cols[0]?.e).toBe('r');
  });

  it('takes a string that looks like an instant but is none as a string', () => {
    const items = [{ text: '2026-13-01T00:00:00.000Z' }, { text: '2026-06-10T15:00:00.000Z' }];
    expect(roundTrip({ ...header, items }).items).toEqual(items);
  });

  it('cannot reach a prototype: a key named __proto__ stays an own field', () => {
    const items = [JSON.parse('{"data":{"__proto__":{"polluted":1}}}') as Record<string, unknown>];
    const decoded = roundTrip({ ...header, items }).items as Record<string, Record<string, unknown>>[];
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.hasOwn(decoded[0]?.['data'] ?? {}, '__proto__')).toBe(true);
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(items));
  });

  it.each([
    ['another version', { v: 2, n: 0, cols: [] }, /version 1/],
    ['presence runs that do not cover n rows', { v: 1, n: 3, cols: [{ k: ['a'], e: 'r', p: [1, 1], v: [1] }] }, /cover 2 rows, not 3/],
    ['presence runs past n rows', { v: 1, n: 3, cols: [{ k: ['a'], e: 'r', p: [1e12], v: [1] }] }, /more than 3 rows/],
    ['more items than a batch may carry', { v: 1, n: 1e9, cols: [] }, /at most 50000 items/],
    ['fewer values than rows', { v: 1, n: 2, cols: [{ k: ['a'], e: 'r', v: [1] }] }, /1 values for 2 rows/],
    ['a dictionary index out of range', { v: 1, n: 1, cols: [{ k: ['a'], e: 'd', dict: ['x'], v: [4] }] }, /out of range/],
    ['a reference to a later column', { v: 1, n: 1, cols: [{ k: ['a'], e: 's', ref: 3, v: [] }] }, /does not precede/],
    ['a delta that is not a number', { v: 1, n: 1, cols: [{ k: ['a'], e: 't', v: ['x'] }] }, /not a number/],
    ['an unknown encoding', { v: 1, n: 1, cols: [{ k: ['a'], e: 'q', v: [1] }] }, /unknown encoding/],
    ['a column without a key path', { v: 1, n: 1, cols: [{ e: 'r', v: [1] }] }, /key path/],
    ['an item that is not an object', { v: 1, n: 1, cols: [{ k: [], e: 'r', v: [5] }] }, /must be an object/],
    ['a key path 33 keys deep', { v: 1, n: 1, cols: [{ k: Array.from({ length: 33 }, () => 'a'), e: 'r', v: [1] }] }, /32 keys deep/],
    ['more columns than a batch may have', { v: 1, n: 1, cols: Array.from({ length: 4_097 }, (_, i) => ({ k: [`c${i}`], e: 'r', v: [1] })) }, /at most 4096 columns/],
    ['more fields per item than any relay item has', { v: 1, n: 2, cols: Array.from({ length: 300 }, (_, i) => ({ k: [`c${i}`], e: 'r', v: [1, 2] })) }, /more than 256 fields per item/],
    ['a reference to a column of objects', { v: 1, n: 1, cols: [{ k: ['a'], e: 'r', v: [{ x: 1 }] }, { k: ['b'], e: 's', ref: 0, v: [] }] }, /plain values/],
    ['a dictionary that is not a list', { v: 1, n: 1, cols: [{ k: ['a'], e: 'd', dict: { 0: 'x' }, v: [0] }] }, /list of plain values/],
    ['presence runs that are not a list', { v: 1, n: 1, cols: [{ k: ['a'], e: 'r', p: 'all', v: [1] }] }, /list of counts/],
  ])('refuses %s with a reason', (_name, input, reason) => {
    expect(() => decodeColumnar({ ...header, ...input })).toThrow(ColumnarError);
    expect(() => decodeColumnar({ ...header, ...input })).toThrow(reason);
  });
});
