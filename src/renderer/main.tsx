/**
 * Renderer entry — placeholder page until the dashboard issue.
 * The dashboard will talk only to a `StationApi` (`window.api` in Electron,
 * an HTTP-backed one in a browser), never to `fetch` paths or IPC directly.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  return (
    <main>
      <h1>WellOS Field Station — dashboard coming soon</h1>
    </main>
  );
}

const container = document.getElementById('root');
if (container === null) {
  throw new Error('index.html is missing the #root element');
}
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
