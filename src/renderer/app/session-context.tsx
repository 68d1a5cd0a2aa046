/** Who is signed in, and what they may do. Supervisors decide; viewers only look. */
import { createContext, useContext } from 'react';
import type { SessionInfo } from '../../shared/api/station-api.ts';

export interface SessionState {
  session: SessionInfo;
  canDecide: boolean;
  /** Sign-out exists only in the headless shell (Electron's local user stays signed in). */
  signOut: (() => void) | null;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (state === null) throw new Error('useSession must be used inside the signed-in app');
  return state;
}
