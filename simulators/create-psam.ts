import { fromHex } from '../src/core/hex.js';
import { CardOs } from './card-os.js';
import { testMasterKeys } from './crypto/test-master-keys.js';
import { DedicatedFile, FileSystem, MF_FID, TransparentFile } from './file-system.js';
import { registerFileInstructions } from './handlers/register-file-instructions.js';
import { registerPsamInstructions } from './psam/psam-instructions.js';
import { PsamSession } from './psam/psam-session.js';
import { SimulatorError } from './sim-error.js';

/** AID of the PSAM application (docs/reference/card-spec.md §3, docs/reference/security-profile.md). */
export const PSAM_AID = 'D15600000590';
/** The terminal-number EF: file id 0016, SFI 16h (`00 B0 96 00 06`). */
export const TERMINAL_NUMBER_FID = 0x0016;
export const TERMINAL_NUMBER_SFI = 0x16;
/** The terminal number of the default simulated PSAM (the docs/reference/card-spec.md §4 example). */
export const DEFAULT_TERMINAL_NUMBER = '410100813475';
/** A synthetic T=0 ATR: `3B 69 00 00` + 9 historical bytes, ASCII "SSCARDPSM". */
export const DEFAULT_PSAM_ATR = '3B690000' + Buffer.from('SSCARDPSM', 'ascii').toString('hex').toUpperCase();

export interface SimulatedPsamOptions {
  /** 12 decimal digits, stored as 6 BCD bytes (default 410100813475). */
  readonly terminalNumber?: string;
  /** ATR hex (default `DEFAULT_PSAM_ATR`). */
  readonly atr?: string;
}

/**
 * A simulated PSAM of the reference security profile (docs/reference/security-profile.md, "The PSAM of the
 * reference profile"), holding the test master keys: SELECT PSAM `00 A4 04 00 06 D15600000590`,
 * READ BINARY of the terminal number `00 B0 96 00 06`, INIT FOR DESCRYPT `80 1A`, CIPHER DATA
 * `80 FA`. The terminal-number EF 0016 sits in the MF and, as the same bytes, in the PSAM
 * application, so it reads before and after SELECT PSAM. Powered on, MF selected.
 */
export function createSimulatedPsam(options: SimulatedPsamOptions = {}): CardOs {
  const terminalNumber = options.terminalNumber ?? DEFAULT_TERMINAL_NUMBER;
  if (!/^[0-9]{12}$/.test(terminalNumber)) {
    throw new SimulatorError('PROFILE_INVALID', 'PSAM terminalNumber: must be 12 decimal digits', 'PSAM', 'terminalNumber');
  }
  const atrHex = options.atr ?? DEFAULT_PSAM_ATR;
  let atr: Uint8Array;
  try {
    atr = fromHex(atrHex);
  } catch (e) {
    throw new SimulatorError('PROFILE_INVALID', `PSAM atr: ${(e as Error).message}`, 'PSAM', 'atr', { cause: e });
  }
  const body = fromHex(terminalNumber);
  const access = { read: 'free', write: 'never' };
  const mf = new DedicatedFile(MF_FID, undefined, 'MF');
  mf.add(new TransparentFile(TERMINAL_NUMBER_FID, TERMINAL_NUMBER_SFI, 'terminal number', access, body));
  const application = mf.add(new DedicatedFile(undefined, fromHex(PSAM_AID), 'PSAM'));
  application.add(new TransparentFile(TERMINAL_NUMBER_FID, TERMINAL_NUMBER_SFI, 'terminal number', access, body));
  const card = new CardOs({
    atr,
    fileSystem: new FileSystem(mf),
    behaviour: { selectResponse: 'data', leZero: 'data', readToEnd: true },
  });
  registerFileInstructions(card);
  return registerPsamInstructions(card, { session: new PsamSession(), masterKeys: testMasterKeys(), application });
}
