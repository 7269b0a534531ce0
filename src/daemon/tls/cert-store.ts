import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateFacts, createCertificateAuthority, issueServerCertificate, LOOPBACK_NAMES, signedBy, type CertificateFacts, type PemPair } from './local-ca.js';
import { TlsError } from './tls-error.js';

/** Validity of the local CA (it must be trusted again when it is replaced). */
export const CA_DAYS = 3650;
/** Validity of the daemon's certificate (renewed automatically, same CA: no new trust step). */
export const SERVER_DAYS = 365;
/** The daemon's certificate is renewed when it has fewer days left than this. */
export const RENEW_BEFORE_DAYS = 30;
/** A warning is given when the CA has fewer days left than this. */
export const CA_WARN_DAYS = 90;

export interface CertPaths {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly cert: string;
  readonly key: string;
}

export interface DaemonCertificate {
  readonly paths: CertPaths;
  readonly ca: CertificateFacts;
  readonly server: CertificateFacts;
  /** PEM texts for `tls.createSecureContext`. */
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPem: string;
  /** What this call changed: a new CA (must be trusted) and/or a new server certificate. */
  readonly created: { readonly ca: boolean; readonly server: boolean };
  /** Expiry warnings, in words. */
  readonly warnings: readonly string[];
}

export function certPaths(dataDir: string): CertPaths {
  const dir = join(dataDir, 'tls');
  return { dir, caCert: join(dir, 'ca.pem'), caKey: join(dir, 'ca-key.pem'), cert: join(dir, 'daemon.pem'), key: join(dir, 'daemon-key.pem') };
}

/**
 * The daemon's TLS material in `<dataDir>/tls/`, created or renewed as needed:
 * - no CA (or `newCa`): a new CA, name-constrained to the loopback names; keys mode 0600, dir 0700;
 * - the server certificate is (re)issued when missing, not signed by the current CA, expired,
 *   within RENEW_BEFORE_DAYS of expiry, or `renew` is asked;
 * - a key file readable by group or others is refused (TLS_KEY_EXPOSED), like the token files.
 */
export async function ensureDaemonCertificate(o: { dataDir: string; now?: Date; renew?: boolean; newCa?: boolean }): Promise<DaemonCertificate> {
  const now = o.now ?? new Date();
  const paths = certPaths(o.dataDir);
  try {
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new TlsError('TLS_FILES', `cannot create ${paths.dir}`, { cause: e });
  }
  let ca: PemPair | undefined = !o.newCa && existsSync(paths.caCert) ? readPair(paths.caCert, paths.caKey) : undefined;
  let caFacts = ca ? await facts(ca.certPem, paths.caCert) : undefined;
  const createdCa = !ca || (caFacts !== undefined && caFacts.notAfter <= now);
  if (createdCa) {
    ca = await createCertificateAuthority({ commonName: 'sscard local CA', now, days: CA_DAYS, constrainToLoopback: true });
    writePair(paths.caCert, paths.caKey, ca);
    caFacts = await facts(ca.certPem, paths.caCert);
  }
  let server = !createdCa && !o.renew && existsSync(paths.cert) ? readPair(paths.cert, paths.key) : undefined;
  let serverFacts = server ? await facts(server.certPem, paths.cert) : undefined;
  const stale =
    !server ||
    !serverFacts ||
    daysLeft(serverFacts.notAfter, now) < RENEW_BEFORE_DAYS ||
    !(await signedBy(server.certPem, ca!.certPem).catch(() => false));
  if (stale) {
    const days = Math.min(SERVER_DAYS, Math.floor(daysLeft(caFacts!.notAfter, now)));
    server = await issueServerCertificate(ca!, { ...LOOPBACK_NAMES, now, days: Math.max(days, 1), commonName: 'localhost' });
    writePair(paths.cert, paths.key, server);
    serverFacts = await facts(server.certPem, paths.cert);
  }
  const warnings: string[] = [];
  const caLeft = daysLeft(caFacts!.notAfter, now);
  if (caLeft < CA_WARN_DAYS) {
    warnings.push(`the local CA expires in ${Math.max(0, Math.floor(caLeft))} days (${caFacts!.notAfter.toISOString()}): run \`sscard cert --new-ca\` and trust the new CA in every browser`);
  }
  const serverLeft = daysLeft(serverFacts!.notAfter, now);
  if (serverLeft < RENEW_BEFORE_DAYS) {
    warnings.push(`the daemon certificate expires in ${Math.max(0, Math.floor(serverLeft))} days (${serverFacts!.notAfter.toISOString()}) and cannot be renewed past the CA's end`);
  }
  return {
    paths,
    ca: caFacts!,
    server: serverFacts!,
    certPem: server!.certPem,
    keyPem: server!.keyPem,
    caPem: ca!.certPem,
    created: { ca: createdCa, server: stale },
    warnings,
  };
}

function daysLeft(notAfter: Date, now: Date): number {
  return (notAfter.getTime() - now.getTime()) / 86_400_000;
}

async function facts(certPem: string, file: string): Promise<CertificateFacts> {
  try {
    return await certificateFacts(certPem);
  } catch (e) {
    throw new TlsError('TLS_FILES', `${file} is not a PEM certificate; delete the tls directory and run \`sscard cert\` again`, { cause: e });
  }
}

function readPair(certFile: string, keyFile: string): PemPair {
  if (!existsSync(keyFile)) throw new TlsError('TLS_FILES', `${certFile} exists but its key ${keyFile} is missing; run \`sscard cert --new-ca\``);
  try {
    const mode = statSync(keyFile).mode & 0o777;
    if (mode & 0o077) {
      throw new TlsError('TLS_KEY_EXPOSED', `${keyFile} is readable by others (mode ${mode.toString(8)}): it may have leaked; run \`sscard cert --new-ca\` and trust the new CA`);
    }
    const keyPem = readFileSync(keyFile, 'utf8');
    if (!/-----BEGIN PRIVATE KEY-----/.test(keyPem)) throw new TlsError('TLS_FILES', `${keyFile} does not hold a PKCS#8 private key`);
    return { certPem: readFileSync(certFile, 'utf8'), keyPem };
  } catch (e) {
    if (e instanceof TlsError) throw e;
    throw new TlsError('TLS_FILES', `cannot read ${certFile} / ${keyFile}`, { cause: e });
  }
}

/** Key first, mode 0600, written to a temp name and renamed (a crash never leaves half a key). */
function writePair(certFile: string, keyFile: string, pair: PemPair): void {
  try {
    writeFileSync(`${keyFile}.new`, pair.keyPem, { mode: 0o600 });
    renameSync(`${keyFile}.new`, keyFile);
    writeFileSync(`${certFile}.new`, pair.certPem, { mode: 0o644 });
    renameSync(`${certFile}.new`, certFile);
  } catch (e) {
    throw new TlsError('TLS_FILES', `cannot write ${certFile} / ${keyFile}`, { cause: e });
  }
}
