import type { Socket } from 'node:net';
import type { RefusalLog } from './refusal-log.js';

export interface SocketGuardLimits {
  /** A socket that has not completed a WebSocket upgrade this long after connecting is closed. */
  readonly handshakeTimeoutMs: number;
  /** Sockets not (yet) upgraded, across the daemon; the oldest is closed to make room. */
  readonly maxPendingSockets: number;
}

/**
 * Guards the raw TCP sockets before they become WebSocket connections. Any local program can
 * connect to a loopback port without a token; a socket that never sends a byte must not keep a
 * file descriptor for ever, or enough of them lock every client out (the accept fails once the
 * open-file limit is reached). So:
 * - every socket has `handshakeTimeoutMs` from its connection to a completed upgrade (plain HTTP
 *   such as `/health` also lives at most that long);
 * - at most `maxPendingSockets` sockets wait at once; a new one closes the OLDEST waiting socket,
 *   not itself: a real client sends its upgrade request within milliseconds of connecting, so a
 *   flood of silent sockets evicts only its own sockets and never stops a newcomer.
 * The pending count stays far below the open-file limit (docs/daemon.md, "Limits").
 */
export class SocketGuard {
  /** Insertion order = age: the first is the oldest. */
  private readonly pending = new Map<Socket, NodeJS.Timeout>();

  constructor(
    private readonly limits: SocketGuardLimits,
    private readonly refusals: RefusalLog,
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  /** The server's `connection` event. */
  onConnection(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    const timer = setTimeout(() => {
      this.forget(socket);
      this.refusals.refused('HANDSHAKE_TIMEOUT', { timeoutMs: this.limits.handshakeTimeoutMs });
      socket.destroy();
    }, this.limits.handshakeTimeoutMs);
    timer.unref();
    this.pending.set(socket, timer);
    socket.once('close', () => this.forget(socket));
    while (this.pending.size > this.limits.maxPendingSockets) {
      const oldest = this.pending.keys().next().value as Socket;
      this.forget(oldest);
      this.refusals.refused('TOO_MANY_PENDING_SOCKETS', { max: this.limits.maxPendingSockets });
      oldest.destroy();
    }
  }

  /** The socket became an admitted WebSocket connection: its lifetime is the connection's now. */
  upgraded(socket: Socket): void {
    this.forget(socket);
  }

  /** Closes every waiting socket (shutdown). */
  closeAll(): void {
    for (const s of [...this.pending.keys()]) {
      this.forget(s);
      s.destroy();
    }
  }

  private forget(socket: Socket): void {
    const t = this.pending.get(socket);
    if (t === undefined) return;
    clearTimeout(t);
    this.pending.delete(socket);
  }
}
