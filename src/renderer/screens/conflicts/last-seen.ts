/** The conflict the supervisor last opened, so the queue re-selects it on the way back (per tab). */
const KEY = 'wellos.lastConflict';

export function rememberConflict(conflictId: string): void {
  try {
    sessionStorage.setItem(KEY, conflictId);
  } catch {
    // storage unavailable: the queue starts at the top, nothing else changes
  }
}

export function lastSeenConflict(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}
