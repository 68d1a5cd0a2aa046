/**
 * Checks on untrusted JSON that the schemas cannot express: text that SQLite could not
 * store as it was sent, and nesting deep enough to exhaust the stack of the code that
 * walks it (canonical JSON, JSON.stringify). Pure; bounded recursion only.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether a string is valid Unicode: no lone UTF-16 surrogate. SQLite stores text as
 * UTF-8, where a lone surrogate becomes U+FFFD, so an id holding one would no longer be
 * the id that was sent (its resend would not be found).
 */
export function isWellFormedText(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** Deepest nesting of objects and arrays an event may have (a checklist is at level 3). */
export const MAX_EVENT_DEPTH = 32;

/** Whether objects and arrays nest more than `levels` deep. Recurses at most `levels` + 1 frames. */
export function nestsDeeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (levels === 0) return true;
  for (const k in value) if (nestsDeeperThan((value as Record<string, unknown>)[k], levels - 1)) return true;
  return false;
}

/** A copy with whatever nests more than `levels` deep replaced by a note saying so. */
export function cutDeeperThan(value: unknown, levels: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (levels === 0) return `[cut: nested more than ${MAX_EVENT_DEPTH} levels deep]`;
  if (Array.isArray(value)) return value.map((v) => cutDeeperThan(v, levels - 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    // defineProperty: a key named "__proto__" stays a plain key.
    Object.defineProperty(out, k, { value: cutDeeperThan((value as Record<string, unknown>)[k], levels - 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
