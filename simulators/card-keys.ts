import { fromHex } from '../src/core/hex.js';
import type { AtrSpec } from '../src/specs/spec-schemas.js';
import type { CipherAlgorithm } from './crypto/block-cipher.js';
import { cardKey, diversificationFactors, type DiversificationFactors } from './crypto/reference-profile.js';
import { KEY_ROLES, testMasterKeys, type KeyRole } from './crypto/test-master-keys.js';
import type { CardProfile } from './profile-schema.js';
import { SimulatorError } from './sim-error.js';

/** The card's keys by role (security profile step 2), derived once when the card is made. */
export type CardKeys = ReadonlyMap<KeyRole, Uint8Array>;

/** The algorithms the reference profile implements; `02` (SSF33) is not one of them. */
export function cipherAlgorithm(algorithm: string): CipherAlgorithm | undefined {
  return algorithm === '01' || algorithm === '03' ? algorithm : undefined;
}

/**
 * The diversification factors of a profile's card (security profile step 2): the region code is
 * the first 6 digits of the card identification code (EF05 tag 01); f3 = ATR historical bytes
 * 6-13, located through the ATR table (`apdu-specs/atr.json`: historical offset, factor range).
 */
export function profileFactors(profile: Pick<CardProfile, 'id' | 'atr' | 'card'>, atrTable: AtrSpec['patterns']): DiversificationFactors {
  const atr = fromHex(profile.atr);
  const pattern = atrTable.find((a) => profile.atr.startsWith(a.prefix) && atr.length === a.prefix.length / 2 + a.historicalBytes);
  const range = pattern?.diversificationFactor;
  if (!pattern || !range) {
    throw new SimulatorError('PROFILE_INVALID', `profile ${profile.id}: atr: no ATR pattern gives the diversification factor`, `profile ${profile.id}`, 'atr');
  }
  const start = pattern.historicalOffset + range.from - 1; // historical bytes are numbered from 1
  const f3 = atr.slice(start, pattern.historicalOffset + range.to);
  return diversificationFactors(profile.card.cardIdentificationCode.slice(0, 6), f3);
}

/** CK for every role from the test master keys; undefined on a card whose algorithm is not supported. */
export function deriveCardKeys(profile: Pick<CardProfile, 'id' | 'atr' | 'card' | 'algorithm'>, atrTable: AtrSpec['patterns']): CardKeys | undefined {
  const alg = cipherAlgorithm(profile.algorithm);
  if (!alg) return undefined;
  const factors = profileFactors(profile, atrTable);
  const master = testMasterKeys();
  return new Map(KEY_ROLES.map((role) => [role, cardKey(alg, master[role], factors)]));
}
