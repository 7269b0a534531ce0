import type { IncomingMessage } from 'node:http';
import type { AllowedOrigin } from '../daemon-config.js';
import { normalizeOrigin } from '../daemon-config.js';
import type { DaemonTokens } from '../daemon-tokens.js';
import { admit, hostAllowed, originEntry, type Admission, type Refusal } from '../request-guard.js';

/** WebSocket path of the bridge window (docs/browsers.md): the page's origin comes in `?origin=`. */
export const BRIDGE_SOCKET_PATH = '/bridge/ws';

export type UpgradeRefusal = Refusal | { readonly status: 404; readonly reason: 'BAD_PATH' };

export interface BrowserAdmissionOptions {
  readonly port: number;
  readonly allowedOrigins: readonly AllowedOrigin[];
  readonly tokens: DaemonTokens;
  readonly extraHosts?: readonly string[];
  /** The daemon serves its demo page: its own origin may connect (reader role) without a list entry. */
  readonly demo: boolean;
  /** The daemon also speaks TLS: its own origin may be https://. */
  readonly tls: boolean;
}

/**
 * The daemon's own origins: pages it serves itself (the bridge window, the demo page). Only the
 * daemon can serve a page there, and a browser never lets another page claim that Origin.
 */
export function selfOrigins(port: number, tls: boolean): string[] {
  const hosts = ['127.0.0.1', 'localhost', '[::1]'];
  const schemes = tls ? ['http', 'https'] : ['http'];
  return schemes.flatMap((s) => hosts.map((h) => `${s}://${h}:${port}`));
}

export function isSelfOrigin(originHeader: string | undefined, port: number, tls: boolean): boolean {
  if (originHeader === undefined) return false;
  const o = normalizeOrigin(originHeader);
  return o !== undefined && selfOrigins(port, tls).includes(o);
}

/**
 * Admission of a WebSocket upgrade by path:
 * - `/`: the usual rules (Host, Origin allow-list, token: request-guard.ts); with the demo on, the
 *   daemon's own origin is admitted too, with the reader role;
 * - `/bridge/ws`: only from the daemon's own origin (the bridge window), for the page origin named in
 *   `?origin=` (the opener's browser-enforced `event.origin`), which must be on the same allow-list:
 *   the connection then IS that origin (role, per-origin limits, logs), as if the page had connected.
 */
export function admitUpgrade(req: IncomingMessage, o: BrowserAdmissionOptions): Admission | UpgradeRefusal {
  const [path, query = ''] = (req.url ?? '').split('?', 2) as [string, string?];
  if (path === '/') {
    if (o.demo && hostAllowed(req.headers.host, o.port, o.extraHosts) && isSelfOrigin(req.headers.origin, o.port, o.tls)) {
      const self = normalizeOrigin(req.headers.origin!)!;
      return { role: 'reader', principal: `origin:${self}`, origin: self, grants: [] };
    }
    return admit(req, { port: o.port, allowedOrigins: o.allowedOrigins, tokens: o.tokens, extraHosts: o.extraHosts });
  }
  if (path === BRIDGE_SOCKET_PATH) {
    if (!hostAllowed(req.headers.host, o.port, o.extraHosts)) return { status: 421, reason: 'BAD_HOST' };
    if (!isSelfOrigin(req.headers.origin, o.port, o.tls)) return { status: 403, reason: 'ORIGIN_NOT_ALLOWED' };
    const pageOrigin = new URLSearchParams(query).get('origin');
    const entry = pageOrigin ? originEntry(pageOrigin, o.allowedOrigins) : undefined;
    if (!entry) return { status: 403, reason: 'ORIGIN_NOT_ALLOWED' };
    // the bridge connection IS the page origin: the same grants (docs/collect.md, photo).
    return { role: entry.role, principal: `origin:${entry.origin}`, origin: entry.origin, grants: entry.photo ? ['photo'] : [] };
  }
  return { status: 404, reason: 'BAD_PATH' };
}

export function isUpgradeRefusal(a: Admission | UpgradeRefusal): a is UpgradeRefusal {
  return 'status' in a;
}
