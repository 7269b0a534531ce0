import { DEFAULT_PORT } from '../daemon/protocol/api-level.js';
import { BridgeSocket } from './bridge-socket.js';
import { localNetworkPermission, type LocalNetworkPermission } from './local-network-permission.js';
import { SscardClient, type SscardClientOptions } from './sscard-client.js';
import { SscardClientError } from './sscard-client-error.js';

export type Transport = 'direct' | 'bridge';

export interface ReachOptions extends Omit<SscardClientOptions, 'socket'> {
  /** `auto` (default): the direct socket first, the bridge window when the browser blocks it. */
  transport?: 'auto' | Transport;
  /** How long the bridge window may take to load and connect (ms); default 8000. */
  bridgeTimeoutMs?: number;
}

export interface ReachedDaemon {
  readonly client: SscardClient;
  /** Which transport is in use: the page's own WebSocket, or the bridge window. */
  readonly transport: Transport;
  /** The Local Network Access permission state seen before connecting. */
  readonly permission: LocalNetworkPermission;
}

/**
 * Connects a browser page to the daemon the way the browser allows (docs/browsers.md):
 * 1. the direct WebSocket (works for loopback and intranet pages, and for https pages once the
 *    local-network permission is granted or the admin policy lists the origin);
 * 2. when that fails, a no-cors probe of /health separates "the daemon answered, but not for this
 *    origin" (ORIGIN_NOT_ALLOWED) and "nothing reachable";
 * 3. when nothing is reachable, the bridge window (transport `bridge`); its outcome names the case
 *    (DAEMON_NOT_RUNNING, ORIGIN_NOT_ALLOWED, BRIDGE_BLOCKED);
 * 4. with the bridge off (`transport: 'direct'`), the error names the browser's case from the
 *    permission state: PERMISSION_REQUIRED (prompt: call again from a click), PERMISSION_DENIED,
 *    BLOCKED_BY_BROWSER (a page that is not a secure context), or DAEMON_NOT_RUNNING.
 * Call it from a click handler when `permission` is `prompt`, so the browser can ask and can open
 * the bridge window.
 */
export async function reachDaemon(o: ReachOptions = {}): Promise<ReachedDaemon> {
  const url = o.url ?? `ws://127.0.0.1:${DEFAULT_PORT}/`;
  const mode = o.transport ?? 'auto';
  const permission = await localNetworkPermission();
  const base: SscardClientOptions = { url, ...(o.clientName !== undefined ? { clientName: o.clientName } : {}), ...(o.requestTimeoutMs !== undefined ? { requestTimeoutMs: o.requestTimeoutMs } : {}) };
  let directError: unknown;
  if (mode !== 'bridge') {
    try {
      return { client: await SscardClient.connect(base), transport: 'direct', permission };
    } catch (e) {
      directError = e;
    }
    const probe = await probeHealth(url);
    if (probe === 'answered') {
      throw new SscardClientError('ORIGIN_NOT_ALLOWED', `the sscard daemon at ${url} runs but does not allow this page (${pageOrigin() ?? 'no origin'})`, {
        hint: 'ask the administrator to add this page origin to the daemon allow-list (--allow-origin)',
      });
    }
    if (probe === 'cors-ok') throw directError; // reachable and allowed: the socket itself failed (e.g. TOO_MANY_CONNECTIONS)
    // LNA cannot be what stopped a loopback page or a granted one: no bridge window to wait for.
    if (mode === 'direct' || isLoopbackPage() || permission === 'granted') throw browserCase(permission, url);
  }
  const socket: { current?: BridgeSocket } = {};
  try {
    const client = await SscardClient.connect({
      ...base,
      socket: () => (socket.current = new BridgeSocket({ bridgeUrl: bridgeUrlOf(url), timeoutMs: o.bridgeTimeoutMs ?? 8000 })),
    });
    return { client, transport: 'bridge', permission };
  } catch (e) {
    throw socket.current?.failure ?? e;
  }
}

/** The error for a direct connection the browser stopped, from the permission state. */
function browserCase(permission: LocalNetworkPermission, url: string): SscardClientError {
  if (isLoopbackPage() || permission === 'granted' || permission === 'unsupported') {
    return new SscardClientError('DAEMON_NOT_RUNNING', `nothing answers at ${url}`, { hint: 'start the sscard daemon on this computer (sscard daemon), then try again', permission });
  }
  if (permission === 'prompt') {
    return new SscardClientError('PERMISSION_REQUIRED', 'the browser must ask the user before this page may reach the card reader service', {
      hint: 'call reachDaemon() from a click so the browser can ask; or the administrator sets LocalNetworkAccessAllowedForUrls (docs/browsers.md)',
      permission,
    });
  }
  if (isSecurePage()) {
    return new SscardClientError('PERMISSION_DENIED', 'local-network access was refused for this site', {
      hint: 'allow "local network" for this site in the browser site settings, or the administrator sets LocalNetworkAccessAllowedForUrls (docs/browsers.md)',
      permission,
    });
  }
  return new SscardClientError('BLOCKED_BY_BROWSER', 'the browser does not let this page (not https) reach services on this computer', {
    hint: 'use the bridge window (transport auto), or serve the page over https and grant the permission (docs/browsers.md)',
    permission,
  });
}

/**
 * GET /health with mode no-cors: an opaque answer means the daemon runs (whatever the origin); a
 * readable one means this origin is allow-listed; a TypeError means nothing was reachable (daemon
 * down, or the browser blocked the request).
 */
async function probeHealth(wsUrl: string): Promise<'cors-ok' | 'answered' | 'unreachable'> {
  const f = (globalThis as { fetch?: (u: string, init: Record<string, unknown>) => Promise<{ type: string }> }).fetch;
  if (!f) return 'unreachable';
  const health = httpUrlOf(wsUrl, '/health');
  try {
    await f(health, { mode: 'cors', cache: 'no-store', targetAddressSpace: 'loopback' });
    return 'cors-ok';
  } catch {
    /* not allow-listed, or unreachable */
  }
  try {
    await f(health, { mode: 'no-cors', cache: 'no-store', targetAddressSpace: 'loopback' });
    return 'answered';
  } catch {
    return 'unreachable';
  }
}

function httpUrlOf(wsUrl: string, path: string): string {
  const u = new URL(wsUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = path;
  u.search = '';
  return u.toString();
}

function bridgeUrlOf(wsUrl: string): string {
  return httpUrlOf(wsUrl, '/bridge');
}

function location(): { hostname: string; origin: string; protocol: string } | undefined {
  return (globalThis as { location?: { hostname: string; origin: string; protocol: string } }).location;
}

function pageOrigin(): string | undefined {
  return location()?.origin;
}

function isSecurePage(): boolean {
  return (globalThis as { isSecureContext?: boolean }).isSecureContext === true;
}

/** Pages on loopback themselves are outside Local Network Access. */
function isLoopbackPage(): boolean {
  const h = location()?.hostname;
  return h !== undefined && (h === 'localhost' || h === '[::1]' || h === '::1' || /^127\./.test(h));
}
