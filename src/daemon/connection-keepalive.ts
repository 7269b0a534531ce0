import type { WebSocket } from 'ws';

export interface KeepaliveOptions {
  readonly pingIntervalMs: number;
  readonly idleTimeoutMs: number;
  /** True while the connection has a reason to stay quiet (requests in flight, an event subscription). */
  readonly busy: () => boolean;
  /** Called once when the connection is to be closed: `dead` (no pong) or `idle`. */
  readonly onExpire: (why: 'dead' | 'idle') => void;
}

/**
 * Liveness of one admitted connection: a WebSocket ping every `pingIntervalMs` (browsers and `ws`
 * answer pings by themselves), and the connection is ended when the previous ping went
 * unanswered (a peer that vanished or stopped reading) or when it has been idle -- no message,
 * nothing in flight, no event subscription -- for `idleTimeoutMs`. Without this an admitted
 * client could hold its connection slots for ever.
 */
export class ConnectionKeepalive {
  private lastActivity = performance.now();
  private lastPing = performance.now();
  private awaitingPong = false;
  private readonly timer: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly o: KeepaliveOptions,
  ) {
    ws.on('pong', () => {
      this.awaitingPong = false;
    });
    const tick = Math.max(10, Math.min(o.pingIntervalMs, o.idleTimeoutMs) / 2);
    this.timer = setInterval(() => this.check(), tick);
    this.timer.unref();
  }

  /** A message arrived from the client. */
  touch(): void {
    this.lastActivity = performance.now();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private check(): void {
    if (this.stopped) return;
    const now = performance.now();
    if (!this.o.busy() && now - this.lastActivity >= this.o.idleTimeoutMs) return this.expire('idle');
    if (now - this.lastPing < this.o.pingIntervalMs) return;
    if (this.awaitingPong) return this.expire('dead');
    this.awaitingPong = true;
    this.lastPing = now;
    try {
      this.ws.ping();
    } catch {
      this.expire('dead');
    }
  }

  private expire(why: 'dead' | 'idle'): void {
    this.stop();
    this.o.onExpire(why);
  }
}
