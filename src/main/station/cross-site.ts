/**
 * What a browser says about where a request comes from. Tablets, scripts and curl send
 * none of these headers; a page of another site cannot help sending them. Shared by the
 * device API (which no web page may call) and the supervisor API (only its own dashboard).
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The browser's own mark (`Sec-Fetch-Site`) when it says another site, else null. */
export function crossSiteMark(headers: IncomingHttpHeaders): string | null {
  const site = headers['sec-fetch-site'];
  return typeof site === 'string' && site !== 'same-origin' && site !== 'none' ? site : null;
}

/** Why a state-changing request looks cross-site (its mark, or an Origin of another host), or null. */
export function crossSiteReason(headers: IncomingHttpHeaders): string | null {
  const mark = crossSiteMark(headers);
  if (mark !== null) return `the browser marked it ${mark}`;
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== '') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return `its Origin "${origin.slice(0, 100)}" is not a URL`;
    }
    if (host !== headers.host) return `it comes from ${origin.slice(0, 100)}, not from this station's dashboard`;
  }
  return null;
}
