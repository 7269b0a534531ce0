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
  const site = req.headers['sec-fetch-site'];
  // The daemon's own pages (demo, bridge): module scripts carry an Origin even same-origin.
  // Sec-Fetch-Site is set by the browser alone (a forbidden header for pages).
  if (site === 'same-origin') return false;
  const origin = req.headers.origin;
  if (origin !== undefined) return originEntry(origin, allowed) === undefined;
  if (site === undefined || site === 'none') return false;
  return !isBridgeNavigation(req);
}

/** A top-level document navigation to `/bridge` (Fetch Metadata: mode navigate, dest document). */
function isBridgeNavigation(req: IncomingMessage): boolean {
  const path = (req.url ?? '').split('?')[0];
  return path === '/bridge' && req.method === 'GET' && req.headers['sec-fetch-mode'] === 'navigate' && req.headers['sec-fetch-dest'] === 'document';
}

/**
 * Answers like a closed port: no HTTP response at all, so a page's fetch fails with the same
 * network error (a TypeError) as against a port where nothing listens; an opaque 403 would still
 * tell "something answered". The connection is closed, not reset: a TCP reset on 127.0.0.1 made
 * Chromium 156 fail the next allowed page's WebSocket to the same port (measured in the browser
 * matrix, docs/browsers.md).
 */
export function answerAsClosedPort(socket: Socket): void {
  socket.destroy();
}
