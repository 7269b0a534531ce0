import { randomBytes } from 'node:crypto';
import { apduChannel, type ApduChannel } from '../../apdu/apdu-channel.js';
import type { Transmitter } from '../../apdu/transmitter.js';
import type { PinBuffer } from '../../core/pin-buffer.js';
import { cardKeyContext, type CardKeyContext } from '../../keys/card-key-context.js';
import type { KeyService } from '../../keys/key-service.js';
import { specs as defaultSpecs, type Specs } from '../../specs/load-specs.js';
import type { FileSpec, RecordSpec } from '../../specs/spec-schemas.js';
import { CardError } from '../card-error.js';
import { buildSelectSsse, parseSelectSsse } from './commands/select-ssse.js';
import { decodeCardData } from './decode-card-data.js';
import { decodeHolderData } from './decode-holder-data.js';
import { decodeItems } from './decode-items.js';
import { readRecordFile } from './read-record-file.js';
import type { ApplicationInfo, CardData, CardWarning, HolderOutcome, SocialSecurityRead } from './social-security-model.js';
import { authenticateExternal } from './auth/external-authenticate.js';
import { internalAuthenticate, internalAuthenticateAnswer, type InternalAuthOutcome } from './auth/internal-authenticate.js';
import { blockApplication, blockCard, type BlockConfirmation, type BlockResult } from './blocks/block-operations.js';
import { changePin, queryPinStatus, verifyPin, type ChangePinOptions, type PinChangeResult, type VerifyPinOptions, type PinVerifyResult } from './pin/holder-pin-operations.js';
import { reloadPin, unblockPin, type CounterPinResult, type ReloadPinOptions } from './pin/counter-pin-operations.js';
import type { PinStatus } from './commands/parse-security.js';
import type { SessionAccess } from './session-access.js';
import { checkDateOrder } from './check-dates.js';
import { checkFci } from './check-fci.js';
import { readPhoto, type PhotoRead, type ReadPhotoOptions } from './photo/read-photo.js';

/** Options of `read()` (docs/reference/card-spec.md §1: EF06 needs RKSSSE external authentication on 3.0 cards). */
export interface ReadOptions {
  /** Key source for EXTERNAL AUTHENTICATE (RKSSSE) before EF06, and for INTERNAL AUTHENTICATE. */
  readonly keys?: KeyService | undefined;
  /**
   * true: authenticate before EF06 whatever the generation; false: never; undefined (default):
   * when keys are given and the card is 3.0, or EF06 answers 6982.
   */
  readonly authenticate?: boolean | undefined;
  /** Also run INTERNAL AUTHENTICATE (IRK) and report `genuine` (needs keys). */
  readonly checkGenuine?: boolean | undefined;
}

/**
 * The social-security application (SSSE) of one card, over one transmitter (already wrapped in
 * the processor stack: this class never loops on SW1).
 */
export class SocialSecuritySession implements SessionAccess {
  readonly channel: ApduChannel;
  private readonly specs: Specs;
  private readonly atr: Uint8Array | undefined;
  private selected: ApplicationInfo | undefined;
  /** Findings on the FCI of the last SELECT (reported by `read()`). */
  private selectFindings: CardWarning[] = [];
  private card: CardData | undefined;
  private readonly random: (length: number) => Uint8Array;
  readonly pinTryLimit: number;

  /**
   * `atr`: the card's ATR, needed by every operation that uses a key service (its historical
   * bytes diversify the card keys, docs/reference/security-profile.md step 2).
   */
  constructor(
    transmitter: Transmitter,
    options: {
      specs?: Specs;
      atr?: Uint8Array | undefined;
      random?: ((length: number) => Uint8Array) | undefined;
      /** The card's PIN try limit when the issuer's differs from the spec table's default (3). */
      pinTryLimit?: number | undefined;
    } = {},
  ) {
    this.channel = apduChannel(transmitter);
    this.specs = options.specs ?? defaultSpecs();
    this.atr = options.atr;
    this.random = options.random ?? ((n) => new Uint8Array(randomBytes(n)));
    this.pinTryLimit = options.pinTryLimit ?? this.specs.ssse.pin.tryLimit;
  }

  randomBytes(length: number): Uint8Array {
    return this.random(length);
  }

  /** SELECT SSSE by DF name and decode its FCI (docs/reference/card-spec.md §1). Clears the card's security state. */
  async selectApplication(): Promise<ApplicationInfo> {
    this.selected = undefined;
    const fci = parseSelectSsse(await this.channel.send(buildSelectSsse(this.specs.ssse)), this.specs.ssse);
    const alg = this.specs.ssse.algorithms.find((a) => a.id === fci.algorithmId);
    this.selected = {
      dfName: fci.dfName,
      algorithm: { id: fci.algorithmId ?? null, name: alg?.name ?? null, supported: alg?.supported ?? false },
    };
    this.selectFindings = checkFci(fci, this.specs.ssse);
    return this.selected;
  }

  async ensureSelected(): Promise<ApplicationInfo> {
    return this.selected ?? this.selectApplication();
  }

  async cardData(): Promise<CardData> {
    if (this.card) return this.card;
    await this.ensureSelected();
    return this.readCardFile([]);
  }

  async keyContext(): Promise<CardKeyContext> {
    const app = await this.ensureSelected();
    const card = await this.cardData();
    return cardKeyContext({ algorithmId: app.algorithm.id ?? '', regionCode: card.cardIdentificationCode, ...(this.atr ? { atr: this.atr } : {}) });
  }

  // --- PIN (docs/reference/card-spec.md §3; pin/*.ts) ----------------------------------------------------------

  /** Try status of the social PIN (`00 20 00 00`, spends no try). */
  pinStatus(): Promise<PinStatus> {
    return queryPinStatus(this);
  }

  /** VERIFY with the format pre-check and the last-try guard. The PinBuffer stays the caller's. */
  verifyPin(pin: PinBuffer, options: VerifyPinOptions = {}): Promise<PinVerifyResult> {
    return verifyPin(this, pin, options);
  }

  /** CHANGE PIN with the last-try guard and the new-PIN policy. */
  changePin(oldPin: PinBuffer, newPin: PinBuffer, options: ChangePinOptions = {}): Promise<PinChangeResult> {
    return changePin(this, oldPin, newPin, options);
  }

  /** PIN RELOAD (counter only): new PIN, try counter reset; PUK MAC + encryption from `keys`. */
  reloadPin(keys: KeyService, newPin: PinBuffer, options: ReloadPinOptions = {}): Promise<CounterPinResult> {
    return reloadPin(this, keys, newPin, options);
  }

  /** PIN UNBLOCK (counter only): try counter reset, PIN unchanged; PUK MAC from `keys`. */
  unblockPin(keys: KeyService): Promise<CounterPinResult> {
    return unblockPin(this, keys);
  }

  /** The holder's photo (EF08, after RKSSSE when keys are given): photo/read-photo.ts. */
  readPhoto(options: ReadPhotoOptions = {}): Promise<PhotoRead> {
    return readPhoto(this, this.photoFile(), options);
  }

  /** EF08 of the spec table (card-spec §1). */
  photoFile(): FileSpec {
    return this.file('EF08');
  }

  // --- authentication and blocks ----------------------------------------------------------------

  /** INTERNAL AUTHENTICATE (IRK): does the card prove it is genuine? */
  internalAuthenticate(keys: KeyService): Promise<InternalAuthOutcome> {
    return internalAuthenticate(this, keys);
  }

  /** INTERNAL AUTHENTICATE over a caller's r8 ‖ d8: the card's 8 bytes, unchecked (verifiable reads). */
  internalAuthenticateAnswer(nonce: Uint8Array): Promise<Uint8Array> {
    return internalAuthenticateAnswer(this, nonce);
  }

  /** APPLICATION BLOCK (BK MAC, permanent): needs the double confirmation. */
  blockApplication(keys: KeyService, confirmation: BlockConfirmation): Promise<BlockResult> {
    return blockApplication(this, keys, confirmation);
  }

  /** CARD BLOCK (BK MAC, permanent): needs the double confirmation. */
  blockCard(keys: KeyService, confirmation: BlockConfirmation): Promise<BlockResult> {
    return blockCard(this, keys, confirmation);
  }

  /**
   * Full read: select + EF05 + EF06 — 3 APDUs on a card that reads to end (plus GET RESPONSE
   * on T=0 cards). On 3.0 cards without authentication, the holder outcome is
   * `needs-authentication` and the card data is still returned.
   */
  async read(options: ReadOptions = {}): Promise<SocialSecurityRead> {
    const warnings: CardWarning[] = [];
    this.card = undefined;
    const application = await this.selectApplication();
    warnings.push(...this.selectFindings);
    if (application.algorithm.id && !application.algorithm.supported) {
      warnings.push({
        code: 'ALGORITHM_UNSUPPORTED',
        field: 'application.algorithm',
        message: `card algorithm ${application.algorithm.id} (${application.algorithm.name ?? 'unknown'}) is not supported for authentication`,
      });
    }
    const card = await this.readCardFile(warnings);

    const { keys } = options;
    const wantAuth = keys !== undefined && options.authenticate !== false;
    let authenticated = false;
    if (wantAuth && (options.authenticate === true || card.specVersion === '3.0')) {
      await authenticateExternal(this, keys, 'RKSSSE');
      authenticated = true;
    }
    let holder = await this.readHolder(warnings);
    if (holder.status === 'needs-authentication' && wantAuth && !authenticated) {
      await authenticateExternal(this, keys, 'RKSSSE');
      authenticated = true;
      holder = await this.readHolder(warnings);
    }
    if (holder.status === 'read') {
      checkDateOrder({ date: holder.data.birthDate, name: 'birth date' }, { date: card.issueDate, name: 'issue date' }, 'holder.birthDate', warnings);
    }
    const genuine = options.checkGenuine && keys ? (await internalAuthenticate(this, keys)).outcome : undefined;
    return { application, card, holder, warnings, ...(authenticated ? { authenticated } : {}), ...(genuine ? { genuine } : {}) };
  }

  /**
   * EF06 with the rights the card holds now (no SELECT: an EXTERNAL AUTHENTICATE just done stays
   * in force). Needs EF05 read in this session (the generation decides the records).
   */
  async readHolder(warnings: CardWarning[] = []): Promise<HolderOutcome> {
    const card = await this.cardData();
    const ef06 = this.file('EF06');
    const r = await readRecordFile(this.channel, ef06, expectedRecords(ef06, card.specVersion));
    if (r.status === 'denied') return { status: 'needs-authentication', sw: r.sw };
    return { status: 'read', data: decodeHolderData(decodeItems(ef06, r.tlvs, warnings), this.specs, warnings) };
  }

  /** EF05 (docs/reference/card-spec.md §2), decoded and kept for this session; findings go to `warnings`. */
  private async readCardFile(warnings: CardWarning[]): Promise<CardData> {
    const ef05 = this.file('EF05');
    const r = await readRecordFile(this.channel, ef05, ef05.records);
    if (r.status === 'denied') throw new CardError('UNEXPECTED_STATUS', `EF05 is free to read but the card answered ${r.sw}`, r.sw);
    this.card = decodeCardData(decodeItems(ef05, r.tlvs, warnings), this.specs, warnings);
    return this.card;
  }

  private file(id: string): FileSpec {
    const f = this.specs.ssse.files.find((x) => x.id === id);
    if (!f) throw new CardError('BAD_CARD_DATA', `spec table has no ${id}`);
    return f;
  }
}

/** Records a card of this generation carries (4E only from 2.0; unknown = all). */
export function expectedRecords(file: FileSpec, version: string): RecordSpec[] {
  if (version === 'unknown') return file.records;
  return file.records.filter((r) => !r.sinceVersion || r.sinceVersion <= version);
}
