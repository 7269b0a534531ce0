import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_LEVEL, MIN_API_LEVEL } from './protocol/api-level.js';
import type { AllowedOrigin } from './daemon-config.js';
import { originEntry } from './request-guard.js';

export interface HealthInfo {
  readonly name: 'sscard';
  readonly version: string;
  readonly apiLevel: number;
  readonly minApiLevel: number;
  readonly readers: number;
  readonly pcsc: 'up' | 'down';
  /** True when the built-in SIMULATED readers are enabled. */
  readonly simulated: boolean;
  /** The card-status store: backend and reachability (`down`: lock status unknown, changes refused). No location, no credentials. */
  readonly statusStore: { readonly backend: 'sqlite' | 'postgres' | 'none'; readonly state: 'up' | 'connecting' | 'down'; readonly error?: string };
}

export function healthInfo(o: { version: string; readers: number; pcscUp: boolean; simulated: boolean; statusStore?: HealthInfo['statusStore'] }): HealthInfo {
  return {
    name: 'sscard',
    version: o.version,
    apiLevel: API_LEVEL,
    minApiLevel: MIN_API_LEVEL,
    readers: o.readers,
    pcsc: o.pcscUp ? 'up' : 'down',
    simulated: o.simulated,
    statusStore: o.statusStore ?? { backend: 'none', state: 'down' },
  };
}

/**
 * GET /health (and its CORS preflight). No personal data. CORS headers only for allow-listed
 * origins: a foreign page's fetch gets an opaque failure, never the body.
 */
export function serveHealth(req: IncomingMessage, res: ServerResponse, allowed: readonly AllowedOrigin[], info: () => HealthInfo): void {
  const origin = req.headers.origin;
  const entry = origin !== undefined ? originEntry(origin, allowed) : undefined;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', Vary: 'Origin' };
  if (entry) headers['Access-Control-Allow-Origin'] = entry.origin;
  if (req.method === 'OPTIONS') {
    if (entry) {
      headers['Access-Control-Allow-Methods'] = 'GET';
      headers['Access-Control-Max-Age'] = '600';
    }
    res.writeHead(entry ? 204 : 403, headers).end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD, OPTIONS' }).end();
    return;
  }
  const body = JSON.stringify(info());
  res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(req.method === 'HEAD' ? undefined : body);
}
