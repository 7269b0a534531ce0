import type { CommandApdu } from '../../src/apdu/command-apdu.js';
import { encodeBerTlv } from '../../src/core/ber-tlv.js';
import { concatBytes, fromHex } from '../../src/core/hex.js';
import type { CardOs } from '../card-os.js';
import { INS, type CommandFilter, type InstructionHandler } from '../instruction.js';
import { statusWords } from '../../src/apdu/status-words.js';
import { SW } from '../status.js';

/** The answers the card layer reads in the same table (apdu-specs/status-words.json). */
const GPO_REFUSED = statusWords().swOf('GET PROCESSING OPTIONS', 'REFUSED');
const DATA_ABSENT = statusWords().swOf('GET DATA', 'ABSENT');
import { AFL_HEX, amount12, DEFAULT_PDOL, dolEntries } from './encode-pboc.js';
import { GPO_RIGHT, type PbocFiles } from './build-pboc-files.js';
import type { PbocChipState } from './pboc-chip-state.js';
import type { PbocProfile } from './pboc-profile-schema.js';

/** Instruction bytes of the financial commands (EMV Book 3 §6.5). */
export const PBOC_INS = { GET_PROCESSING_OPTIONS: 0xa8, GET_DATA: 0xca } as const;
/** The proprietary class EMV uses for GPO and GET DATA. */
export const CLA_EMV = 0x80;

/** The ADF that is current, or undefined when SSSE, the MF or a directory is. */
function currentAdf(card: CardOs, files: PbocFiles): string | undefined {
  return files.adfs.get(card.state.currentDf);
}

/**
 * GET PROCESSING OPTIONS `80 A8 00 00 Lc 83 len data 00` (EMV Book 3 §6.5.8): the data must be
 * as long as the PDOL asks (6700 otherwise); the ATC goes up by one (6985 when exhausted); the
 * records become readable (the GPO right); the answer is format 1 (`80` AIP ‖ AFL) or format 2
 * (`77` with 82, 94 and 9F36) as the profile says. Outside a financial ADF: 6985.
 */
export function getProcessingOptions(p: PbocProfile, files: PbocFiles, state: PbocChipState): InstructionHandler {
  const pdolLength = dolEntries(p.pdol ?? DEFAULT_PDOL).reduce((n, e) => n + e.length, 0);
  return (command: CommandApdu, card: CardOs) => {
    const aid = currentAdf(card, files);
    if (!aid) return { sw: GPO_REFUSED };
    if (command.p1 !== 0 || command.p2 !== 0) return { sw: SW.INCORRECT_P1P2 };
    const d = command.data;
    if (d.length < 2 || d[0] !== 0x83 || d[1] !== d.length - 2 || d[1] !== pdolLength) return { sw: SW.WRONG_LENGTH };
    if (!state.increment(aid)) return { sw: GPO_REFUSED };
    card.security.grant(GPO_RIGHT);
    const aip = fromHex(p.aip ?? '7C00');
    const afl = fromHex(AFL_HEX);
    const atc = state.atc(aid)!;
    const data =
      p.gpoFormat === 1
        ? encodeBerTlv(0x80, concatBytes(aip, afl))
        : encodeBerTlv(0x77, concatBytes(encodeBerTlv(0x82, aip), encodeBerTlv(0x94, afl), encodeBerTlv(0x9f36, Uint8Array.of(atc >> 8, atc & 0xff))));
    return { sw: SW.OK, data };
  };
}

/**
 * GET DATA `80 CA P1P2 00` (EMV Book 3 §6.5.7, JR/T 0025): 9F79 / 9F77 / 9F78 electronic-cash
 * balance and limits (n12), 9F4F log format, 9F36 ATC. Unknown tags or a card without the
 * value: 6A88. Outside a financial ADF: 6A88 (the SSSE has none of these objects).
 */
export function getData(p: PbocProfile, files: PbocFiles, state: PbocChipState): InstructionHandler {
  return (command: CommandApdu, card: CardOs) => {
    const aid = currentAdf(card, files);
    if (!aid) return { sw: DATA_ABSENT };
    if (command.data.length > 0) return { sw: SW.WRONG_LENGTH };
    const tag = (command.p1 << 8) | command.p2;
    let value: Uint8Array | undefined;
    if (tag === 0x9f79 && p.ecBalanceFen !== undefined) value = amount12(p.ecBalanceFen);
    else if (tag === 0x9f77 && p.ecLimitFen !== undefined) value = amount12(p.ecLimitFen);
    else if (tag === 0x9f78 && p.ecSingleLimitFen !== undefined) value = amount12(p.ecSingleLimitFen);
    else if (tag === 0x9f4f && p.logFormat) value = fromHex(p.logFormat);
    else if (tag === 0x9f36) value = Uint8Array.of(state.atc(aid)! >> 8, state.atc(aid)! & 0xff);
    if (!value) return { sw: DATA_ABSENT };
    return { sw: SW.OK, data: encodeBerTlv(tag, value) };
  };
}

/** SSSE's security commands: what they address is the social PIN and keys (docs/reference/card-spec.md §3). */
const SSSE_SECURITY_INS = new Set<number>([
  INS.VERIFY,
  INS.CHANGE_PIN,
  INS.INTERNAL_AUTHENTICATE,
  INS.EXTERNAL_AUTHENTICATE,
  INS.PIN_RELOAD_UNBLOCK,
  INS.APPLICATION_BLOCK,
  INS.CARD_BLOCK,
]);

/**
 * The chip's firewall (docs/reference/card-spec.md §1: the two directories each have their own keys): while a
 * financial DF is current, SSSE's PIN and key commands do not reach SSSE's PIN, keys or try
 * counters. The financial PIN is the bank's and this simulator has none: 6A88.
 */
export function pbocFirewall(files: PbocFiles): CommandFilter {
  return (bytes, card) => {
    if (bytes.length < 2 || !files.dfs.has(card.state.currentDf)) return undefined;
    return SSSE_SECURITY_INS.has(bytes[1]!) ? { sw: SW.REFERENCED_DATA_NOT_FOUND } : undefined;
  };
}
