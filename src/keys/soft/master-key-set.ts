import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { fromHex } from '../../core/hex.js';
import { formatPath } from '../../specs/load-json.js';
import { KeyError } from '../key-error.js';
import { KEY_ROLES, type KeyRole } from '../key-role.js';
import { PUBLIC_TEST_MASTER_KEYS } from './public-test-keys.js';

const key16 = z.string().regex(/^[0-9A-Fa-f]{32}$/, 'must be 32 hex digits (a 16-byte master key)');

/** Schema of a master-key file (config/test-keys.json is one). */
export const masterKeyFileSchema = z
  .object({
    $comment: z.string().optional(),
    /** true for public test keys; required so that every file says what it is. */
    test: z.boolean(),
    profile: z.string().optional(),
    keys: z
      .object({ IRK: key16, RKSSSE: key16, UKSSSE: key16, PUK: key16, BK: key16 })
      .partial()
      .strict()
      .refine((k) => Object.keys(k).length > 0, 'must hold at least one role'),
  })
  .strict();

export type MasterKeyFile = z.output<typeof masterKeyFileSchema>;

/**
 * Master keys per role, in memory. `test` is true when the file says so or when any key is one of
 * the profile's public test keys. Never printed: inspect/JSON show roles only.
 */
export class MasterKeySet {
  readonly #keys: Map<KeyRole, Uint8Array>;

  private constructor(
    keys: Map<KeyRole, Uint8Array>,
    /** Public test keys (see class comment). */
    readonly test: boolean,
    /** Where the keys came from (file path or a label), for messages. */
    readonly source: string,
  ) {
    this.#keys = keys;
  }

  /** Validates an already-parsed file; `label` names it in error messages. */
  static fromJson(value: unknown, label: string): MasterKeySet {
    const result = masterKeyFileSchema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const entry = formatPath(issue.path);
      throw new KeyError('KEY_FILE_INVALID', `${label}: ${entry}: ${issue.message}`, { file: label, entry });
    }
    const keys = new Map<KeyRole, Uint8Array>();
    let publicKey = false;
    for (const role of KEY_ROLES) {
      const hex = result.data.keys[role];
      if (hex === undefined) continue;
      keys.set(role, fromHex(hex));
      if (hex.toUpperCase() === PUBLIC_TEST_MASTER_KEYS[role]) publicKey = true;
    }
    return new MasterKeySet(keys, result.data.test || publicKey, label);
  }

  /** Reads and validates a master-key file. Errors are KeyErrors naming the file (and entry). */
  static fromFile(path: string): MasterKeySet {
    const label = relative(process.cwd(), path) || path;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (cause) {
      throw new KeyError('KEY_FILE_MISSING', `${label}: cannot read master-key file`, { file: label }, { cause });
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new KeyError('KEY_FILE_INVALID', `${label}: not valid JSON (${(cause as Error).message})`, { file: label }, { cause });
    }
    return MasterKeySet.fromJson(value, label);
  }

  /** The package's config/test-keys.json (the public test keys). */
  static testKeys(): MasterKeySet {
    return MasterKeySet.fromFile(defaultTestKeysPath());
  }

  get roles(): KeyRole[] {
    return [...this.#keys.keys()];
  }

  /** The master key of `role` (a copy the caller wipes), or KEY_NOT_AVAILABLE. */
  masterKey(role: KeyRole): Uint8Array {
    const k = this.#keys.get(role);
    if (!k) throw new KeyError('KEY_NOT_AVAILABLE', `${this.source}: no master key for role ${role}`);
    return Uint8Array.from(k);
  }

  /** Overwrites every key with zeros. */
  wipe(): void {
    for (const k of this.#keys.values()) k.fill(0);
    this.#keys.clear();
  }

  toJSON(): Record<string, unknown> {
    return { source: this.source, test: this.test, roles: this.roles };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `MasterKeySet(${this.source}, ${this.test ? 'TEST keys' : 'keys'} for ${this.roles.join(' ')})`;
  }
}

/** Finds `config/test-keys.json` by walking up from this module (works from `src/` and `dist/src/`). */
export function defaultTestKeysPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'config', 'test-keys.json');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new KeyError('KEY_FILE_MISSING', 'config/test-keys.json not found next to the sscard package', { file: 'config/test-keys.json' });
}
