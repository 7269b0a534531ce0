import { ensureDaemonCertificate, type DaemonCertificate } from '../../daemon/tls/cert-store.js';

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
