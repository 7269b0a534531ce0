import { fromHex, toHex } from '../../../src/core/hex.js';
import type { CardOs } from '../../../simulators/card-os.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { loadProfile } from '../../../simulators/load-profile.js';
import type { CardProfile } from '../../../simulators/profile-schema.js';

/** Sends hex, returns the response as upper-case hex (data ‖ SW). */
export function send(card: CardOs, hex: string): string {
  return toHex(card.execute(fromHex(hex)));
}

/** The DF name of SSSE, written out from docs/reference/card-spec.md §1 (not read from the spec table). */
export const SSSE_NAME = '7378312E73682EC9E7BBE1B1A3D5CF';
export const SELECT_SSSE = `00A404000F${SSSE_NAME}`;
export const SELECT_SSSE_NO_FCI = `00A4040C0F${SSSE_NAME}`;
export const fciFor = (alg: string) => `6F1C840F${SSSE_NAME}A50988011E9F0C038601${alg}`;

/** A card from a built-in profile with some behaviour switches changed. */
export function cardWith(id: string, change: (p: CardProfile) => CardProfile): CardOs {
  return createSimulatedCard(change(structuredClone(loadProfile(id))));
}

/** A card with SSSE selected (FCI fetched when the profile answers 61xx). */
export function selectedCard(idOrCard: string | CardOs): CardOs {
  const card = typeof idOrCard === 'string' ? createSimulatedCard(idOrCard) : idOrCard;
  const sw = send(card, SELECT_SSSE);
  if (sw === '611E') send(card, '00C000001E');
  return card;
}

/** v1-zhang-san's records, written by hand from docs/reference/card-spec.md §2 and §4 (tag ‖ len ‖ value). */
export const ZS = {
  ef05: [
    '0110639900D15600000500BF7C7A48FB4966', // 01 card identification code, cn 16
    '020131', // 02 card class "1"
    '0304312E3030', // 03 version "1.00"
    '040C639900000001FFFFFFFFFFFF', // 04 initializing institution, cn 12 F-padded
    '050420101001', // 05 issue date
    '060420201001', // 06 expiry
    '0709583030303030303139', // 07 card number "X00000019"
  ],
  ef06: [
    '0812313131313131313938313031303131313130', // 08 SSN "111111198101011110"
    `091ED5C5C8FD${'00'.repeat(26)}`, // 09 name 张三 in GBK, 00-padded to 30
    '0A0131', // 0A sex "1"
    '0B0101', // 0B ethnic group 01
    '0C03639900', // 0C birthplace
    '0D0419810101', // 0D birth date
  ],
} as const;
