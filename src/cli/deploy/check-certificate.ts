import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NSS_NICKNAME, SYSTEM_CA_FILE, type DoctorContext } from './doctor-context.js';
import { fail, pass, skip, type Finding } from './finding.js';

/** The local TLS files of `sscard cert` (docs/browsers.md): `<data dir>/tls/`. */
export function tlsPaths(dataDir: string): { dir: string; ca: string; caKey: string; cert: string; key: string } {
  const dir = join(dataDir, 'tls');
  return { dir, ca: join(dir, 'ca.pem'), caKey: join(dir, 'ca-key.pem'), cert: join(dir, 'daemon.pem'), key: join(dir, 'daemon-key.pem') };
}

function load(file: string): X509Certificate {
  return new X509Certificate(readFileSync(file));
}

/** The daemon certificate: present, within its validity, issued by the local CA, for 127.0.0.1. */
export function checkCertificate(ctx: DoctorContext): Finding {
  const p = tlsPaths(ctx.dataDir);
  if (!existsSync(p.cert) && !existsSync(p.ca)) {
    return skip('certificate', 'NO_TLS', `no local certificate in ${p.dir}: the daemon serves ws:// only (\`sscard cert\` makes one for wss://, docs/browsers.md)`);
  }
  if (!existsSync(p.ca) || !existsSync(p.cert)) {
    return fail('certificate', 'CERT_MISSING', `${existsSync(p.ca) ? p.cert : p.ca} is missing`, 'run `sscard cert` (as the user the daemon runs as)');
  }
  let ca: X509Certificate;
  let cert: X509Certificate;
  try {
    ca = load(p.ca);
    cert = load(p.cert);
  } catch (e) {
    return fail('certificate', 'CERT_UNREADABLE', `${p.dir}: not a PEM certificate (${(e as Error).message})`, 'delete the tls directory and run `sscard cert` again');
  }
  const now = ctx.now.getTime();
  for (const [c, file, what] of [
    [ca, p.ca, 'the local CA'],
    [cert, p.cert, 'the daemon certificate'],
  ] as const) {
    if (Date.parse(c.validTo) <= now) {
      return fail('certificate', 'CERT_EXPIRED', `${what} ${file} expired on ${new Date(c.validTo).toISOString()}`, c === ca ? 'run `sscard cert --new-ca` and trust the new CA again (the package does this on upgrade)' : 'run `sscard cert --renew` (same CA: nothing to trust again), then restart the daemon');
    }
    if (Date.parse(c.validFrom) > now) {
      return fail('certificate', 'CERT_NOT_YET_VALID', `${what} ${file} is valid only from ${new Date(c.validFrom).toISOString()}: is the clock right?`, 'set the clock (see the clock check), or `sscard cert --renew`');
    }
  }
  for (const key of [p.caKey, p.key]) {
    if (!existsSync(key)) continue;
    const mode = statSync(key).mode & 0o777;
    if (mode & 0o077) {
      return fail('certificate', 'CERT_KEY_EXPOSED', `${key} is readable by others (mode ${mode.toString(8)}): the key may have leaked`, 'run `sscard cert --new-ca` and trust the new CA again (the daemon refuses exposed keys)');
    }
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
    return fail('certificate', 'CERT_WRONG_CA', `${p.cert} is not signed by ${p.ca}`, 'run `sscard cert --renew`');
  }
  if (!cert.checkIP('127.0.0.1')) {
    return fail('certificate', 'CERT_NAMES', `${p.cert} is not for 127.0.0.1`, 'run `sscard cert --renew`');
  }
  return pass('certificate', `${p.cert} valid to ${new Date(cert.validTo).toISOString()}, signed by the local CA (SHA-256 ${ca.fingerprint256})`);
}

/** PEM blocks of a bundle file. */
function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** The local CA is in the system store (Debian: update-ca-certificates' bundle). */
export function checkSystemTrust(ctx: DoctorContext): Finding {
  const p = tlsPaths(ctx.dataDir);
  if (!existsSync(p.ca)) return skip('trust-system', 'NO_TLS', 'no local CA');
  let fp: string;
  try {
    fp = load(p.ca).fingerprint256;
  } catch {
    return skip('trust-system', 'CERT_UNREADABLE', 'the local CA cannot be read (see above)');
  }
  let bundle = '';
  try {
    bundle = readFileSync(ctx.systemCaBundle, 'utf8');
  } catch {
    // no bundle: not trusted
  }
  const found = pemBlocks(bundle).some((b) => {
    try {
      return new X509Certificate(b).fingerprint256 === fp;
    } catch {
      return false;
    }
  });
  if (found) return pass('trust-system', `the local CA is in ${ctx.systemCaBundle}`);
  return fail('trust-system', 'CA_NOT_TRUSTED_SYSTEM', `the local CA (${p.ca}) is not in the system store ${ctx.systemCaBundle}`, `\`sudo cp ${p.ca} ${SYSTEM_CA_FILE} && sudo update-ca-certificates\` (the package does this for its CA)`);
}

/**
 * The local CA is trusted in this user's NSS database, which Chromium and Chrome on Linux read
 * for locally added CAs (`certutil -d sql:$HOME/.pki/nssdb -L -n NAME -a`, libnss3-tools).
 */
export function checkChromiumTrust(ctx: DoctorContext): Finding {
  const p = tlsPaths(ctx.dataDir);
  if (!existsSync(p.ca)) return skip('trust-chromium', 'NO_TLS', 'no local CA');
  const fix = `\`certutil -d sql:${ctx.nssDb} -A -t C,, -n "${NSS_NICKNAME}" -i ${p.ca}\` (package libnss3-tools; the package's user unit does this at login)`;
  let pem: string;
  try {
    pem = execFileSync('certutil', ['-d', `sql:${ctx.nssDb}`, '-L', '-n', NSS_NICKNAME, '-a'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fail('trust-chromium', 'NSS_TOOLS_MISSING', 'certutil is not installed: cannot read Chromium\'s NSS store', '`sudo apt install libnss3-tools`');
    return fail('trust-chromium', 'CA_NOT_TRUSTED_CHROMIUM', `the local CA is not in Chromium's NSS store ${ctx.nssDb}`, fix);
  }
  try {
    const fp = load(p.ca).fingerprint256;
    if (pemBlocks(pem).some((b) => new X509Certificate(b).fingerprint256 === fp)) return pass('trust-chromium', `the local CA is trusted in ${ctx.nssDb} as "${NSS_NICKNAME}"`);
  } catch {
    // fall through
  }
  return fail('trust-chromium', 'CA_STALE_IN_CHROMIUM', `${ctx.nssDb} holds an older "${NSS_NICKNAME}", not the current ${p.ca}`, `\`certutil -d sql:${ctx.nssDb} -D -n "${NSS_NICKNAME}"\`, then ${fix}`);
}
