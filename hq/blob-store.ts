/**
 * Resumable photo upload (protocol §5): `PUT …/blobs/{sha256}` with
 * `Content-Range: bytes START-END/TOTAL` appends a chunk when START equals the bytes HQ
 * already holds; the whole blob is checked against its SHA-256 when the last byte arrives.
 * Chunks are `bytea` rows, so the blob lives in the same database (and backup) as the items.
 * Each PUT is one transaction holding the blob row `FOR UPDATE`.
 */
import { createHash } from 'node:crypto';
import { toBytes, toNumber, type Sql } from './db.ts';
import { quoteIdent } from './schema.ts';

export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
/** The largest blob HQ takes (a photo is a few hundred KB to a few MB). */
export const MAX_BLOB_BYTES = 256 * 1024 * 1024;

export interface BlobState {
  heldBytes: number;
  totalBytes: number | undefined;
  complete: boolean;
}

export interface ContentRange {
  start: number;
  end: number;
  total: number;
}

/** `bytes START-END/TOTAL` (END inclusive), or undefined when malformed. */
export function parseContentRange(header: string | undefined): ContentRange | undefined {
  const match = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/.exec(header?.trim() ?? '');
  if (match === null) return undefined;
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (end < start || end >= total || total > MAX_BLOB_BYTES) return undefined;
  return { start, end, total };
}

export async function readBlobState(sql: Sql, schema: string, stationId: string, sha256: string): Promise<BlobState> {
  const rows = await sql.query(`SELECT held_bytes, total_bytes, complete FROM ${quoteIdent(schema)}.blobs WHERE station_id = $1 AND sha256 = $2`, [stationId, sha256]);
  const row = rows[0];
  if (row === undefined) return { heldBytes: 0, totalBytes: undefined, complete: false };
  return { heldBytes: toNumber(row['held_bytes']), totalBytes: toNumber(row['total_bytes']), complete: row['complete'] === true };
}

export type PutChunkResult =
  | { ok: true; state: BlobState }
  | { ok: false; code: 'OFFSET_MISMATCH'; state: BlobState }
  | { ok: false; code: 'TOTAL_MISMATCH'; state: BlobState }
  | { ok: false; code: 'HASH_MISMATCH'; actualSha256: string; state: BlobState };

export async function putBlobChunk(sql: Sql, schema: string, stationId: string, sha256: string, range: ContentRange, bytes: Buffer): Promise<PutChunkResult> {
  const s = quoteIdent(schema);
  return sql.transaction(async (tx): Promise<PutChunkResult> => {
    await tx.query(`INSERT INTO ${s}.blobs (station_id, sha256, total_bytes) VALUES ($1, $2, $3) ON CONFLICT (station_id, sha256) DO NOTHING`, [stationId, sha256, range.total]);
    const rows = await tx.query(`SELECT held_bytes, total_bytes, complete FROM ${s}.blobs WHERE station_id = $1 AND sha256 = $2 FOR UPDATE`, [stationId, sha256]);
    const row = rows[0];
    let state: BlobState = { heldBytes: toNumber(row?.['held_bytes']), totalBytes: toNumber(row?.['total_bytes']), complete: row?.['complete'] === true };
    if (state.complete) return { ok: true, state };
    if (state.totalBytes !== range.total) {
      if (state.heldBytes > 0) return { ok: false, code: 'TOTAL_MISMATCH', state };
      // Nothing held yet: the station may have changed its mind about the size.
      await tx.query(`UPDATE ${s}.blobs SET total_bytes = $3 WHERE station_id = $1 AND sha256 = $2`, [stationId, sha256, range.total]);
      state = { ...state, totalBytes: range.total };
    }
    if (range.start !== state.heldBytes) return { ok: false, code: 'OFFSET_MISMATCH', state };
    await tx.query(`INSERT INTO ${s}.blob_chunks (station_id, sha256, start_byte, bytes) VALUES ($1, $2, $3, $4)`, [stationId, sha256, range.start, bytes]);
    const held = range.end + 1;
    if (held < range.total) {
      await tx.query(`UPDATE ${s}.blobs SET held_bytes = $3, updated_at = now() WHERE station_id = $1 AND sha256 = $2`, [stationId, sha256, held]);
      return { ok: true, state: { heldBytes: held, totalBytes: range.total, complete: false } };
    }
    const chunks = await tx.query(`SELECT bytes FROM ${s}.blob_chunks WHERE station_id = $1 AND sha256 = $2 ORDER BY start_byte`, [stationId, sha256]);
    const hash = createHash('sha256');
    for (const chunk of chunks) hash.update(toBytes(chunk['bytes']));
    const actualSha256 = hash.digest('hex');
    if (actualSha256 !== sha256) {
      // Start over: the held bytes are wrong somewhere, and a resume would keep them.
      await tx.query(`DELETE FROM ${s}.blob_chunks WHERE station_id = $1 AND sha256 = $2`, [stationId, sha256]);
      await tx.query(`UPDATE ${s}.blobs SET held_bytes = 0, updated_at = now() WHERE station_id = $1 AND sha256 = $2`, [stationId, sha256]);
      return { ok: false, code: 'HASH_MISMATCH', actualSha256, state: { heldBytes: 0, totalBytes: range.total, complete: false } };
    }
    await tx.query(`UPDATE ${s}.blobs SET held_bytes = $3, complete = true, updated_at = now() WHERE station_id = $1 AND sha256 = $2`, [stationId, sha256, held]);
    return { ok: true, state: { heldBytes: held, totalBytes: range.total, complete: true } };
  });
}

/** The whole blob, when complete. */
export async function readBlob(sql: Sql, schema: string, stationId: string, sha256: string): Promise<Buffer | undefined> {
  const state = await readBlobState(sql, schema, stationId, sha256);
  if (!state.complete) return undefined;
  const chunks = await sql.query(`SELECT bytes FROM ${quoteIdent(schema)}.blob_chunks WHERE station_id = $1 AND sha256 = $2 ORDER BY start_byte`, [stationId, sha256]);
  return Buffer.concat(chunks.map((chunk) => toBytes(chunk['bytes'])));
}
