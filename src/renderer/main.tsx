/**
 * Renderer entry: the composition root of the dashboard. Picks the transport (the
 * Electron bridge `window.wellos` when present, else HTTP to the station that served the
 * page), builds the query cache, and mounts the app. The dashboard talks only to a
 * `StationApi`, never to fetch paths or IPC directly.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConnectionProvider, isRefusal } from './api/api-context.tsx';
import { createConnection } from './api/connection.ts';
import { SessionGate } from './app/session-gate.tsx';
import './styles/app.css';

/** The live feed refreshes what changed; this only bounds how old a screen can get if the feed is down. */
const STALE_MS = 30_000;
const MAX_RETRIES = 2;

const container = document.getElementById('root');
if (container === null) {
  throw new Error('index.html is missing the #root element');
}

const connection = createConnection(window.wellos);
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: STALE_MS,
      refetchOnWindowFocus: false,
      retry: (failures, error) => !isRefusal(error) && failures < MAX_RETRIES,
    },
  },
});

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ConnectionProvider connection={connection}>
        <SessionGate />
      </ConnectionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
