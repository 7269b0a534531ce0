import type { CardOs } from '../card-os.js';
import { blockSize, type CipherAlgorithm } from '../crypto/block-cipher.js';
import { authValue, cardKey, mac, sessionEcb, sessionKey } from '../crypto/reference-profile.js';
import { PSAM_ROLE_CODES, type MasterKeys } from '../crypto/test-master-keys.js';
import type { DedicatedFile } from '../file-system.js';
import type { InstructionHandler } from '../instruction.js';
import { statusWords } from '../../src/apdu/status-words.js';
import type { PsamSession } from './psam-session.js';

/** The PSAM's answers: the `PSAM command` entries of the table the reader's PSAM client reads (apdu-specs/status-words.json). */
const psamTable = statusWords();
const PSAM_SW = {
  OK: psamTable.swOf('PSAM command', 'OK'),
  CONDITIONS_NOT_SATISFIED: psamTable.swOf('PSAM command', 'CONDITIONS_NOT_SATISFIED'),
  BAD_PARAMETER: psamTable.swOf('PSAM command', 'BAD_PARAMETER'),
  WRONG_LENGTH: psamTable.swOf('PSAM command', 'WRONG_LENGTH'),
} as const;

/** INS and CLA of the reference profile's PSAM commands (docs/reference/security-profile.md, PSAM table). */
export const PSAM_INS = { INIT_FOR_DESCRYPT: 0x1a, CIPHER_DATA: 0xfa } as const;
const CLA_PROPRIETARY = 0x80;

/** INIT FOR DESCRYPT data: f1 ‖ f2 ‖ f3 (24 bytes), optionally ‖ R8 (32 bytes). */
const FACTORS_LENGTH = 24;
const FACTORS_AND_R8_LENGTH = 32;

/** CIPHER DATA P1 modes. */
const MODE_AUTH = 0x00;
const MODE_ENCRYPT = 0x01;
const MODE_MAC = 0x05;

export interface PsamContext {
  readonly session: PsamSession;
  readonly masterKeys: MasterKeys;
  /** The PSAM application DF (AID D15600000590); INIT and CIPHER DATA need it selected. */
  readonly application: DedicatedFile;
}

function algorithmOf(p2: number): CipherAlgorithm | undefined {
  return p2 === 0x01 ? '01' : p2 === 0x03 ? '03' : undefined;
}

/**
 * INIT FOR DESCRYPT `80 1A <role> <alg> 18 f1‖f2‖f3` or `... 20 f1‖f2‖f3‖R8`: derives CK from the
 * role's master key (step 2) and, with R8, the session key SK (step 3), for the CIPHER DATA
 * commands that follow. Unknown role or algorithm -> 6A86; data not 24 or 32 bytes -> 6700; the
 * PSAM application not selected -> 6985.
 */
export function initForDescrypt(ctx: PsamContext): InstructionHandler {
  return (command, card: CardOs) => {
    const role = PSAM_ROLE_CODES.get(command.p1);
    const alg = algorithmOf(command.p2);
    if (!role || !alg) return { sw: PSAM_SW.BAD_PARAMETER };
    const { data } = command;
    if (data.length !== FACTORS_LENGTH && data.length !== FACTORS_AND_R8_LENGTH) return { sw: PSAM_SW.WRONG_LENGTH };
    if (card.state.currentDf !== ctx.application) return { sw: PSAM_SW.CONDITIONS_NOT_SATISFIED };
    const ck = cardKey(alg, ctx.masterKeys[role], { f1: data.subarray(0, 8), f2: data.subarray(8, 16), f3: data.subarray(16, 24) });
    const sk = data.length === FACTORS_AND_R8_LENGTH ? sessionKey(alg, ck, data.subarray(24, 32)) : undefined;
    ctx.session.current = { role, alg, cardKey: ck, sessionKey: sk };
    return { sw: PSAM_SW.OK };
  };
}

/**
 * CIPHER DATA `80 FA <mode> 00 Lc data` under the session key of the last INIT FOR DESCRYPT:
 * mode 00 auth value of 8 bytes (step 4) -> 8 bytes; 01 ECB encryption of whole blocks -> the
 * ciphertext; 05 the 4-byte MAC (step 7) of unpadded input (the PSAM pads). Answers data + 9000.
 * Unknown mode or P2 not 00 -> 6A86; the PSAM application not selected, no INIT, or an INIT
 * without R8 -> 6985; auth data not 8 bytes, encryption data not whole blocks, no MAC input -> 6700.
 */
export function cipherData(ctx: PsamContext): InstructionHandler {
  return (command, card: CardOs) => {
    const mode = command.p1;
    if ((mode !== MODE_AUTH && mode !== MODE_ENCRYPT && mode !== MODE_MAC) || command.p2 !== 0) return { sw: PSAM_SW.BAD_PARAMETER };
    const session = ctx.session.current;
    if (card.state.currentDf !== ctx.application || !session?.sessionKey) return { sw: PSAM_SW.CONDITIONS_NOT_SATISFIED };
    const { alg, sessionKey: sk } = session;
    const { data } = command;
    switch (mode) {
      case MODE_AUTH:
        return data.length === 8 ? { sw: PSAM_SW.OK, data: authValue(alg, sk, data) } : { sw: PSAM_SW.WRONG_LENGTH };
      case MODE_ENCRYPT:
        return data.length > 0 && data.length % blockSize(alg) === 0 ? { sw: PSAM_SW.OK, data: sessionEcb(alg, sk, data) } : { sw: PSAM_SW.WRONG_LENGTH };
      default:
        return data.length > 0 ? { sw: PSAM_SW.OK, data: mac(alg, sk, data) } : { sw: PSAM_SW.WRONG_LENGTH };
    }
  };
}

/** Registers INIT FOR DESCRYPT and CIPHER DATA (CLA 80) on the PSAM's card OS. */
export function registerPsamInstructions(card: CardOs, ctx: PsamContext): CardOs {
  return card
    .onReset(() => ctx.session.clear())
    .register(PSAM_INS.INIT_FOR_DESCRYPT, initForDescrypt(ctx), { classes: [CLA_PROPRIETARY], name: 'INIT FOR DESCRYPT' })
    .register(PSAM_INS.CIPHER_DATA, cipherData(ctx), { classes: [CLA_PROPRIETARY], name: 'CIPHER DATA' });
}
