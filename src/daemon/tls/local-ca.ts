import 'reflect-metadata'; // @peculiar/x509 resolves its algorithm providers through tsyringe, which needs it
import { webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints, id_ce_nameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;

/** ECDSA P-256 with SHA-256: accepted by every current browser and by Node's TLS. */
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** The names the daemon's certificate is for: its loopback addresses only (docs/browsers.md). */
export const LOOPBACK_NAMES = { ips: ['127.0.0.1', '::1'], dnsNames: ['localhost'] } as const;

export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CertificateFacts {
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber: string;
  /** SHA-256 of the DER certificate, hex (what `certutil -L` and browsers show). */
  readonly sha256: string;
}

/**
 * A new local certificate authority. Its Name Constraints extension (RFC 5280 §4.2.1.10, critical)
 * permits only 127.0.0.1, ::1 and localhost when `constrainToLoopback` is set, so that even a
 * leaked CA key cannot be used to impersonate another site to a browser that trusts this CA.
 */
export async function createCertificateAuthority(o: { commonName: string; now: Date; days: number; constrainToLoopback: boolean }): Promise<PemPair> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, 0, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (o.constrainToLoopback) extensions.push(loopbackNameConstraints());
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${escapeDn(o.commonName)}, O=sscard local daemon`,
    notBefore: backdated(o.now),
    notAfter: new Date(o.now.getTime() + o.days * 86_400_000),
    keys,
    signingAlgorithm: ALG,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await keyToPem(keys.privateKey) };
}

/** A TLS server certificate for the given addresses and names, signed by `ca`. */
export async function issueServerCertificate(
  ca: PemPair,
  o: { ips: readonly string[]; dnsNames: readonly string[]; now: Date; days: number; commonName?: string },
): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importKey(ca.keyPem);
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const names = [...o.ips.map((value) => ({ type: 'ip' as const, value })), ...o.dnsNames.map((value) => ({ type: 'dns' as const, value }))];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${escapeDn(o.commonName ?? o.dnsNames[0] ?? o.ips[0] ?? 'sscard')}`,
    issuer: caCert.subject,
    notBefore: backdated(o.now),
    notAfter: new Date(o.now.getTime() + o.days * 86_400_000),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(names, false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyToPem(keys.privateKey) };
}

/** Subject, validity and fingerprint of a PEM certificate (throws on anything that is not one). */
export async function certificateFacts(certPem: string): Promise<CertificateFacts> {
  const c = new x509.X509Certificate(certPem);
  const digest = Buffer.from(await webcrypto.subtle.digest('SHA-256', c.rawData)).toString('hex');
  return { subject: c.subject, notBefore: c.notBefore, notAfter: c.notAfter, serialNumber: c.serialNumber, sha256: digest };
}

/** True when `certPem` carries a valid signature of `caPem`'s key. */
export async function signedBy(certPem: string, caPem: string): Promise<boolean> {
  const c = new x509.X509Certificate(certPem);
  return c.verify({ publicKey: new x509.X509Certificate(caPem).publicKey, signatureOnly: true });
}

/** The SANs of a certificate, as `ip:127.0.0.1` / `dns:localhost`. */
export function subjectAltNames(certPem: string): string[] {
  const san = new x509.X509Certificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
  return san ? san.names.items.map((n) => `${n.type}:${n.value}`) : [];
}

function loopbackNameConstraints(): x509.Extension {
  const permitted = new GeneralSubtrees([
    new GeneralSubtree({ base: new GeneralName({ iPAddress: '127.0.0.1/32' }) }),
    new GeneralSubtree({ base: new GeneralName({ iPAddress: '::1/128' }) }),
    new GeneralSubtree({ base: new GeneralName({ dNSName: 'localhost' }) }),
  ]);
  const der = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: permitted }));
  return new x509.Extension(id_ce_nameConstraints, true, der);
}

async function keyToPem(key: CryptoKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), ALG, false, ['sign']);
}

/** Positive 16-byte serial (RFC 5280 §4.1.2.2: at most 20 octets, positive). */
function randomSerial(): string {
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0]! & 0x7f) | 0x01;
  return Buffer.from(b).toString('hex');
}

/** One hour back: a machine whose clock is slightly behind still accepts a fresh certificate. */
function backdated(now: Date): Date {
  return new Date(now.getTime() - 3_600_000);
}

function escapeDn(s: string): string {
  return s.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`);
}
