import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { KeyError } from '../key-error.js';

/**
 * The installation's own signing key (docs/verifiable-reads.md): Ed25519 (RFC 8032) through
 * node:crypto, created by `sscard keys init`, kept in a 0600 JSON file. It signs verifiable
 * reads; the HIS server holds the public key. Never a card key.
 */
export interface InstallationKey {
  /** `ed25519:<base64 of the 32-byte public key>`: what `keys init` prints for the HIS server. */
  readonly publicKey: string;
  /** First 16 hex of SHA-256 over the raw public key. */
  readonly keyId: string;
  sign(message: Uint8Array): Uint8Array;
}

const fileSchema = z.strictObject({
  version: z.literal(1),
  algorithm: z.literal('Ed25519'),
  privateKey: z.string().startsWith('-----BEGIN PRIVATE KEY-----'),
  publicKey: z.string().regex(/^ed25519:[A-Za-z0-9+/]{43}=$/),
});

/** Creates a new key file (mode 0600); refuses to overwrite one unless `force`. Returns the key. */
export function initInstallationKey(file: string, options: { force?: boolean } = {}): InstallationKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const doc = { version: 1, algorithm: 'Ed25519', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKeyText(publicKey) };
  try {
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600, flag: options.force ? 'w' : 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new KeyError('KEY_FILE_EXISTS', `${file} already holds an installation key (use --force to replace it; the HIS server then needs the new public key)`, { file });
    throw new KeyError('KEY_FILE_MISSING', `cannot write ${file}: ${code ?? 'error'}`, { file });
  }
  chmodSync(file, 0o600);
  return installationKey(privateKey);
}

/** Loads the key file: it must exist, be 0600 (or stricter) and match its schema. */
export function loadInstallationKey(file: string): InstallationKey {
  let text: string;
  try {
    if ((statSync(file).mode & 0o077) !== 0) throw new KeyError('KEY_FILE_PERMISSIONS', `${file} is readable by group or others: chmod 600 it`, { file });
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof KeyError) throw e;
    throw new KeyError('KEY_FILE_MISSING', `no installation key in ${file}: run \`sscard keys init\``, { file });
  }
  let doc: z.infer<typeof fileSchema>;
  try {
    doc = fileSchema.parse(JSON.parse(text));
  } catch {
    throw new KeyError('KEY_FILE_INVALID', `${file} is not an sscard installation key file`, { file });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(doc.privateKey);
  } catch {
    throw new KeyError('KEY_FILE_INVALID', `${file}: the private key cannot be read`, { file, entry: 'privateKey' });
  }
  const loaded = installationKey(key);
  if (key.asymmetricKeyType !== 'ed25519' || loaded.publicKey !== doc.publicKey) throw new KeyError('KEY_FILE_INVALID', `${file}: the public key does not belong to the private key`, { file, entry: 'publicKey' });
  return loaded;
}

function installationKey(privateKey: KeyObject): InstallationKey {
  const publicKey = publicKeyText(createPublicKey(privateKey));
  const raw = Buffer.from(publicKey.slice('ed25519:'.length), 'base64');
  return {
    publicKey,
    keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

/** `ed25519:` + base64 of the raw 32-byte key (the last 32 bytes of its SPKI DER). */
function publicKeyText(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return `ed25519:${der.subarray(der.length - 32).toString('base64')}`;
}
