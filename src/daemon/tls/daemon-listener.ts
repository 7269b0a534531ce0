import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface ListenerHandlers {
  onRequest(req: IncomingMessage, res: ServerResponse): void;
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** What the daemon listens with: an http.Server, or (with TLS) one port speaking both. */
export type DaemonListener = NetServer & {
  closeIdleConnections(): void;
  /** With TLS: new connections get this certificate (a renewal while the daemon runs). */
  setCertificate?(tls: { certPem: string; keyPem: string }): void;
};

/** First byte of a TLS record carrying a handshake (RFC 8446 §5.1, ContentType handshake(22)). */
const TLS_HANDSHAKE = 0x16;
/** A connection that sends nothing within this time is dropped (same as the header timeout). */
const FIRST_BYTE_TIMEOUT_MS = 10_000;

/**
 * Without TLS: a plain http.Server (ws:// and http://). With TLS: one port that serves https://
 * and wss:// to clients opening with a TLS handshake, and plain http:// and ws:// to the others
 * (intranet pages keep working), decided on the connection's first byte.
 */
export function createDaemonListener(h: ListenerHandlers, tls?: { certPem: string; keyPem: string }): DaemonListener {
  const plain = createHttpServer(h.onRequest);
  configure(plain, h);
  if (!tls) return plain as DaemonListener;
  const secure = createHttpsServer({ cert: tls.certPem, key: tls.keyPem, minVersion: 'TLSv1.2' }, h.onRequest);
  configure(secure, h);
  const front = createNetServer({ pauseOnConnect: true }, (socket: Socket) => {
    socket.on('error', () => socket.destroy());
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.setTimeout(0);
      socket.unshift(chunk);
      (chunk[0] === TLS_HANDSHAKE ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.resume();
  });
  front.on('close', () => {
    plain.close();
    secure.close();
  });
  return Object.assign(front, {
    closeIdleConnections(): void {
      plain.closeIdleConnections();
      secure.closeIdleConnections();
    },
    setCertificate(next: { certPem: string; keyPem: string }): void {
      secure.setSecureContext({ cert: next.certPem, key: next.keyPem, minVersion: 'TLSv1.2' });
    },
  });
}

function configure(server: HttpServer, h: ListenerHandlers): void {
  server.on('upgrade', (req, socket, head) => h.onUpgrade(req, socket, head));
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
}

/** True when the request came over TLS (https:// or wss://). */
export function isSecureRequest(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true;
}

/**
 * The TCP socket under a connection: with `--tls` an upgrade arrives on a TLSSocket that wraps the
 * raw socket the listener accepted (node:tls keeps it as `_parent`); the socket guard counts the
 * raw one (docs/daemon.md, "Limits").
 */
export function rawSocketOf(socket: Duplex): Duplex {
  const parent = (socket as { _parent?: unknown })._parent;
  return parent !== null && typeof parent === 'object' ? (parent as Duplex) : socket;
}
