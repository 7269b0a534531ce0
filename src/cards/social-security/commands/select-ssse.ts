import { fromHex } from '../../../core/hex.js';
import { findBerTlv, parseBerTlvs } from '../../../core/ber-tlv.js';
import { CodecError } from '../../../core/codec-error.js';
import { command, constantCommand, type CommandApdu } from '../../../apdu/command-apdu.js';
import type { ResponseApdu } from '../../../apdu/response-apdu.js';
import { statusWords } from '../../../apdu/status-words.js';
import { swHex } from '../../../apdu/response-apdu.js';
import type { SsseSpec } from '../../../specs/spec-schemas.js';
import { CardError, type CardErrorCode } from '../../card-error.js';

/** What the SSSE FCI tells (docs/reference/card-spec.md §1). */
export interface SsseFci {
  /** Tag 84 as upper-case hex. */
  readonly dfName: string;
  /** Tag 88: SFI of the directory file, when present. */
  readonly directorySfi?: number;
  /** Tag 86 (inside 9F0C): algorithm id, e.g. "01" 3DES, "03" SM4. */
  readonly algorithmId?: string;
  /** true when the card answered an FCI (some answer SELECT with 9000 and no data). */
  readonly fciPresent: boolean;
}

/**
 * SELECT SSSE by DF name (docs/reference/card-spec.md §1): `00 A4 04 00 0F 7378312E73682EC9E7BBE1B1A3D5CF`,
 * sent as ISO case 3 exactly as the spec and the field's readers write it; a T=0 card answers
 * 61 1E and the GET RESPONSE processor fetches the FCI.
 */
export function buildSelectSsse(spec: SsseSpec): CommandApdu {
  let select = selects.get(spec);
  if (!select) {
    select = constantCommand(command(0x00, 0xa4, 0x04, 0x00, fromHex(spec.application.dfName)));
    selects.set(spec, select);
  }
  return select;
}

/** SELECT SSSE of each spec table, built and encoded once (it starts every operation). */
const selects = new WeakMap<SsseSpec, CommandApdu>();

/** The outcomes of SELECT SSSE the status-word table names (apdu-specs/status-words.json). */
const SELECT_REFUSALS: Readonly<Record<string, { code: CardErrorCode; text: string }>> = {
  APPLICATION_BLOCKED: { code: 'APPLICATION_BLOCKED', text: 'the social-security application is permanently blocked' },
  CARD_BLOCKED: { code: 'CARD_BLOCKED', text: 'the card is permanently blocked' },
  NOT_SOCIAL_SECURITY_CARD: { code: 'NOT_SOCIAL_SECURITY_CARD', text: 'no social-security application (SSSE) on this card' },
};

/**
 * Parses the answer: 9000 + FCI; 9303 = application blocked; 6A82 = no SSSE on this chip;
 * 6A81 = card blocked (docs/reference/card-spec.md §3).
 */
export function parseSelectSsse(response: ResponseApdu, spec: SsseSpec): SsseFci {
  checkSelectSsse(response);
  return parseSsseFci(response, spec);
}

/** The status word of SELECT SSSE alone: throws the refusals of `parseSelectSsse`, returns on 9000. */
export function checkSelectSsse(response: ResponseApdu): void {
  const sw = response.sw;
  const outcome = statusWords().outcome('SELECT SSSE', sw)?.outcome;
  if (outcome !== 'OK') {
    const refusal = outcome ? SELECT_REFUSALS[outcome] : undefined;
    if (refusal) throw new CardError(refusal.code, `${refusal.text} (SELECT answered ${swHex(sw)})`, swHex(sw));
    throw statusWords().errorFor(sw, 'SELECT SSSE');
  }
}

/** The FCI of an accepted SELECT SSSE (status already checked by `checkSelectSsse`). */
export function parseSsseFci(response: ResponseApdu, spec: SsseSpec): SsseFci {
  if (response.data.length === 0) return { dfName: spec.application.dfName, fciPresent: false };
  try {
    const tags = spec.application.fciTags;
    const fci = parseBerTlvs(response.data);
    const name = findBerTlv(fci, parseInt(tags.dfName, 16));
    const sfi = findBerTlv(fci, parseInt(tags.directorySfi, 16));
    // Tag 86 sits inside the primitive 9F0C (issuer discretionary data): parse its value too.
    let alg = findBerTlv(fci, parseInt(tags.algorithm, 16));
    const discretionary = findBerTlv(fci, 0x9f0c);
    if (!alg && discretionary) alg = findBerTlv(parseBerTlvs(discretionary.value), parseInt(tags.algorithm, 16));
    const dfName = name ? Buffer.from(name.value).toString('hex').toUpperCase() : spec.application.dfName;
    return {
      dfName,
      fciPresent: true,
      ...(sfi && sfi.value.length === 1 ? { directorySfi: sfi.value[0]! } : {}),
      ...(alg && alg.value.length === 1 ? { algorithmId: swHex(alg.value[0]!).slice(2) } : {}),
    };
  } catch (e) {
    if (e instanceof CodecError) throw new CardError('BAD_CARD_DATA', `SSSE FCI cannot be decoded: ${e.message}`, undefined, { cause: e });
    throw e;
  }
}
