/**
 * Content-addressed photo files under the data dir: `photos/ab/abcdef…`. A file is
 * written to a temp name, fsynced and renamed, so a crash never leaves a half photo
 * under its hash; the hash of the bytes must equal the name.
 */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { StationDb } from '../db/open-database.ts';

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export function photoPath(photosDir: string, sha256: string): string {
  return join(photosDir, sha256.slice(0, 2), sha256);
}

export type PutPhotoResult = { ok: true; created: boolean } | { ok: false; code: 'HASH_MISMATCH'; message: string };

export function putPhoto(db: StationDb, photosDir: string, sha256: string, bytes: Buffer, now: Date): PutPhotoResult {
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) return { ok: false, code: 'HASH_MISMATCH', message: `The body hashes to ${actual}, not ${sha256}: the upload was damaged or the name is wrong.` };
  const target = photoPath(photosDir, sha256);
  if (existsSync(target)) return { ok: true, created: false };
  mkdirSync(join(photosDir, sha256.slice(0, 2)), { recursive: true });
  const tmp = join(photosDir, `.tmp-${randomUUID()}`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  db.prepare('INSERT OR IGNORE INTO photos (sha256, bytes, mime_type, stored_at) VALUES (?, ?, ?, ?)').run(sha256, bytes.length, sniffImageType(bytes), now.toISOString());
  return { ok: true, created: true };
}

/** A held photo's bytes and the type sniffed when it was stored; null when not held. */
export function heldPhoto(db: StationDb, photosDir: string, sha256: string): { bytes: Buffer; mimeType: string } | null {
  const bytes = readPhoto(photosDir, sha256);
  if (bytes === null) return null;
  const row = db.prepare('SELECT mime_type AS m FROM photos WHERE sha256 = ?').get(sha256) as { m: string | null } | undefined;
  return { bytes, mimeType: row?.m ?? 'application/octet-stream' };
}

/** Whether the station holds the bytes of this photo (a tablet may never have uploaded them). */
export function hasPhoto(photosDir: string, sha256: string): boolean {
  return existsSync(photoPath(photosDir, sha256));
}

export function readPhoto(photosDir: string, sha256: string): Buffer | null {
  const file = photoPath(photosDir, sha256);
  return existsSync(file) ? readFileSync(file) : null;
}

/** The image type from the file's magic bytes (JPEG, PNG, WebP), else octet-stream. */
export function sniffImageType(bytes: Buffer): string {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return 'application/octet-stream';
}
