import { apduChannel, type ApduChannel } from '../../apdu/apdu-channel.js';
import type { Transmitter } from '../../apdu/transmitter.js';
import { specs as defaultSpecs, type Specs } from '../../specs/load-specs.js';
import type { FileSpec, RecordSpec } from '../../specs/spec-schemas.js';
import { CardError } from '../card-error.js';
import { buildSelectSsse, parseSelectSsse } from './commands/select-ssse.js';
import { decodeCardData } from './decode-card-data.js';
import { decodeHolderData } from './decode-holder-data.js';
import { decodeItems } from './decode-items.js';
import { readRecordFile } from './read-record-file.js';
import type { ApplicationInfo, CardWarning, HolderOutcome, SocialSecurityRead } from './social-security-model.js';

/**
 * The social-security application (SSSE) of one card, over one transmitter (already wrapped in
 * the processor stack: this class never loops on SW1).
 */
export class SocialSecuritySession {
  private readonly channel: ApduChannel;
  private readonly specs: Specs;

  constructor(transmitter: Transmitter, options: { specs?: Specs } = {}) {
    this.channel = apduChannel(transmitter);
    this.specs = options.specs ?? defaultSpecs();
  }

  /** SELECT SSSE by DF name and decode its FCI (card-spec §1). */
  async selectApplication(): Promise<ApplicationInfo> {
    const fci = parseSelectSsse(await this.channel.send(buildSelectSsse(this.specs.ssse)), this.specs.ssse);
    const alg = this.specs.ssse.algorithms.find((a) => a.id === fci.algorithmId);
    return {
      dfName: fci.dfName,
      algorithm: { id: fci.algorithmId ?? null, name: alg?.name ?? null, supported: alg?.supported ?? false },
    };
  }

  /**
   * Full read: select + EF05 + EF06 — 3 APDUs on a card that reads to end (plus GET RESPONSE
   * on T=0 cards). On 3.0 cards without authentication, the holder outcome is
   * `needs-authentication` and the card data is still returned.
   */
  async read(): Promise<SocialSecurityRead> {
    const warnings: CardWarning[] = [];
    const application = await this.selectApplication();
    if (application.algorithm.id && !application.algorithm.supported) {
      warnings.push({
        code: 'ALGORITHM_UNSUPPORTED',
        field: 'application.algorithm',
        message: `card algorithm ${application.algorithm.id} (${application.algorithm.name ?? 'unknown'}) is not supported for authentication`,
      });
    }
    const ef05 = this.file('EF05');
    const cardRead = await readRecordFile(this.channel, ef05, ef05.records);
    if (cardRead.status === 'denied') throw new CardError('UNEXPECTED_STATUS', `EF05 is free to read but the card answered ${cardRead.sw}`, cardRead.sw);
    const card = decodeCardData(decodeItems(ef05, cardRead.tlvs, warnings), this.specs, warnings);

    const ef06 = this.file('EF06');
    const holderRead = await readRecordFile(this.channel, ef06, expectedRecords(ef06, card.specVersion));
    let holder: HolderOutcome;
    if (holderRead.status === 'denied') holder = { status: 'needs-authentication', sw: holderRead.sw };
    else holder = { status: 'read', data: decodeHolderData(decodeItems(ef06, holderRead.tlvs, warnings), this.specs, warnings) };
    return { application, card, holder, warnings };
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
