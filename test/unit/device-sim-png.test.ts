/** The simulator's PNG encoder: a valid file (signature, chunk CRCs, IHDR, IDAT, IEND). */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng, PNG_SIGNATURE, randomPhotoPng } from '../../tools/device-sim/png.ts';
import { mulberry32 } from '../../tools/device-sim/prng.ts';

interface Chunk {
  type: string;
  data: Buffer;
  crc: number;
  crcInput: Buffer;
}

function chunksOf(png: Uint8Array): Chunk[] {
  const buf = Buffer.from(png);
  const out: Chunk[] = [];
  let at = 8;
  while (at < buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    out.push({ type, data: buf.subarray(at + 8, at + 8 + length), crc: buf.readUInt32BE(at + 8 + length), crcInput: buf.subarray(at + 4, at + 8 + length) });
    at += 12 + length;
  }
  expect(at).toBe(buf.length);
  return out;
}

describe('crc32', () => {
  it('matches the standard check value and an empty input', () => {
    expect(crc32(Buffer.from('123456789', 'latin1'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(Buffer.from('IEND', 'latin1'))).toBe(0xae426082);
  });
});

describe('encodePng', () => {
  const width = 3;
  const height = 2;
  const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  const png = encodePng({ width, height, rgb });

  it('starts with the PNG signature', () => {
    expect([...png.subarray(0, 8)]).toEqual([...PNG_SIGNATURE]);
    expect([...PNG_SIGNATURE]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('holds IHDR, IDAT, IEND in that order, each with a correct CRC', () => {
    const chunks = chunksOf(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks.map((c) => ({ type: c.type, crc: c.crc }))).toEqual(chunks.map((c) => ({ type: c.type, crc: crc32(c.crcInput) })));
    expect(chunks[2]?.data.length).toBe(0);
  });

  it('describes an 8-bit truecolour image of the given size', () => {
    const ihdr = chunksOf(png)[0]?.data ?? Buffer.alloc(0);
    expect(ihdr.length).toBe(13);
    expect(ihdr.readUInt32BE(0)).toBe(width);
    expect(ihdr.readUInt32BE(4)).toBe(height);
    expect([...ihdr.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
  });

  it('deflates the scanlines, each with filter type 0', () => {
    const raw = inflateSync(chunksOf(png)[1]?.data ?? Buffer.alloc(0));
    expect(raw.length).toBe((width * 3 + 1) * height);
    expect(raw[0]).toBe(0);
    expect(raw[width * 3 + 1]).toBe(0);
    expect([...raw.subarray(1, 1 + width * 3)]).toEqual([...rgb.subarray(0, width * 3)]);
    expect([...raw.subarray(width * 3 + 2)]).toEqual([...rgb.subarray(width * 3)]);
  });

  it('rejects a pixel buffer of the wrong size', () => {
    expect(() => encodePng({ width: 2, height: 2, rgb: new Uint8Array(5) })).toThrow(RangeError);
    expect(() => encodePng({ width: 0, height: 2, rgb: new Uint8Array(0) })).toThrow(RangeError);
  });
});

describe('randomPhotoPng', () => {
  it('is a valid, small PNG, the same for the same stream and different across draws', () => {
    const a = randomPhotoPng(mulberry32(7));
    expect(Buffer.from(randomPhotoPng(mulberry32(7))).equals(Buffer.from(a))).toBe(true);
    const seen = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const png = randomPhotoPng(mulberry32(seed));
      expect([...png.subarray(0, 8)]).toEqual([...PNG_SIGNATURE]);
      for (const c of chunksOf(png)) expect(c.crc).toBe(crc32(c.crcInput));
      expect(png.length).toBeGreaterThan(100);
      expect(png.length).toBeLessThan(8_000);
      seen.add(Buffer.from(png).toString('base64'));
    }
    expect(seen.size).toBe(40);
  });
});
