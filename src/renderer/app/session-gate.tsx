/**
 * Decides what the page shows before the dashboard: first run, sign-in, or the app.
 * In Electron (IPC) there is no sign-in: the local user is a supervisor. In the headless
 * shell, any UNAUTHORIZED answer ends the session and comes back here with a notice.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiResult, SessionInfo } from '../../shared/api/station-api.ts';
import { useConnection } from '../api/api-context.tsx';
import type { Credentials } from '../api/http-transport.ts';
import { FirstRunScreen, LoginScreen, StationDownScreen } from '../screens/auth-screens.tsx';
import { Loading } from '../components/status-message.tsx';
import { SessionContext } from './session-context.tsx';
import type { SessionState } from './session-context.tsx';
import { Shell } from './shell.tsx';

type Gate =
  | { kind: 'checking' }
  | { kind: 'down'; message: string }
  | { kind: 'first-run'; local: boolean }
  | { kind: 'login'; notice: string | null }
  | { kind: 'in'; session: SessionInfo };

const LOCAL_SUPERVISOR: SessionInfo = { username: 'local supervisor', role: 'supervisor', expiresAt: '' };

export function SessionGate() {
  const connection = useConnection();
  const queryClient = useQueryClient();
  const sessionClient = connection.session;
  // What the station says at start (or after "Try again"); sign-in and sign-out override it.
  const probe = useQuery({
    queryKey: ['session-probe'],
    enabled: sessionClient !== null,
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
    queryFn: async (): Promise<Gate> => {
      if (sessionClient === null) return { kind: 'in', session: LOCAL_SUPERVISOR };
      const who = await sessionClient.whoami();
      if (!who.ok) return { kind: 'down', message: who.error.message };
      if (who.value !== null) return { kind: 'in', session: who.value };
      const setup = await sessionClient.getSetupStatus();
      if (!setup.ok) return { kind: 'down', message: setup.error.message };
      return setup.value.needsFirstSupervisor ? { kind: 'first-run', local: setup.value.local } : { kind: 'login', notice: null };
    },
  });
  const [override, setGate] = useState<Gate | null>(null);
  const gate: Gate = sessionClient === null ? { kind: 'in', session: LOCAL_SUPERVISOR } : (override ?? probe.data ?? { kind: 'checking' });
  const retry = (): void => {
    setGate(null);
    void probe.refetch();
  };

  useEffect(
    () =>
      connection.onUnauthorized(() => {
        queryClient.clear();
        setGate({ kind: 'login', notice: 'Your session has ended. Sign in again to continue.' });
      }),
    [connection, queryClient],
  );

  const enter = useCallback(
    async (attempt: Promise<ApiResult<SessionInfo>>): Promise<ApiResult<SessionInfo>> => {
      const result = await attempt;
      if (result.ok) {
        queryClient.clear();
        setGate({ kind: 'in', session: result.value });
      }
      return result;
    },
    [queryClient],
  );

  const signOut = useMemo(() => {
    if (sessionClient === null) return null;
    return () => {
      void sessionClient.logout().then(() => {
        queryClient.clear();
        setGate({ kind: 'login', notice: 'You are signed out.' });
      });
    };
  }, [sessionClient, queryClient]);

  const session = gate.kind === 'in' ? gate.session : null;
  const state = useMemo<SessionState | null>(() => (session === null ? null : { session, canDecide: session.role === 'supervisor', signOut }), [session, signOut]);

  switch (gate.kind) {
    case 'checking':
      return (
        <main className="auth" id="main">
          <Loading what="the station" />
        </main>
      );
    case 'down':
      return (
        <StationDownScreen
          message={gate.message}
          onRetry={retry}
        />
      );
    case 'first-run':
      return sessionClient === null ? null : <FirstRunScreen local={gate.local} onCreate={(c: Credentials) => enter(sessionClient.createFirstSupervisor(c))} />;
    case 'login':
      return sessionClient === null ? null : <LoginScreen notice={gate.notice} onLogin={(c: Credentials) => enter(sessionClient.login(c))} />;
    case 'in':
      return state === null ? null : (
        <SessionContext value={state}>
          <Shell />
        </SessionContext>
      );
  }
}
