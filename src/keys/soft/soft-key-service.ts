import type { PinBuffer } from '../../core/pin-buffer.js';
import type { CardKeyContext } from '../card-key-context.js';
import { KeyError } from '../key-error.js';
import type { ExternalAuthRole, KeyRole, MacRole, PinRole } from '../key-role.js';
import type { KeyService } from '../key-service.js';
import { authValue, cardKey, encryptPin, mac, sessionKey } from '../profile-crypto.js';
import { MasterKeySet } from './master-key-set.js';

export interface SoftKeyServiceOptions {
  /**
   * May the public test keys be used? Default **false**. Composition roots pass `true` only for
   * simulated readers (in-process simulator, vpcd) and tests; a real reader gets `false`, so a
   * test key set fails at construction with TEST_KEYS_REFUSED instead of being tried on a card
   * that claims to be real (docs/reference/security-profile.md: "never accept them on a card that claims to be real").
   */
  allowTestKeys?: boolean;
}

/**
 * Master keys in process memory (docs/reference/security-profile.md steps 2-8 computed locally). For tests,
 * simulators and development; production uses a PSAM or an HSM.
 */
export class SoftKeyService implements KeyService {
  readonly kind = 'soft' as const;
  readonly #keys: MasterKeySet;

  constructor(keys: MasterKeySet, options: SoftKeyServiceOptions = {}) {
    if (keys.test && options.allowTestKeys !== true) {
      throw new KeyError(
        'TEST_KEYS_REFUSED',
        `${keys.source}: these are the public test keys of the reference profile; they are refused unless allowTestKeys is set (simulated readers only)`,
        { file: keys.source },
      );
    }
    this.#keys = keys;
  }

  /** Loads a master-key file (see MasterKeySet.fromFile for its errors). */
  static fromFile(path: string, options: SoftKeyServiceOptions = {}): SoftKeyService {
    return new SoftKeyService(MasterKeySet.fromFile(path), options);
  }

  /** The package's config/test-keys.json with allowTestKeys: for simulators and tests. */
  static withTestKeys(): SoftKeyService {
    return new SoftKeyService(MasterKeySet.testKeys(), { allowTestKeys: true });
  }

  /** True when the loaded keys are the public test keys (marked `test` or recognised). */
  get isTestKeySet(): boolean {
    return this.#keys.test;
  }

  async internalAuth(ctx: CardKeyContext, r8: Uint8Array, d8: Uint8Array): Promise<Uint8Array> {
    if (r8.length !== 8) throw new KeyError('BAD_KEY_INPUT', `INTERNAL AUTHENTICATE factor must be 8 bytes, got ${r8.length}`);
    return this.withSessionKey(ctx, 'IRK', r8, (sk) => authValue(ctx.algorithmId, sk, d8));
  }

  async externalAuth(ctx: CardKeyContext, role: ExternalAuthRole, challenge: Uint8Array, d8: Uint8Array): Promise<Uint8Array> {
    return this.withSessionKey(ctx, role, challenge, (sk) => authValue(ctx.algorithmId, sk, d8));
  }

  async mac(ctx: CardKeyContext, role: MacRole, challenge: Uint8Array, input: Uint8Array): Promise<Uint8Array> {
    return this.withSessionKey(ctx, role, challenge, (sk) => mac(ctx.algorithmId, sk, input));
  }

  async encryptPin(ctx: CardKeyContext, role: PinRole, challenge: Uint8Array, pin: PinBuffer): Promise<Uint8Array> {
    return this.withSessionKey(ctx, role, challenge, (sk) => encryptPin(ctx.algorithmId, sk, pin));
  }

  /** Derives MK -> CK -> SK, runs `fn`, wipes every intermediate key. */
  private withSessionKey<T>(ctx: CardKeyContext, role: KeyRole, challenge: Uint8Array, fn: (sk: Uint8Array) => T): T {
    const mk = this.#keys.masterKey(role);
    let ck: Uint8Array | undefined;
    let sk: Uint8Array | undefined;
    try {
      ck = cardKey(ctx.algorithmId, mk, ctx);
      sk = sessionKey(ctx.algorithmId, ck, challenge);
      return fn(sk);
    } finally {
      mk.fill(0);
      ck?.fill(0);
      sk?.fill(0);
    }
  }

  toJSON(): Record<string, unknown> {
    return { kind: this.kind, keys: this.#keys.toJSON() };
  }
}
