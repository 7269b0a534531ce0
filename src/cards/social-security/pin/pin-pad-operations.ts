import { encodeCommand } from '../../../apdu/command-apdu.js';
import { decodeResponse } from '../../../apdu/response-apdu.js';
import type { PinPad } from '../../../transport/pinpad/pin-pad.js';
import { encodePinModifyStructure, encodePinVerifyStructure, type PinPadFormat } from '../../../transport/pinpad/pin-pad-structures.js';
import { buildChangePin, buildVerify } from '../commands/pin-commands.js';
import { runChangingOperation } from '../run-changing-operation.js';
import type { SessionAccess } from '../session-access.js';
import { PinError } from './pin-error.js';
import { guardTries, parsePinAnswer, type PinChangeResult, type PinVerifyResult } from './holder-pin-operations.js';
import { DEFAULT_PIN_POLICY, type PinLengthPolicy } from './pin-policy.js';

/** What the CLI and the daemon tell the holder while the pad waits (docs/readers.md "PIN pads"). */
export const PIN_PAD_PROMPT = 'enter the PIN on the reader';

export interface PadPinOptions {
  /** Must be one length (min = max): the card's Lc is fixed in the pad's APDU template. */
  readonly policy?: PinLengthPolicy | undefined;
  readonly confirmLastTry?: boolean | undefined;
  /** The pad's entry timeout (bTimerOut), seconds; default 30. */
  readonly timeoutSeconds?: number | undefined;
  /** Called after the try status passed, right before the pad is asked (a face's PIN rate limit). */
  readonly beforePresent?: (() => void) | undefined;
}

/**
 * The PIN-pad side of the rule "a reader with a pad takes the PIN on the pad": PC-side entry
 * (a PIN typed on the PC or sent by a web page) is refused for such readers unless forced.
 */
export function assertPcPinEntryAllowed(pad: PinPad | undefined, forced: boolean): void {
  if (pad && !forced) {
    throw new PinError('PIN_PAD_REQUIRED', `this reader has a PIN pad: ${PIN_PAD_PROMPT} (PC-side PIN entry only when forced)`);
  }
}

/**
 * How the social PIN goes into the card's commands (card-spec §3): BCD, two digits a byte,
 * left-justified, the block pre-filled with F so an odd length keeps its F pad nibble
 * ("12345" -> 12 34 5F). Positions in bytes from the data field; no length field.
 */
function padFormat(policy: PinLengthPolicy, timeoutSeconds: number): { format: PinPadFormat; blockBytes: number } {
  if (policy.minLength !== policy.maxLength) {
    throw new PinError('PIN_PAD_UNSUPPORTED', 'a PIN pad needs one PIN length (the card command length is fixed in the pad template): configure N, not a range');
  }
  const blockBytes = Math.ceil(policy.minLength / 2);
  return {
    blockBytes,
    format: {
      formatString: 0x80 | (0 << 3) | 0x01, // units bytes, PIN at data byte 0, left-justified, BCD
      pinBlockString: blockBytes, // no PIN length field; block of ceil(N/2) bytes
      pinLengthFormat: 0x00,
      minDigits: policy.minLength,
      maxDigits: policy.maxLength,
      entryValidation: 0x02, // the OK key
      timeoutSeconds,
      langId: 0x0804, // zh-CN
    },
  };
}

/** VERIFY `00 20 00 00 Lc FF..FF` for the pad to fill in (card-spec §3). */
export function pinVerifyStructure(policy: PinLengthPolicy = DEFAULT_PIN_POLICY, timeoutSeconds = 30): Uint8Array {
  const { format, blockBytes } = padFormat(policy, timeoutSeconds);
  return encodePinVerifyStructure({ ...format, apdu: encodeCommand(buildVerify(new Uint8Array(blockBytes).fill(0xff))) });
}

/** CHANGE PIN `80 5E 01 00 Lc FF..FF ‖ FF ‖ FF..FF`: old PIN typed, new PIN typed twice (card-spec §3). */
export function pinModifyStructure(policy: PinLengthPolicy = DEFAULT_PIN_POLICY, timeoutSeconds = 30): Uint8Array {
  const { format, blockBytes } = padFormat(policy, timeoutSeconds);
  const block = () => new Uint8Array(blockBytes).fill(0xff);
  return encodePinModifyStructure({
    ...format,
    apdu: encodeCommand(buildChangePin(block(), block())),
    insertionOffsetOld: 0,
    insertionOffsetNew: blockBytes + 1, // after the old block and the FF separator
    confirmPin: 0x03, // the old PIN is typed, the new one twice
  });
}

/** Part 10 §2.5.2 pad answers that are not the card's (64 xx, 6B 80). */
function padOutcome(sw: number, operation: string): void {
  if (sw === 0x6400) throw new PinError('PIN_ENTRY_TIMEOUT', `${operation}: no PIN was entered on the reader in time; nothing was sent to the card`);
  if (sw === 0x6401) throw new PinError('PIN_ENTRY_CANCELLED', `${operation}: PIN entry was cancelled on the reader; nothing was sent to the card`);
  if (sw === 0x6402) throw new PinError('PIN_FORMAT', `${operation}: the two entries of the new PIN on the reader differ`, { which: 'new' });
  if (sw === 0x6403) throw new PinError('PIN_FORMAT', `${operation}: the PIN entered on the reader has the wrong length`);
  if (sw === 0x6b80) throw new PinError('PIN_PAD_UNSUPPORTED', `${operation}: the reader refused the PIN entry parameters`);
}

/**
 * VERIFY with the PIN typed on the reader's pad (FEATURE_VERIFY_PIN_DIRECT): the last-try guard
 * first (as for PC-side entry), then the structure; the PC never holds the PIN. Wrong / blocked
 * PIN are the same typed results as `verifyPin`.
 */
export async function verifyPinOnPad(session: SessionAccess, pad: PinPad, options: PadPinOptions = {}): Promise<PinVerifyResult> {
  const structure = pinVerifyStructure(options.policy ?? DEFAULT_PIN_POLICY, options.timeoutSeconds ?? 30);
  return runChangingOperation(
    'VERIFY',
    async () => {
      await guardTries(session, options.confirmLastTry, 'VERIFY');
      options.beforePresent?.();
    },
    async () => {
      const response = decodeResponse(await pad.verifyPinDirect(structure));
      padOutcome(response.sw, 'VERIFY');
      parsePinAnswer(response, 'VERIFY', 'pin', session.pinTryLimit);
      return { status: 'verified' as const };
    },
  );
}

/**
 * CHANGE PIN with the old and the new PIN typed on the pad (FEATURE_MODIFY_PIN_DIRECT). The new-PIN
 * policy (no repeated digits, no birth date, ...) cannot be checked: the PC never sees the PIN.
 */
export async function changePinOnPad(session: SessionAccess, pad: PinPad, options: PadPinOptions = {}): Promise<PinChangeResult> {
  if (!pad.canModify) throw new PinError('PIN_PAD_UNSUPPORTED', 'this PIN pad cannot change a PIN (no FEATURE_MODIFY_PIN_DIRECT)');
  const structure = pinModifyStructure(options.policy ?? DEFAULT_PIN_POLICY, options.timeoutSeconds ?? 30);
  return runChangingOperation(
    'CHANGE PIN',
    async () => {
      await guardTries(session, options.confirmLastTry, 'CHANGE PIN');
      options.beforePresent?.();
    },
    async () => {
      const response = decodeResponse(await pad.modifyPinDirect(structure));
      padOutcome(response.sw, 'CHANGE PIN');
      parsePinAnswer(response, 'CHANGE PIN', 'old', session.pinTryLimit);
      return { status: 'changed' as const };
    },
  );
}
