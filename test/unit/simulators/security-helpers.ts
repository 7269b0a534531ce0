import { fromHex } from '../../../src/core/hex.js';
import type { CardOs } from '../../../simulators/card-os.js';
import type { RandomSource } from '../../../simulators/card-secrets.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { createSimulatedPsam } from '../../../simulators/create-psam.js';
import { loadProfile } from '../../../simulators/load-profile.js';
import type { CardProfile } from '../../../simulators/profile-schema.js';
import type { SocialSecurityCardOs } from '../../../simulators/social-security-card-os.js';
import { selectedCard, send } from './sim-helpers.js';

/**
 * Test-side terminal for the security tests: diversification factors written by hand from the
 * security profile (step 2) and the profiles' ATRs, and a terminal that computes auth values, MACs
 * and encrypted PINs with the simulated PSAM (the card's crypto is anchored separately by the
 * openssl-computed numbers of security-crypto.test.ts).
 */

/** f1 ‖ f2 ‖ f3 of a built-in profile, by hand: ASCII(region[0..2]) "0000sh", ASCII(region) "sx", ATR hist 6-13. */
export const FACTORS = {
  // demo: region 110100, ATR 3B6D0000 00814A4446 8660110112345678
  demo: '3131303030307368' + '3131303130307378' + '8660110112345678',
  // v3-sm4: region 440300, ATR 3B6D0000 00814A4446 8660440356789ABC
  'v3-sm4': '3434303030307368' + '3434303330307378' + '8660440356789ABC',
  // v1-zhang-san: region 639900, ATR 3B6D0000 00814E4323 8697159900BF7C7A
  'v1-zhang-san': '3633303030307368' + '3633393930307378' + '8697159900BF7C7A',
} as const;
export type FactorProfile = keyof typeof FACTORS;

/** Algorithm id of each profile above (FCI tag 86). */
export const ALG: Record<FactorProfile, '01' | '03'> = { demo: '01', 'v3-sm4': '03', 'v1-zhang-san': '01' };

/** PSAM role codes (security profile) and EXTERNAL AUTHENTICATE key ids (docs/reference/card-spec.md §3). */
export const ROLE = { IRK: '01', UKSSSE: '04', PUK: '06', BK: '07', RKSSSE: '0A' } as const;
export const KEY_ID = { RKSSSE: '0A', UKSSSE: '04', PUK: '06' } as const;

/**
 * Reference numbers computed with nothing but the `openssl enc` CLI (OpenSSL 3.0; python only for
 * XOR/NOT), straight from docs/reference/security-profile.md, e.g. for one 3DES diversification level:
 *   enc() { echo -n "$3" | xxd -r -p | openssl enc -$1 -K $2 -nopad | xxd -p; }
 *   D = $(enc des-ede-ecb $K $f)$(enc des-ede-ecb $K $(not $f))      # SM4: enc sm4-ecb $K "$f$(not $f)"
 *   SK = enc des-ede-ecb $CK $R8 ; auth = enc des-ede-ecb $SK$SK $d8  # SM4: SK = enc sm4-ecb $CK ${R8}00..; auth = fold8(enc sm4-ecb $SK ${d8}00..)
 *   MAC: openssl enc -des-ede-cbc -K $SK$SK -iv 0 -nopad (first 4 bytes of the last block);
 *        openssl enc -sm4-cbc -K $SK -iv 0 -nopad (XOR of the last block's 4 words).
 * R8 = 0102030405060708, d8 = 1122334455667788, 4-byte challenge A1B2C3D4.
 */
export const OPENSSL = {
  demo: {
    CK: { RKSSSE: '0359D095EB6E4B4C81E71E191C936083', PUK: '67C955E4C113FB6FBD06844A2AC1DA4A', IRK: '8C21F4C595BEDB532CD8C67A930B6D76' },
    SK_R8: { RKSSSE: '490165E34100FDFC', IRK: 'C9F85A421648F91D' },
    auth: { RKSSSE: '990B56C81EB2FE09', IRK: '7C384EA87E476204' },
    SK_R4: { PUK: 'F26E709081F14AF0' },
    unblockMac: '29A432E5', // 84 24 00 00 04, PUK
    reload: { enc: '0D0ECE707D34725F', mac: '7B09F419' }, // new PIN 654321: 03 654321 80 00 00 00
  },
  'v3-sm4': {
    CK: { RKSSSE: 'C0ED2DF87DDA4EEABB3D849105319E06', PUK: '1A471A6F751442DBE3D3688AF07A1785', IRK: '56EDED0AE21FA6632C4A4F54E5F06538' },
    SK_R8: { RKSSSE: '3AD0A52FD84959E4B2515436D5C72AF1', IRK: '0E7AB6E99F2D9F9633CFBAD3972620D9' },
    auth: { RKSSSE: 'F83C41F1F40A9F35', IRK: '9CED0773F04368A3' },
    SK_R4: { PUK: '9B960FE33DFCFAAEE5EB556D876935F8' },
    unblockMac: 'C9929014',
    reload: { enc: '93BEDBCE653ED5CC1780399DF9859F2D', mac: 'C7B4B600' },
  },
} as const;

/** A random source that hands out the given hex chunks in order, then counts up from 01. */
export function scriptedRandom(...chunks: string[]): RandomSource {
  let n = 0;
  return (length) => {
    const next = chunks.shift();
    if (next !== undefined) {
      const bytes = fromHex(next);
      if (bytes.length !== length) throw new Error(`scripted challenge ${next} is not ${length} bytes`);
      return bytes;
    }
    return Uint8Array.from({ length }, () => ++n & 0xff);
  };
}

/** A card of a profile (optionally changed), SSSE selected, with an optional scripted RNG. */
export function secureCard(id: string, options: { random?: RandomSource; change?: (p: CardProfile) => CardProfile } = {}): SocialSecurityCardOs {
  const profile = options.change ? options.change(structuredClone(loadProfile(id))) : id;
  const card = createSimulatedCard(profile, options.random ? { random: options.random } : {});
  selectedCard(card);
  return card;
}

/** Splits `data ‖ SW` hex. */
export function split(answer: string): { data: string; sw: string } {
  return { data: answer.slice(0, -4), sw: answer.slice(-4) };
}

/** BCD PIN, F-padded to a whole byte (docs/reference/card-spec.md §3). */
export function bcdPin(digits: string): string {
  return digits.length % 2 ? `${digits}F` : digits;
}

const hexLen = (hex: string) => (hex.length / 2).toString(16).toUpperCase().padStart(2, '0');

/** The terminal: a simulated PSAM plus the command layouts of the security profile. */
export class Terminal {
  readonly psam: CardOs = createSimulatedPsam();

  constructor(readonly profile: FactorProfile) {
    this.must(`00A4040006D15600000590`);
  }

  private must(apdu: string): string {
    const { data, sw } = split(send(this.psam, apdu));
    if (sw !== '9000') throw new Error(`PSAM answered ${sw} to ${apdu}`);
    return data;
  }

  /** INIT FOR DESCRYPT for a role with R8 (a 4-byte challenge is passed as R ‖ 00000000). */
  init(role: keyof typeof ROLE, challenge: string): void {
    const r8 = challenge.padEnd(16, '0');
    this.must(`801A${ROLE[role]}${ALG[this.profile]}20${FACTORS[this.profile]}${r8}`);
  }

  authValue(role: keyof typeof ROLE, r8: string, d8: string): string {
    this.init(role, r8);
    return this.must(`80FA000008${d8}`);
  }

  /** MAC of `header ‖ Lc ‖ body` (Lc counts the MAC) under a 4-byte challenge. */
  macCommand(role: keyof typeof ROLE, r4: string, header: string, body = ''): string {
    this.init(role, r4);
    const input = `${header}${hexLen(body + '00000000')}${body}`;
    return `${input}${this.must(`80FA0500${hexLen(input)}${input}`)}`;
  }

  /** PIN RELOAD `84 24 00 01 Lc enc ‖ mac` for a new PIN (security profile step 8). */
  pinReload(r4: string, digits: string): string {
    this.init('PUK', r4);
    const block = ALG[this.profile] === '01' ? 8 : 16;
    const pin = bcdPin(digits);
    let plain = `${hexLen(pin)}${pin}80`;
    while ((plain.length / 2) % block) plain += '00';
    const enc = this.must(`80FA0100${hexLen(plain)}${plain}`);
    return this.macCommand('PUK', r4, '84240001', enc);
  }
}

/** GET CHALLENGE of `length` bytes; returns the challenge hex. */
export function challenge(card: CardOs, length: 4 | 8 | 16): string {
  const { data, sw } = split(send(card, `00840000${length.toString(16).toUpperCase().padStart(2, '0')}`));
  if (sw !== '9000') throw new Error(`GET CHALLENGE answered ${sw}`);
  return data;
}

/** Challenge + EXTERNAL AUTHENTICATE with the right value for a role; returns the SW. */
export function externalAuth(card: CardOs, terminal: Terminal, role: keyof typeof KEY_ID, d8 = '1122334455667788'): string {
  const r8 = challenge(card, 8);
  return send(card, `008200${KEY_ID[role]}10${terminal.authValue(role, r8, d8)}${d8}`);
}

/** Challenge + a MAC-protected command (`84 INS P1 P2`, optional body); returns the answer. */
export function macCommand(card: CardOs, terminal: Terminal, role: keyof typeof ROLE, header: string, body = ''): string {
  return send(card, terminal.macCommand(role, challenge(card, 4), header, body));
}
