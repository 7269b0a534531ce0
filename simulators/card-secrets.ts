import { randomBytes } from 'node:crypto';
import type { CipherAlgorithm } from './crypto/block-cipher.js';
import type { KeyRole } from './crypto/test-master-keys.js';
import type { CardKeys } from './card-keys.js';
import { DEFAULT_PIN, DEFAULT_TRY_LIMIT, type SecurityProfile } from './profile-schema.js';
import { statusWords } from '../src/apdu/status-words.js';
import { SW } from './status.js';

/** Where the card's random bytes come from (GET CHALLENGE); tests may pass a deterministic one. */
export type RandomSource = (length: number) => Uint8Array;

export const cryptoRandom: RandomSource = (length) => new Uint8Array(randomBytes(length));

/** The roles EXTERNAL AUTHENTICATE can open, each with its own try counter (docs/reference/card-spec.md §3). */
export type ExternalAuthRole = Extract<KeyRole, 'RKSSSE' | 'UKSSSE' | 'PUK'>;
const EXTERNAL_ROLES: readonly ExternalAuthRole[] = ['RKSSSE', 'UKSSSE', 'PUK'];

/** A read-only view of the card's security state, for tests and tools. */
export interface SecuritySnapshot {
  readonly algorithm: string;
  readonly pinTryLimit: number;
  readonly pinTriesLeft: number;
  readonly pinBlocked: boolean;
  readonly extAuthTryLimit: number;
  readonly extAuthTriesLeft: Readonly<Record<ExternalAuthRole, number>>;
  readonly applicationBlocked: boolean;
  readonly cardBlocked: boolean;
  /** Volatile: a challenge that the next command may use. */
  readonly challengePending: boolean;
}

/** The settings of a profile's `security` section with the defaults filled in. */
export interface SecuritySettings {
  readonly pin: string;
  readonly pinTryLimit: number;
  readonly extAuthTryLimit: number;
  readonly pinTriesLeft: number;
  readonly applicationBlocked: boolean;
  readonly cardBlocked: boolean;
}

export function resolveSecuritySettings(security: SecurityProfile | undefined): SecuritySettings {
  const pinTryLimit = security?.pinTryLimit ?? DEFAULT_TRY_LIMIT;
  return {
    pin: security?.pin ?? DEFAULT_PIN,
    pinTryLimit,
    extAuthTryLimit: security?.extAuthTryLimit ?? DEFAULT_TRY_LIMIT,
    pinTriesLeft: security?.state?.pinTriesLeft ?? pinTryLimit,
    applicationBlocked: security?.state?.applicationBlocked ?? false,
    cardBlocked: security?.state?.cardBlocked ?? false,
  };
}

/** Outcome of a check that spends a try: OK, or the status word to answer (63Cx / 6983). */
export type TryOutcome = { readonly ok: true } | { readonly ok: false; readonly sw: number };

/**
 * The answer of a failed VERIFY / EXTERNAL AUTHENTICATE, from the command's entries of the shared
 * status-word table: `WRONG` (63Cx) with x tries left, or `BLOCKED` (6983) when none is left
 * (ISO/IEC 7816-4:2020 table 6; docs/reference/card-spec.md §3).
 */
export function triesLeftSw(command: 'VERIFY' | 'EXTERNAL AUTHENTICATE', left: number): number {
  const table = statusWords();
  return left > 0 ? table.swWith(command, 'WRONG', Math.min(left, 15)) : table.swOf(command, 'BLOCKED');
}

/**
 * The card's secrets and security counters (docs/reference/card-spec.md §3, docs/reference/security-profile.md). Persistent, as
 * in EEPROM (kept over reset and power cycles): the PIN, its try counter, one try counter per
 * external-authentication key, the application and card blocks, the card keys. Volatile
 * (cleared on reset): the challenge. Every mutator is called by a handler only once all its
 * checks have passed, so a command that fails half way changes nothing.
 *
 * Challenge rule: GET CHALLENGE's bytes may be used by the very next command only, once. The
 * card counts commands (`countCommand`, a filter of the card OS); `takeChallenge` answers 6984
 * when no challenge was asked since the reset, 6988 when the last one was used or went stale.
 */
export class CardSecrets {
  readonly algorithm: string;
  readonly pinTryLimit: number;
  readonly extAuthTryLimit: number;
  private pin: string;
  private pinTries: number;
  private readonly extAuthTries = new Map<ExternalAuthRole, number>();
  private appBlocked: boolean;
  private cardIsBlocked: boolean;

  private commands = 0;
  private challenge: { readonly bytes: Uint8Array; readonly issuedAt: number } | 'spent' | undefined;

  constructor(
    settings: SecuritySettings,
    algorithm: string,
    private readonly keys: CardKeys | undefined,
    private readonly random: RandomSource = cryptoRandom,
  ) {
    this.algorithm = algorithm;
    this.pin = settings.pin;
    this.pinTryLimit = settings.pinTryLimit;
    this.extAuthTryLimit = settings.extAuthTryLimit;
    this.pinTries = settings.pinTriesLeft;
    this.appBlocked = settings.applicationBlocked;
    this.cardIsBlocked = settings.cardBlocked;
    for (const role of EXTERNAL_ROLES) this.extAuthTries.set(role, settings.extAuthTryLimit);
  }

  /** The card algorithm when the reference profile supports it (01, 03), else undefined (02). */
  get cipher(): CipherAlgorithm | undefined {
    return this.algorithm === '01' || this.algorithm === '03' ? this.algorithm : undefined;
  }

  /** The card key of a role (undefined when the algorithm is not supported). */
  key(role: KeyRole): Uint8Array | undefined {
    return this.keys?.get(role);
  }

  // --- PIN -------------------------------------------------------------------------------------

  get pinTriesLeft(): number {
    return this.pinTries;
  }

  get pinBlocked(): boolean {
    return this.pinTries === 0;
  }

  /** Checks a PIN (the caller has checked the block and the format): a wrong one spends a try. */
  checkPin(digits: string): TryOutcome {
    if (digits === this.pin) {
      this.pinTries = this.pinTryLimit;
      return { ok: true };
    }
    this.pinTries = Math.max(0, this.pinTries - 1);
    return { ok: false, sw: triesLeftSw('VERIFY', this.pinTries) };
  }

  /** Sets a new PIN and resets the try counter (CHANGE PIN, PIN RELOAD). */
  setPin(digits: string): void {
    this.pin = digits;
    this.pinTries = this.pinTryLimit;
  }

  /** PIN UNBLOCK: the try counter back to the limit, PIN unchanged. */
  resetPinTries(): void {
    this.pinTries = this.pinTryLimit;
  }

  // --- external authentication keys ---------------------------------------------------------

  extAuthTriesLeft(role: ExternalAuthRole): number {
    return this.extAuthTries.get(role) ?? 0;
  }

  /** Records the result of an EXTERNAL AUTHENTICATE: success resets the key's counter. */
  recordExternalAuth(role: ExternalAuthRole, ok: boolean): TryOutcome {
    if (ok) {
      this.extAuthTries.set(role, this.extAuthTryLimit);
      return { ok: true };
    }
    const left = Math.max(0, this.extAuthTriesLeft(role) - 1);
    this.extAuthTries.set(role, left);
    return { ok: false, sw: triesLeftSw('EXTERNAL AUTHENTICATE', left) };
  }

  // --- blocks ------------------------------------------------------------------------------------

  get applicationBlocked(): boolean {
    return this.appBlocked;
  }

  get cardBlocked(): boolean {
    return this.cardIsBlocked;
  }

  blockApplication(): void {
    this.appBlocked = true;
  }

  blockCard(): void {
    this.cardIsBlocked = true;
  }

  // --- challenge (volatile) ----------------------------------------------------------------------

  /** Called for every command the card receives, before it is handled. */
  countCommand(): void {
    this.commands++;
  }

  /** GET CHALLENGE: fresh random bytes, usable by the next command only. */
  newChallenge(length: number): Uint8Array {
    const bytes = this.random(length);
    if (bytes.length !== length) throw new RangeError(`random source gave ${bytes.length} bytes instead of ${length}`);
    this.challenge = { bytes: Uint8Array.from(bytes), issuedAt: this.commands };
    return Uint8Array.from(bytes);
  }

  /**
   * Uses the challenge of the previous command: `R8` = its first 8 bytes, a 4-byte challenge
   * followed by `00 00 00 00` (security profile step 3). Status word 6984 when no challenge was
   * asked since the reset, 6988 when it was already used or another command came in between.
   */
  takeChallenge(): Uint8Array | number {
    const c = this.challenge;
    if (c === undefined) return SW.REFERENCE_DATA_NOT_USABLE;
    this.challenge = 'spent';
    if (c === 'spent' || c.issuedAt !== this.commands - 1) return SW.SM_DATA_INCORRECT;
    const r8 = new Uint8Array(8);
    r8.set(c.bytes.subarray(0, 8));
    return r8;
  }

  /** Reset / power: the challenge is forgotten (a new one must be asked: 6984 until then). */
  clearVolatile(): void {
    this.challenge = undefined;
  }

  snapshot(): SecuritySnapshot {
    const c = this.challenge;
    return {
      algorithm: this.algorithm,
      pinTryLimit: this.pinTryLimit,
      pinTriesLeft: this.pinTries,
      pinBlocked: this.pinBlocked,
      extAuthTryLimit: this.extAuthTryLimit,
      extAuthTriesLeft: { RKSSSE: this.extAuthTriesLeft('RKSSSE'), UKSSSE: this.extAuthTriesLeft('UKSSSE'), PUK: this.extAuthTriesLeft('PUK') },
      applicationBlocked: this.appBlocked,
      cardBlocked: this.cardIsBlocked,
      challengePending: typeof c === 'object' && c.issuedAt === this.commands,
    };
  }
}
