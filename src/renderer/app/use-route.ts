/** The current hash route, kept in sync with `hashchange`. */
import { useMemo, useSyncExternalStore } from 'react';
import type { Route } from './router.ts';
import { hrefOf, parseHash } from './router.ts';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function snapshot(): string {
  return window.location.hash;
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => parseHash(hash), [hash]);
}

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = hrefOf(route);
  if (options.replace === true) window.location.replace(href);
  else window.location.hash = href;
}
