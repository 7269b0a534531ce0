import type { WebSocketLike } from './sscard-client.js';
import { SscardClientError } from './sscard-client-error.js';

/** What the bridge needs of the page's window (browser globals; typed here, the SDK has no DOM lib). */
interface WindowLike {
  open(url: string, target: string, features: string): WindowProxyLike | null;
  addEventListener(type: 'message', l: (e: MessageEventLike) => void): void;
  removeEventListener(type: 'message', l: (e: MessageEventLike) => void): void;
}
interface WindowProxyLike {
  postMessage(message: unknown, targetOrigin: string): void;
  close(): void;
  readonly closed: boolean;
}
interface MessageEventLike {
  readonly origin: string;
  readonly source: unknown;
  readonly data: unknown;
}

export interface BridgeSocketOptions {
  /** The bridge page, e.g. `http://127.0.0.1:47815/bridge`. */
  readonly bridgeUrl: string;
  /** How long to wait for the bridge window to load and connect (ms). */
  readonly timeoutMs: number;
}

/**
 * A WebSocket-like transport through the bridge window (docs/browsers.md): the daemon's own
 * `/bridge` page, opened as a small top-level window (navigation is outside Local Network Access),
 * relays JSON-RPC text frames over postMessage. Only messages from that window and the daemon's
 * origin are read; frames are posted to the daemon's origin only.
 */
export class BridgeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  /** Why opening failed, when it did (a typed reach error). */
  failure: SscardClientError | undefined;

  private readonly win: WindowLike;
  private readonly popup: WindowProxyLike;
  private readonly bridgeOrigin: string;
  private readonly listener: (e: MessageEventLike) => void;
  private readonly timer: ReturnType<typeof setTimeout>;
  private closedPoll: ReturnType<typeof setInterval> | undefined;

  constructor(o: BridgeSocketOptions) {
    const win = globalThis as unknown as Partial<WindowLike>;
    if (typeof win.open !== 'function' || typeof win.addEventListener !== 'function') {
      throw new SscardClientError('BRIDGE_BLOCKED', 'the bridge needs a browser window (window.open)', { hint: 'use a direct connection outside browsers' });
    }
    this.win = win as WindowLike;
    this.bridgeOrigin = new URL(o.bridgeUrl).origin;
    const popup = this.win.open(o.bridgeUrl, 'sscard-bridge', 'popup,width=440,height=220');
    if (!popup) {
      throw new SscardClientError('BRIDGE_BLOCKED', 'the browser blocked the sscard bridge window', {
        hint: 'call reachDaemon() from a click (popups need a user gesture), or allow popups for this site',
      });
    }
    this.popup = popup;
    this.listener = (e) => this.onWindowMessage(e);
    this.win.addEventListener('message', this.listener);
    this.timer = setTimeout(() => {
      this.fail(
        new SscardClientError('DAEMON_NOT_RUNNING', `the sscard bridge at ${o.bridgeUrl} did not answer within ${o.timeoutMs} ms`, {
          hint: 'start the sscard daemon on this computer (sscard daemon), then try again',
        }),
      );
    }, o.timeoutMs);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new SscardClientError('CONNECTION_CLOSED', 'bridge is not open');
    this.popup.postMessage({ sscard: 'bridge', type: 'send', data }, this.bridgeOrigin);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    try {
      this.popup.postMessage({ sscard: 'bridge', type: 'close' }, this.bridgeOrigin);
    } catch {
      /* window already gone */
    }
    this.finish(code, reason);
  }

  private onWindowMessage(e: MessageEventLike): void {
    if (e.source !== this.popup || e.origin !== this.bridgeOrigin) return;
    const m = e.data as { sscard?: unknown; type?: unknown; data?: unknown; code?: unknown; reason?: unknown } | null;
    if (!m || m.sscard !== 'bridge') return;
    switch (m.type) {
      case 'ready':
        this.popup.postMessage({ sscard: 'bridge', type: 'connect' }, this.bridgeOrigin);
        return;
      case 'open':
        clearTimeout(this.timer);
        this.readyState = 1;
        this.closedPoll = setInterval(() => {
          if (this.popup.closed) this.finish(1001, 'bridge window closed');
        }, 1000);
        this.onopen?.({});
        return;
      case 'message':
        if (typeof m.data === 'string') this.onmessage?.({ data: m.data });
        return;
      case 'refused':
        this.fail(
          new SscardClientError('ORIGIN_NOT_ALLOWED', 'the sscard daemon does not allow this page', {
            hint: 'ask the administrator to add this page origin to the daemon allow-list (--allow-origin)',
          }),
        );
        return;
      case 'close':
        if (this.readyState === 0) {
          this.fail(new SscardClientError('CONNECTION_FAILED', `the bridge could not connect to the daemon (${String(m.code)})`));
        } else {
          this.finish(typeof m.code === 'number' ? m.code : 1006, typeof m.reason === 'string' ? m.reason : '');
        }
        return;
    }
  }

  private fail(error: SscardClientError): void {
    if (this.readyState >= 2) return;
    this.failure = error;
    this.onerror?.(error);
    this.finish(1006, error.code);
  }

  private finish(code: number, reason: string): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    clearTimeout(this.timer);
    if (this.closedPoll) clearInterval(this.closedPoll);
    this.win.removeEventListener('message', this.listener);
    try {
      this.popup.close();
    } catch {
      /* ignore */
    }
    this.onclose?.({ code, reason });
  }
}
