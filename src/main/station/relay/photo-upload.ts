/**
 * Resumable photo upload to HQ (protocol §5): HEAD tells how many bytes HQ already holds,
 * then PUTs send the rest in chunks with `Content-Range: bytes START-END/TOTAL`. An upload
 * cut by the link resumes from the byte HQ holds, never from zero. Photos the station
 * itself never received from the tablet are skipped (their metadata still relays).
 */
import { readPhoto } from '../photos/photo-store.ts';

export const PHOTO_CHUNK_BYTES = 256 * 1024;

export interface PhotoUploadTarget {
  baseUrl: string;
  stationId: string;
  stationKey: string;
  photosDir: string;
  timeoutMs: number;
}

export type PhotoUploadResult = { ok: true; sentBytes: number; skipped: boolean } | { ok: false; reason: string; sentBytes: number };

export async function uploadPhoto(t: PhotoUploadTarget, sha256: string): Promise<PhotoUploadResult> {
  const bytes = readPhoto(t.photosDir, sha256);
  if (bytes === null) return { ok: true, sentBytes: 0, skipped: true };
  const url = `${t.baseUrl}/api/v1/stations/${encodeURIComponent(t.stationId)}/blobs/${sha256}`;
  const auth = { authorization: `Bearer ${t.stationKey}` };
  let sentBytes = 0;
  try {
    const head = await fetch(url, { method: 'HEAD', headers: auth, signal: AbortSignal.timeout(t.timeoutMs) });
    if (!head.ok) return { ok: false, reason: `HQ answered ${head.status} to the photo check`, sentBytes };
    if (head.headers.get('upload-complete') === '?1') return { ok: true, sentBytes, skipped: false };
    let offset = Number(head.headers.get('upload-offset') ?? 0);
    while (offset < bytes.length) {
      const end = Math.min(bytes.length, offset + PHOTO_CHUNK_BYTES) - 1;
      const chunk = bytes.subarray(offset, end + 1);
      const put = await fetch(url, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/octet-stream', 'content-range': `bytes ${offset}-${end}/${bytes.length}` },
        body: chunk,
        signal: AbortSignal.timeout(t.timeoutMs),
      });
      sentBytes += chunk.length;
      const answer = (await put.json().catch(() => null)) as { heldBytes?: number; complete?: boolean; error?: { code?: string; details?: { heldBytes?: number } } } | null;
      if (put.status === 409 && typeof answer?.error?.details?.heldBytes === 'number') {
        offset = answer.error.details.heldBytes;
        continue;
      }
      if (!put.ok || typeof answer?.heldBytes !== 'number') return { ok: false, reason: `HQ answered ${put.status} to a photo chunk`, sentBytes };
      offset = answer.heldBytes;
    }
    return { ok: true, sentBytes, skipped: false };
  } catch (err) {
    return { ok: false, reason: `photo upload interrupted (${err instanceof Error ? err.message : String(err)})`, sentBytes };
  }
}
