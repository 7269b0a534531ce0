import type { Logger } from 'pino';
import type { DaemonCertificate } from '../../daemon/tls/cert-store.js';

/**
 * The certificate code (@peculiar/x509 + reflect-metadata, ~20 MB resident) is loaded only when
 * TLS is asked for: a plain `sscard daemon` never needs it (docs/performance.md, "Memory").
 */
async function ensureDaemonCertificate(o: { dataDir: string; now?: Date }): Promise<DaemonCertificate> {
  return (await import('../../daemon/tls/cert-store.js')).ensureDaemonCertificate(o);
}

/** How often a running `daemon --tls` checks its certificate (renewal 30 days before the end). */
export const CERT_CHECK_INTERVAL_MS = 12 * 3_600_000;

/** `daemon --tls`: the certificate from `sscard cert` (created, or renewed near its end, as needed). */
export async function loadTls(dataDir: string): Promise<DaemonCertificate> {
  return ensureDaemonCertificate({ dataDir });
}

/** What `sscard daemon` prints about wss:// and the demo page (docs/browsers.md). */
export function browserReachLines(port: number, tls: DaemonCertificate | undefined, demo: boolean): string[] {
  const lines: string[] = [];
  if (tls) {
    lines.push(`TLS on the same port: wss://127.0.0.1:${port}/ and https://127.0.0.1:${port}/ (plain ws:// stays available)`);
    lines.push(`certificate ${tls.paths.cert}, valid to ${tls.server.notAfter.toISOString()}; CA ${tls.paths.caCert}${tls.created.ca ? ' (NEW: trust it, see `sscard cert`)' : ''}`);
    for (const w of tls.warnings) lines.push(`WARNING: ${w}`);
  }
  if (demo) {
    lines.push(`demo HIS page: http://127.0.0.1:${port}/demo/${tls ? `  (or https://127.0.0.1:${port}/demo/)` : ''}`);
  }
  return lines;
}

/**
 * One check of a running `daemon --tls`: renews the daemon certificate when it is due (same CA)
 * and hands it to the server; logs the expiry warnings. Never throws (a failed check is logged and
 * the current certificate stays in use).
 */
export async function renewIfDue(o: { dataDir: string; now?: Date; apply: (c: DaemonCertificate) => void; log: Logger }): Promise<DaemonCertificate | undefined> {
  try {
    const c = await ensureDaemonCertificate({ dataDir: o.dataDir, ...(o.now ? { now: o.now } : {}) });
    if (c.created.server) {
      o.apply(c);
      o.log.info({ validTo: c.server.notAfter.toISOString(), newCa: c.created.ca }, 'TLS certificate renewed');
    }
    for (const w of c.warnings) o.log.warn({ warning: w }, 'TLS certificate');
    return c;
  } catch (e) {
    o.log.error({ code: (e as { code?: string }).code ?? 'UNKNOWN' }, 'TLS certificate check failed; the current certificate stays in use');
    return undefined;
  }
}
