import type { PinBuffer } from '../../core/pin-buffer.js';
import type { NationalOptions } from '../../specs/national-interface-schema.js';
import { NationalError } from '../national/national-error.js';
import { nationalFailure } from '../national/national-failure.js';
import { contactIType } from '../national/national-options.js';
import { PC_PIN_FIELDS, type NationalPinFunction } from '../national/national-pin-functions.js';
import type { CardTarget, OperationDeps } from './operation-deps.js';
import type { HolderPinEntry } from './pin-entry.js';
import { pinChange } from './pin-change.js';
import { pinReset } from './pin-reset.js';
import { pinUnblock } from './pin-unblock.js';
import { pinVerify } from './pin-verify.js';

/** 0, or the national negative code and its text; `pcEntry` = the PIN(s) must be typed on the PC (no pad, or iReloadPIN). */
export type NationalPinResult = { readonly code: 0; readonly message: '' } | { readonly code: number; readonly message: string; readonly pcEntry: boolean };

export interface NationalPinRequest {
  readonly fn: NationalPinFunction;
  /** The MOHRSS iType (default 3), checked like iReadCardBas's. */
  readonly iType?: number | undefined;
  /**
   * The PINs typed on the PC (the C library's terminal prompt), one per PC_PIN_FIELDS[fn]; undefined =
   * the reader's PIN pad takes them (verify, change). They stay the caller's to wipe.
   */
  readonly pins?: readonly PinBuffer[] | undefined;
  readonly options: Pick<NationalOptions, 'registryLockedCode'>;
  /** Called right before a PIN is presented to the card: where the face charges its PIN budget (may throw). */
  readonly beforePresent?: (() => void) | undefined;
  /** Verify, change: the pad prompt (told before the pad waits) and `forcePcEntry` (docs/readers.md "PIN pads"). */
  readonly entry?: HolderPinEntry | undefined;
  /**
   * Whether the last try may be spent (default true: the holder types at the moment of the call).
   * A face whose caller hands over PINs it may have stored (`card.nationalPin` params) passes the
   * caller's own confirmation, as pin.verify does.
   */
  readonly confirmLastTry?: boolean | undefined;
}

/**
 * The national PIN functions over the service's PIN operations (pin-verify, pin-change, pin-reset,
 * pin-unblock). Never throws: every failure is the national code of the one mapping table
 * (nationalFailure). The holder types the PIN at the moment of the call, so the last-try guard is
 * confirmed by default (there is no stored PIN that could spend the last try unnoticed). The counter functions
 * (reload, unblock) need keys (soft or PSAM): without usable keys the answer is -2201 (no PSAM).
 */
export async function nationalPin(deps: OperationDeps, target: CardTarget, request: NationalPinRequest): Promise<NationalPinResult> {
  try {
    const { fn, pins } = request;
    contactIType(request.iType);
    if (pins !== undefined && pins.length !== PC_PIN_FIELDS[fn].length) throw new NationalError('BAD_PARAMETER', `${fn} takes ${PC_PIN_FIELDS[fn].length} PIN(s) from the PC`);
    const onPc = (): never => {
      throw new NationalError('PIN_ENTRY_ON_PC', `${fn}: the PIN must be typed on the PC`);
    };
    const holder = { ...request.entry, target, confirmLastTry: request.confirmLastTry ?? true, beforePresent: request.beforePresent };
    if (fn === 'iVerifyPIN') await pinVerify(deps, { ...holder, pin: pins?.[0], askPin: onPc });
    else if (fn === 'iChangePIN') await pinChange(deps, { ...holder, oldPin: pins?.[0], newPin: pins?.[1], askPins: onPc });
    // PIN RELOAD sends Enc(new PIN) + MAC made with the keys: a pad cannot do that, so the new PIN comes from the PC
    else if (fn === 'iReloadPIN') await pinReset(deps, { target, newPin: pins?.[0] ?? onPc() });
    else await pinUnblock(deps, { target });
    return { code: 0, message: '' };
  } catch (e) {
    return { ...nationalFailure(e, request.options), pcEntry: e instanceof NationalError && e.code === 'PIN_ENTRY_ON_PC' };
  }
}
