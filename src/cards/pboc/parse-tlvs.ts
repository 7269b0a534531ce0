import { findBerTlv, parseBerTlvs, type BerTlv } from '../../core/ber-tlv.js';
import { CodecError } from '../../core/codec-error.js';
import { CardError } from '../card-error.js';

/** BER-TLV of a card response; a malformed one is CardError BAD_CARD_DATA naming `what`. */
export function parseTlvs(bytes: Uint8Array, what: string): BerTlv[] {
  try {
    return parseBerTlvs(bytes);
  } catch (e) {
    if (e instanceof CodecError) throw new CardError('BAD_CARD_DATA', `${what} cannot be decoded: ${e.message}`, undefined, { cause: e });
    throw e;
  }
}

/** The one template `tag` a response must consist of (6F FCI, 70 record, 77 GPO format 2, ...). */
export function expectTemplate(tlvs: BerTlv[], tag: number, what: string): BerTlv {
  const t = tlvs[0];
  if (!t || t.tag !== tag || !t.constructed) {
    throw new CardError('BAD_CARD_DATA', `${what}: expected template ${tag.toString(16).toUpperCase()}, got ${t ? t.tag.toString(16).toUpperCase() : 'nothing'}`);
  }
  return t;
}

/** Direct child `tag` of a template (no deep search: EMV templates have fixed places). */
export function child(t: BerTlv | undefined, tag: number): BerTlv | undefined {
  return t?.children.find((c) => c.tag === tag);
}

export { findBerTlv };
