import { randomBytes } from 'node:crypto';
import { apduChannel, type ApduChannel } from '../../apdu/apdu-channel.js';
import type { ResponseApdu } from '../../apdu/response-apdu.js';
import type { Transmitter } from '../../apdu/transmitter.js';
import { whileInFlight } from '../../apdu/while-in-flight.js';
import type { SimpleTlv } from '../../core/simple-tlv.js';
import type { PinBuffer } from '../../core/pin-buffer.js';
import { cardKeyContext, type CardKeyContext } from '../../keys/card-key-context.js';
import type { KeyService } from '../../keys/key-service.js';
import { specs as defaultSpecs, type Specs } from '../../specs/load-specs.js';
import type { FileSpec } from '../../specs/spec-schemas.js';
import { CardError } from '../card-error.js';
import { buildSelectSsse, checkSelectSsse, parseSsseFci } from './commands/select-ssse.js';
import { decodeCardData, specVersionOf } from './decode-card-data.js';
import { decodeHolderData } from './decode-holder-data.js';
import { decodeItems } from './decode-items.js';
import { expectedRecords } from './expected-records.js';
import { readRecordFile, type RecordFileRead } from './read-record-file.js';
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
  /**
   * Ends the hold on the card (e.g. the transport's `close`, or the card service's
   * `OperationContext.release`), called once after the read's last APDU: EF06 is then decoded
   * and checked while it is in flight, and read() resolves after both (docs/performance.md
   * "Where the time of one sequential read goes"). The caller must send nothing more on this
   * card; not called when the read fails before its last APDU.
   */
  readonly release?: (() => Promise<void>) | undefined;
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
    const response = await this.channel.send(buildSelectSsse(this.specs.ssse));
    checkSelectSsse(response);
    return this.applyFci(response);
  }

  /** Decodes and checks the FCI of an accepted SELECT SSSE; SSSE is then the selected application. */
  private applyFci(response: ResponseApdu): ApplicationInfo {
    const fci = parseSsseFci(response, this.specs.ssse);
    const alg = this.specs.ssse.algorithms.find((a) => a.id === fci.algorithmId);
    this.selectFindings = checkFci(fci, this.specs.ssse);
    this.selected = {
      dfName: fci.dfName,
      algorithm: { id: fci.algorithmId ?? null, name: alg?.name ?? null, supported: alg?.supported ?? false },
    };
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
   *
   * Each answer is decoded while the next exchange is in flight (docs/performance.md "Where the
   * time of one sequential read goes"): the FCI during READ EF05; EF05 during READ EF06, which
   * needs only EF05's version (decoded first); EF06 during `options.release`. So a card whose
   * FCI or EF05 cannot be decoded is still sent the next READ (read-only, harmless) before the
   * BAD_CARD_DATA is thrown. When EF06 needs authentication first, EF05 is decoded before it.
   */
  async read(options: ReadOptions = {}): Promise<SocialSecurityRead> {
    const warnings: CardWarning[] = [];
    this.card = undefined;
    this.selected = undefined;
    const select = await this.channel.send(buildSelectSsse(this.specs.ssse));
    checkSelectSsse(select); // a refusal (blocked, no SSSE) is thrown before anything else is sent
    const ef05 = this.file('EF05');
    const [application, cardFile] = await whileInFlight(readRecordFile(this.channel, ef05, ef05.records), () => {
      const app = this.applyFci(select);
      warnings.push(...this.selectFindings);
      if (app.algorithm.id && !app.algorithm.supported) {
        warnings.push({
          code: 'ALGORITHM_UNSUPPORTED',
          field: 'application.algorithm',
          message: `card algorithm ${app.algorithm.id} (${app.algorithm.name ?? 'unknown'}) is not supported for authentication`,
        });
      }
      return app;
    });
    if (cardFile.status === 'denied') throw new CardError('UNEXPECTED_STATUS', `EF05 is free to read but the card answered ${cardFile.sw}`, cardFile.sw);

    const { keys } = options;
    const wantAuth = keys !== undefined && options.authenticate !== false;
    const ef06 = this.file('EF06');
    let authenticated = false;
    let card: CardData;
    let holderFile: RecordFileRead;
    const version = wantAuth && options.authenticate === true ? undefined : specVersionOf(ef05, cardFile.tlvs, this.specs);
    if (version !== undefined && !(wantAuth && version === '3.0')) {
      [card, holderFile] = await whileInFlight(this.readHolderFile(ef06, version), () => this.decodeCardFile(ef05, cardFile.tlvs, warnings));
    } else {
      // Authentication first (it needs EF05's region code), or a version item that does not decode.
      card = this.decodeCardFile(ef05, cardFile.tlvs, warnings);
      if (wantAuth && (options.authenticate === true || card.specVersion === '3.0')) {
        await authenticateExternal(this, keys, 'RKSSSE');
        authenticated = true;
      }
      holderFile = await this.readHolderFile(ef06, card.specVersion);
    }
    if (holderFile.status === 'denied' && wantAuth && !authenticated) {
      await authenticateExternal(this, keys, 'RKSSSE');
      authenticated = true;
      holderFile = await this.readHolderFile(ef06, card.specVersion);
    }
    const checkGenuine = options.checkGenuine === true && keys !== undefined;
    // The read's last APDU is done (INTERNAL AUTHENTICATE aside): release the card, decode EF06 meanwhile.
    const released = !checkGenuine && options.release ? options.release() : Promise.resolve();
    const [holder] = await whileInFlight(released, () => {
      const h = this.decodeHolderFile(ef06, holderFile, warnings);
      if (h.status === 'read') {
        checkDateOrder({ date: h.data.birthDate, name: 'birth date' }, { date: card.issueDate, name: 'issue date' }, 'holder.birthDate', warnings);
      }
      return h;
    });
    const genuine = checkGenuine ? (await internalAuthenticate(this, keys)).outcome : undefined;
    return { application, card, holder, warnings, ...(authenticated ? { authenticated } : {}), ...(genuine ? { genuine } : {}) };
  }

  /**
   * EF06 with the rights the card holds now (no SELECT: an EXTERNAL AUTHENTICATE just done stays
   * in force). Needs EF05 read in this session (the generation decides the records).
   */
  async readHolder(warnings: CardWarning[] = []): Promise<HolderOutcome> {
    const card = await this.cardData();
    const ef06 = this.file('EF06');
    return this.decodeHolderFile(ef06, await this.readHolderFile(ef06, card.specVersion), warnings);
  }

  /** READ RECORD of EF06 for a card of this generation (docs/reference/card-spec.md §2). */
  private readHolderFile(ef06: FileSpec, version: string): Promise<RecordFileRead> {
    return readRecordFile(this.channel, ef06, expectedRecords(ef06, version));
  }

  private decodeHolderFile(ef06: FileSpec, r: RecordFileRead, warnings: CardWarning[]): HolderOutcome {
    if (r.status === 'denied') return { status: 'needs-authentication', sw: r.sw };
    return { status: 'read', data: decodeHolderData(decodeItems(ef06, r.tlvs, warnings), this.specs, warnings) };
  }

  /** EF05 (docs/reference/card-spec.md §2), decoded and kept for this session; findings go to `warnings`. */
  private async readCardFile(warnings: CardWarning[]): Promise<CardData> {
    const ef05 = this.file('EF05');
    const r = await readRecordFile(this.channel, ef05, ef05.records);
    if (r.status === 'denied') throw new CardError('UNEXPECTED_STATUS', `EF05 is free to read but the card answered ${r.sw}`, r.sw);
    return this.decodeCardFile(ef05, r.tlvs, warnings);
  }

  private decodeCardFile(ef05: FileSpec, tlvs: readonly SimpleTlv[], warnings: CardWarning[]): CardData {
    this.card = decodeCardData(decodeItems(ef05, tlvs, warnings), this.specs, warnings);
    return this.card;
  }

  private file(id: string): FileSpec {
    const f = this.specs.ssse.files.find((x) => x.id === id);
    if (!f) throw new CardError('BAD_CARD_DATA', `spec table has no ${id}`);
    return f;
  }
}
