/**
 * Resumable photo upload to HQ (protocol §5). `photoOffsets` asks HQ, with concurrent
 * HEADs (one round trip for a whole batch of photos on a long-latency link), how many
 * bytes it already holds of each; `uploadPhoto` PUTs the rest with
 * `Content-Range: bytes START-END/TOTAL`. HQ keeps the bytes of a PUT the link cut short,
 * so an upload resumes from the byte HQ holds, never from zero. Photos the station itself
 * never received from the tablet are skipped (their metadata still relays).
 */
import { readPhoto } from '../photos/photo-store.ts';

/** One PUT carries at most this much; a 300 KB photo goes in one request. */
export const PHOTO_CHUNK_BYTES = 1024 * 1024;

export interface PhotoUploadTarget {
  baseUrl: string;
  stationId: string;
  stationKey: string;
  photosDir: string;
  /** Per request, from the bytes it carries (see RelayService). */
  timeoutMs: (bytes: number) => number;
  /** Aborts the upload: HQ keeps the bytes that arrived, and the next upload resumes from them. */
  signal?: AbortSignal;
}

export type PhotoOffset = { ok: true; heldBytes: number; complete: boolean } | { ok: false; reason: string };

/** `requests`: how many PUTs went out; `deferred`: the rest of the photo does not fit in `maxBytes`, nothing was sent. */
export type PhotoUploadResult = { ok: true; sentBytes: number; requests: number; skipped: boolean } | { ok: false; reason: string; sentBytes: number; requests: number; deferred?: true };

function blobUrl(t: PhotoUploadTarget, sha256: string): string {
  return `${t.baseUrl}/api/v1/stations/${encodeURIComponent(t.stationId)}/blobs/${sha256}`;
}

function signalFor(t: PhotoUploadTarget, bytes: number): AbortSignal {
  const timeout = AbortSignal.timeout(t.timeoutMs(bytes));
  return t.signal === undefined ? timeout : AbortSignal.any([timeout, t.signal]);
}

async function headOffset(t: PhotoUploadTarget, sha256: string): Promise<PhotoOffset> {
  try {
    const head = await fetch(blobUrl(t, sha256), { method: 'HEAD', headers: { authorization: `Bearer ${t.stationKey}` }, signal: signalFor(t, 0) });
    if (!head.ok) return { ok: false, reason: `HQ answered ${head.status} to the photo check` };
    return { ok: true, heldBytes: Number(head.headers.get('upload-offset') ?? 0), complete: head.headers.get('upload-complete') === '?1' };
  } catch (err) {
    return { ok: false, reason: `photo check interrupted (${err instanceof Error ? err.message : String(err)})` };
  }
}

/** HQ's offsets for several photos at once. */
export async function photoOffsets(t: PhotoUploadTarget, sha256s: readonly string[]): Promise<Map<string, PhotoOffset>> {
  const answers = await Promise.all(sha256s.map(async (sha) => [sha, await headOffset(t, sha)] as const));
  return new Map(answers);
}

/** Sends the bytes of `sha256` after the `offset` HQ holds, if the rest fits in `maxBytes` (bodies plus `overheadPerRequest` each). */
export async function uploadPhoto(t: PhotoUploadTarget, sha256: string, offset: number, maxBytes: number, overheadPerRequest: number): Promise<PhotoUploadResult> {
  const bytes = readPhoto(t.photosDir, sha256);
  if (bytes === null) return { ok: true, sentBytes: 0, requests: 0, skipped: true };
  let sentBytes = 0;
  let requests = 0;
  let at = offset;
  try {
    while (at < bytes.length) {
      // What the rest costs must fit in what the budget has left, counting what this upload already spent.
      const left = bytes.length - at;
      if (sentBytes + requests * overheadPerRequest + left + overheadPerRequest > maxBytes) {
        return { ok: false, deferred: true, reason: `the rest of photo ${sha256.slice(0, 12)}… (${left} bytes) does not fit in today's byte budget`, sentBytes, requests };
      }
      const end = Math.min(bytes.length, at + PHOTO_CHUNK_BYTES) - 1;
      const chunk = bytes.subarray(at, end + 1);
      // Counted before the answer: a PUT cut short has still spent (up to) its bytes.
      sentBytes += chunk.length;
      requests++;
      const put = await fetch(blobUrl(t, sha256), {
        method: 'PUT',
        headers: { authorization: `Bearer ${t.stationKey}`, 'content-type': 'application/octet-stream', 'content-range': `bytes ${at}-${end}/${bytes.length}` },
        body: chunk,
        signal: signalFor(t, chunk.length),
      });
      const answer = (await put.json().catch(() => null)) as { heldBytes?: number; complete?: boolean; error?: { code?: string; details?: { heldBytes?: number } } } | null;
      const held = answer?.error?.details?.heldBytes;
      if (put.status === 409 && typeof held === 'number' && held !== at) {
        // HQ holds another amount than we thought: go on from its word.
        at = held;
        continue;
      }
      if (!put.ok || typeof answer?.heldBytes !== 'number') return { ok: false, reason: `HQ answered ${put.status} to a photo chunk`, sentBytes, requests };
      at = answer.heldBytes;
    }
    return { ok: true, sentBytes, requests, skipped: false };
  } catch (err) {
    return { ok: false, reason: `photo upload interrupted (${err instanceof Error ? err.message : String(err)})`, sentBytes, requests };
  }
}
