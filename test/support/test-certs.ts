import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `openssl ca` date format (GeneralizedTime, UTC). */
function gt(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

/**
 * A local CA and a daemon certificate for 127.0.0.1, ::1, localhost in `<dataDir>/tls/` (the
 * layout of `sscard cert`), made with the openssl command line so that any validity window can be
 * chosen (an expired certificate for the doctor tests).
 */
export function makeTestCerts(dataDir: string, o: { notBefore: Date; notAfter: Date }): { dir: string; ca: string; cert: string } {
  const dir = join(dataDir, 'tls');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const work = join(dir, '.openssl');
  mkdirSync(work, { recursive: true });
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'ca-key.pem'), '-out', join(dir, 'ca.pem'), '-days', '3650', '-subj', '/CN=sscard local CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'daemon-key.pem'), '-out', 'd.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(work, 'ext'), 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  writeFileSync(join(work, 'index.txt'), '');
  writeFileSync(join(work, 'serial'), '01\n');
  writeFileSync(
    join(work, 'ca.cnf'),
    '[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = p\nunique_subject = no\n[p]\ncommonName = supplied\n',
  );
  run(['ca', '-batch', '-config', 'ca.cnf', '-cert', join(dir, 'ca.pem'), '-keyfile', join(dir, 'ca-key.pem'), '-in', 'd.csr', '-out', join(dir, 'daemon.pem'), '-startdate', gt(o.notBefore), '-enddate', gt(o.notAfter), '-extfile', 'ext', '-notext']);
  for (const key of ['ca-key.pem', 'daemon-key.pem']) chmodSync(join(dir, key), 0o600); // as `sscard cert` writes them
  return { dir, ca: join(dir, 'ca.pem'), cert: join(dir, 'daemon.pem') };
}
