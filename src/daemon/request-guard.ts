import type { IncomingMessage } from 'node:http';
import type { AllowedOrigin } from './daemon-config.js';
import type { DaemonTokens } from './daemon-tokens.js';
import { normalizeOrigin } from './daemon-config.js';
import { roleAllows, type Grant, type Role } from './protocol/api-level.js';

/** Who a connection is, once admitted. `principal` keys the per-origin limits; never a secret. */
export interface Admission {
  readonly role: Role;
  /** `origin:https://his.example.org` or `token:reader` / `token:counter`. */
  readonly principal: string;
  readonly origin: string | null;
  /** Rights on top of the role (an allow-list entry's `photo: true`). */
  readonly grants: readonly Grant[];
}

/** Whether this connection may call a method declared with `role` (and optionally `grant`). */
export function mayCall(admission: Pick<Admission, 'role' | 'grants'>, decl: { readonly role: Role; readonly grant?: Grant | undefined }): boolean {
  return roleAllows(admission.role, decl.role) || (decl.grant !== undefined && admission.grants.includes(decl.grant));
}

export type Refusal = {
  readonly status: 400 | 401 | 403 | 421;
  readonly reason: 'BAD_HOST' | 'DUPLICATE_HOST' | 'ORIGIN_NOT_ALLOWED' | 'TOKEN_REQUIRED' | 'BAD_TOKEN';
};

/**
 * How many Host headers the request carried. Node keeps the first of several; a request with two
 * is malformed (RFC 9112 §3.2: "400 (Bad Request) ... more than one Host header field line") and
 * could pass the Host check with one value while a proxy or logger reads the other.
 */
export function hostHeaderCount(req: IncomingMessage): number {
  let n = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === 'host') n++;
  return n;
}

/**
 * The Host header must name the daemon as a loopback address with its port: `127.0.0.1:PORT`,
 * `localhost:PORT` or `[::1]:PORT` (plus `ADDR:PORT` for an --unsafe-bind address). Anything else
 * is a DNS-rebinding attempt (evil.example resolving to 127.0.0.1) or a misdirected request.
 */
export function hostAllowed(host: string | undefined, port: number, extraHosts: readonly string[] = []): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  const allowed = ['127.0.0.1', 'localhost', '[::1]', ...extraHosts.map(bracketed)].map((a) => `${a.toLowerCase()}:${port}`);
  return allowed.includes(h);
}

function bracketed(addr: string): string {
  return addr.includes(':') && !addr.startsWith('[') ? `[${addr}]` : addr;
}

/** The allow-list entry for a browser Origin header, if any (exact match after normalisation). */
export function originEntry(originHeader: string, allowed: readonly AllowedOrigin[]): AllowedOrigin | undefined {
  const o = normalizeOrigin(originHeader);
  if (!o) return undefined;
  return allowed.find((a) => a.origin === o);
}

/**
 * Admission of a WebSocket upgrade, in this order:
 * 1. exactly one Host header -> else 400; Host (DNS rebinding) -> 421;
 * 2. Origin present (a browser page): must be on the allow-list -> role of the entry; else 403.
 *    A token is never looked at for browsers (pages cannot be given a secret safely);
 * 3. no Origin (a local program): `Authorization: Bearer <token>` from the 0600 token files ->
 *    reader or counter role; missing -> 401, wrong -> 403.
 */
export function admit(
  req: IncomingMessage,
  options: { port: number; allowedOrigins: readonly AllowedOrigin[]; tokens: DaemonTokens; extraHosts?: readonly string[] },
): Admission | Refusal {
  if (hostHeaderCount(req) > 1) return { status: 400, reason: 'DUPLICATE_HOST' };
  if (!hostAllowed(req.headers.host, options.port, options.extraHosts)) return { status: 421, reason: 'BAD_HOST' };
  const originHeader = req.headers.origin;
  if (originHeader !== undefined) {
    const entry = originEntry(originHeader, options.allowedOrigins);
    if (!entry) return { status: 403, reason: 'ORIGIN_NOT_ALLOWED' };
    return { role: entry.role, principal: `origin:${entry.origin}`, origin: entry.origin, grants: entry.photo ? ['photo'] : [] };
  }
  const auth = req.headers.authorization;
  if (!auth) return { status: 401, reason: 'TOKEN_REQUIRED' };
  const m = /^Bearer ([A-Za-z0-9_-]{16,200})$/.exec(auth);
  const role = m ? options.tokens.roleOf(m[1]!) : undefined;
  if (!role) return { status: 403, reason: 'BAD_TOKEN' };
  return { role, principal: `token:${role}`, origin: null, grants: [] };
}

export function isRefusal(a: Admission | Refusal): a is Refusal {
  return 'status' in a;
}
