/**
 * Values of the collection types (protocol §1): notes are one entry per event, photos one
 * entry per sha256. Both are built by inserting into a sorted list, so the value is the
 * same whatever the arrival order, and adding the same event twice is impossible upstream
 * (resends are DUPLICATE by id).
 */
import type { NotesPayload, PhotoPayload } from '../events/types.ts';
import { parseInstant } from '../events/instant.ts';
import { compareIds } from './evaluate.ts';

export interface NoteEntry {
  eventId: string;
  operatorId: string;
  notedAt: string;
  text: string;
}
export interface NotesValue {
  wellId: string;
  entries: NoteEntry[];
}

export interface PhotoEntry {
  sha256: string;
  photoId: string;
  mimeType: string;
  bytes: number;
  takenAt: string;
  caption: string | null;
  eventIds: string[];
}
export interface PhotosValue {
  wellId: string;
  subject: string;
  entries: PhotoEntry[];
}

function ms(iso: string): number {
  return parseInstant(iso) ?? 0;
}

function insertSorted<T>(list: readonly T[], item: T, compare: (a: T, b: T) => number): T[] {
  const out = [...list];
  let i = out.length;
  while (i > 0 && compare(out[i - 1] as T, item) > 0) i--;
  out.splice(i, 0, item);
  return out;
}

export function addNote(prev: NotesValue | null, eventId: string, operatorId: string, payload: NotesPayload): NotesValue {
  const entry: NoteEntry = { eventId, operatorId, notedAt: payload.notedAt, text: payload.text };
  const entries = insertSorted(prev?.entries ?? [], entry, (a, b) => ms(a.notedAt) - ms(b.notedAt) || compareIds(a.eventId, b.eventId));
  return { wellId: payload.wellId, entries };
}

/**
 * Adds one photo event. `takenAtOf` gives the takenAt (ms) of an event id already in the
 * value, so `eventIds` stay ordered by (takenAt, event id).
 */
export function addPhoto(prev: PhotosValue | null, eventId: string, payload: PhotoPayload, takenAtOf: (eventId: string) => number): PhotosValue {
  const entries = prev?.entries ?? [];
  const at = ms(payload.takenAt);
  const byTakenThenId = (a: string, b: string): number => (a === eventId ? at : takenAtOf(a)) - (b === eventId ? at : takenAtOf(b)) || compareIds(a, b);
  const existing = entries.find((e) => e.sha256 === payload.sha256);
  const fresh: PhotoEntry = {
    sha256: payload.sha256,
    photoId: payload.photoId,
    mimeType: payload.mimeType,
    bytes: payload.bytes,
    takenAt: payload.takenAt,
    caption: payload.caption ?? null,
    eventIds: [eventId],
  };
  let entry: PhotoEntry;
  if (existing === undefined) {
    entry = fresh;
  } else {
    const eventIds = insertSorted(existing.eventIds, eventId, byTakenThenId);
    // Metadata comes from the earliest event by (takenAt, event id).
    entry = eventIds[0] === eventId ? { ...fresh, eventIds } : { ...existing, eventIds };
  }
  const others = entries.filter((e) => e.sha256 !== payload.sha256);
  const sorted = insertSorted(others, entry, (a, b) => ms(a.takenAt) - ms(b.takenAt) || compareIds(a.sha256, b.sha256));
  return { wellId: payload.wellId, subject: payload.subject, entries: sorted };
}
