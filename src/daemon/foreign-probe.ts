import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { AllowedOrigin } from './daemon-config.js';
import { originEntry } from './request-guard.js';

/**
 * True for an HTTP request made by a web page that is not on the allow-list: an Origin header
 * that is not listed, or (a `no-cors` fetch or an <img>, which carry no Origin) a
 * `Sec-Fetch-Site` other than `none` (typed by the user) or `same-origin`. Such a request must
 * not learn that sscard runs on this machine (docs/daemon.md, "Health").
 * One exception: a top-level navigation to the bridge window (`/bridge`), which pages the browser
 * blocks open from their own origin (docs/browsers.md). The opener cannot read a cross-origin
 * window, and the bridge itself checks the opener's origin against the allow-list before it relays.
 */
export function isForeignPageRequest(req: IncomingMessage, allowed: readonly AllowedOrigin[]): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) return originEntry(origin, allowed) === undefined;
  const site = req.headers['sec-fetch-site'];
  if (site === undefined || site === 'none' || site === 'same-origin') return false;
  return !isBridgeNavigation(req);
}

/** A top-level document navigation to `/bridge` (Fetch Metadata: mode navigate, dest document). */
function isBridgeNavigation(req: IncomingMessage): boolean {
  const path = (req.url ?? '').split('?')[0];
  return path === '/bridge' && req.method === 'GET' && req.headers['sec-fetch-mode'] === 'navigate' && req.headers['sec-fetch-dest'] === 'document';
}

/**
 * Answers like a closed port: a TCP reset and no HTTP response at all, so a page's fetch fails
 * exactly as it fails against a port where nothing listens (an opaque 403 would still tell
 * "something answered").
 */
export function answerAsClosedPort(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}
