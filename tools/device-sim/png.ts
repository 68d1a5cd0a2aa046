/**
 * A tiny PNG encoder for the simulator's photos: truecolour 8-bit (colour type 2), no
 * interlace, one IDAT deflated with node:zlib, every chunk with its CRC-32.
 * Guarantees: the output is a valid PNG that any decoder opens (signature, IHDR, IDAT,
 * IEND; filter type 0 on every scanline); the same pixels always give the same bytes.
 */
import { deflateSync } from 'node:zlib';
import type { Rng } from './prng.ts';
import { intBetween } from './prng.ts';

export const PNG_SIGNATURE: Uint8Array = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO-HDLC, as PNG and zlib use it) of the bytes. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export interface RgbImage {
  width: number;
  height: number;
  /** width × height × 3 bytes, row by row, R G B. */
  rgb: Uint8Array;
}

/** The PNG file of an RGB image. Throws RangeError for a bad size. */
export function encodePng(image: RgbImage): Uint8Array {
  const { width, height, rgb } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 4096 || height > 4096) {
    throw new RangeError(`image size must be 1–4096 × 1–4096 pixels (got ${width} × ${height})`);
  }
  if (rgb.length !== width * height * 3) throw new RangeError(`rgb must hold ${width * height * 3} bytes (got ${rgb.length})`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

function clampByte(n: number): number {
  return n < 0 ? 0 : n > 255 ? 255 : Math.round(n);
}

/**
 * A small "photo": a two-colour gradient with a few blocks and some sensor noise,
 * 12–48 × 10–36 pixels, so files run from a few hundred bytes to a few KB and differ per draw.
 */
export function randomPhotoPng(rng: Rng): Uint8Array {
  const width = intBetween(rng, 12, 48);
  const height = intBetween(rng, 10, 36);
  const from = [intBetween(rng, 0, 255), intBetween(rng, 0, 255), intBetween(rng, 0, 255)] as const;
  const to = [intBetween(rng, 0, 255), intBetween(rng, 0, 255), intBetween(rng, 0, 255)] as const;
  const noise = intBetween(rng, 0, 24);
  const blocks = Array.from({ length: intBetween(rng, 0, 4) }, () => ({
    x: intBetween(rng, 0, width - 1),
    y: intBetween(rng, 0, height - 1),
    w: intBetween(rng, 2, Math.max(2, width >> 1)),
    h: intBetween(rng, 2, Math.max(2, height >> 1)),
    c: [intBetween(rng, 0, 255), intBetween(rng, 0, 255), intBetween(rng, 0, 255)] as const,
  }));
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x + y) / (width + height - 2 || 1);
      const block = blocks.find((b) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h);
      for (let ch = 0; ch < 3; ch++) {
        const base = block === undefined ? (from[ch] ?? 0) * (1 - t) + (to[ch] ?? 0) * t : (block.c[ch] ?? 0);
        const jitter = noise === 0 ? 0 : intBetween(rng, -noise, noise);
        rgb[(y * width + x) * 3 + ch] = clampByte(base + jitter);
      }
    }
  }
  return encodePng({ width, height, rgb });
}
