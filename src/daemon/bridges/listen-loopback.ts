import type { Server } from 'node:http';
import { DaemonError } from '../daemon-error.js';

/** Listens on `host:port` (a bridge's port); a held port names the likely holder. Returns the bound port. */
export function listenLoopback(server: Server, host: string, port: number, label: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      const held = e.code === 'EADDRINUSE' ? ` (another program, e.g. the original ${label} service, holds it: stop it or choose another port)` : '';
      reject(new DaemonError('LISTEN_FAILED', `${label} bridge cannot listen on ${host} port ${port}: ${e.code ?? e.message}${held}`, { cause: e }));
    };
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}
