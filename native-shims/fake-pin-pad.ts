/**
 * A fake PC/SC part 10 PIN-pad reader for fake-pcsc.ts (vpcd has no pad): answers
 * CM_IOCTL_GET_FEATURE_REQUEST with the feature list of a real pad, and plays FEATURE_VERIFY_PIN_DIRECT
 * / FEATURE_MODIFY_PIN_DIRECT the way a CCID pad does: the holder "types" digits on the keypad
 * (the test's `keypad`), the pad writes them as BCD nibbles into the APDU template of the
 * structure and sends it to the card; the control output is the card's response. Written from
 * PC/SC part 10 v2.02.09 §2.5.2-2.5.3 (structure layouts), independently of the transport's encoder.
 */
import { PCSC } from './pcsclite.js';

/**
 * GET_FEATURE_REQUEST answer of a CCID pinpad reader under libccid (e.g. a Cherry/SCM/Gemalto
 * pinpad): tag, length 4, big-endian control code; libccid codes = 0x42000000 + 0x330000 + feature.
 * VERIFY_PIN_DIRECT (06), MODIFY_PIN_DIRECT (07), IFD_PIN_PROPERTIES (0A), GET_TLV_PROPERTIES (12).
 */
export const LIBCCID_PINPAD_FEATURES = Uint8Array.from([
  0x06, 0x04, 0x42, 0x33, 0x00, 0x06, 0x07, 0x04, 0x42, 0x33, 0x00, 0x07, 0x0a, 0x04, 0x42, 0x33, 0x00, 0x0a, 0x12, 0x04, 0x42, 0x33, 0x00, 0x12,
]);
/** A libccid reader without a keypad lists only the properties features. */
export const LIBCCID_PLAIN_FEATURES = Uint8Array.from([0x0a, 0x04, 0x42, 0x33, 0x00, 0x0a, 0x12, 0x04, 0x42, 0x33, 0x00, 0x12]);

const IOCTL_VERIFY = 0x42330006;
const IOCTL_MODIFY = 0x42330007;

/** What the holder does on the keypad for each PIN the pad asks (old, new, confirmation). */
export type KeypadEntry = string | 'timeout' | 'cancel';

export interface FakePinPadControl {
  readonly features: Uint8Array;
  control(code: number, input: Uint8Array, transmit: (apdu: Uint8Array) => Uint8Array): Uint8Array;
}

const SW = (sw: number) => Uint8Array.of(sw >> 8, sw & 0xff);

/** A pad whose keypad answers from `entries` in order (one per PIN entry asked). */
export class FakePinPad implements FakePinPadControl {
  readonly features: Uint8Array;
  /** APDUs the pad sent to the card (with the typed PIN inside: the PC never sees these). */
  readonly sentToCard: Uint8Array[] = [];
  private readonly entries: KeypadEntry[] = [];

  constructor(features: Uint8Array = LIBCCID_PINPAD_FEATURES) {
    this.features = features;
  }

  /** Queues what the holder types for the next PIN entries. */
  type(...entries: KeypadEntry[]): void {
    this.entries.push(...entries);
  }

  control(code: number, input: Uint8Array, transmit: (apdu: Uint8Array) => Uint8Array): Uint8Array {
    if (code === IOCTL_VERIFY) return this.verify(input, transmit);
    if (code === IOCTL_MODIFY) return this.modify(input, transmit);
    throw new Error(`fake pin pad: control code ${code.toString(16)} not supported`);
  }

  private verify(s: Uint8Array, transmit: (apdu: Uint8Array) => Uint8Array): Uint8Array {
    if (s.length < 19) return SW(0x6b80);
    const dataLength = s[15]! | (s[16]! << 8) | (s[17]! << 16) | (s[18]! << 24);
    if (s.length !== 19 + dataLength || dataLength < 5) return SW(0x6b80);
    const apdu = Uint8Array.from(s.subarray(19));
    const typed = this.entries.shift() ?? 'timeout';
    const bad = entryStatus(typed, s[6]!, s[5]!);
    if (bad) return SW(bad);
    if (!insertBcd(apdu, s[2]!, s[3]!, 0, typed)) return SW(0x6b80);
    return this.send(apdu, transmit);
  }

  private modify(s: Uint8Array, transmit: (apdu: Uint8Array) => Uint8Array): Uint8Array {
    if (s.length < 24) return SW(0x6b80);
    const dataLength = s[20]! | (s[21]! << 8) | (s[22]! << 16) | (s[23]! << 24);
    if (s.length !== 24 + dataLength || dataLength < 5) return SW(0x6b80);
    const apdu = Uint8Array.from(s.subarray(24));
    const [min, max, confirm] = [s[8]!, s[7]!, s[9]!];
    const old = confirm & 0x02 ? (this.entries.shift() ?? 'timeout') : undefined;
    const fresh = this.entries.shift() ?? 'timeout';
    const again = confirm & 0x01 ? (this.entries.shift() ?? 'timeout') : fresh;
    for (const e of [old, fresh, again]) {
      if (e === undefined) continue;
      const bad = entryStatus(e, min, max);
      if (bad) return SW(bad);
    }
    if (again !== fresh) return SW(0x6402);
    if (old !== undefined && !insertBcd(apdu, s[2]!, s[3]!, s[5]!, old)) return SW(0x6b80);
    if (!insertBcd(apdu, s[2]!, s[3]!, s[6]!, fresh)) return SW(0x6b80);
    return this.send(apdu, transmit);
  }

  private send(apdu: Uint8Array, transmit: (apdu: Uint8Array) => Uint8Array): Uint8Array {
    this.sentToCard.push(Uint8Array.from(apdu));
    return transmit(apdu);
  }
}

/** 6400 timeout, 6401 cancelled, 6403 length outside min..max (part 10 §2.5.2 answers). */
function entryStatus(entry: string, min: number, max: number): number | undefined {
  if (entry === 'timeout') return 0x6400;
  if (entry === 'cancel') return 0x6401;
  if (entry.length < min || entry.length > max) return 0x6403;
  return undefined;
}

/**
 * Writes `digits` as BCD nibbles, left-justified, into the APDU's data field at the position of
 * bmFormatString (bits 6-3, units of bit 7) plus `offset` bytes; the template's other nibbles stay.
 */
function insertBcd(apdu: Uint8Array, format: number, block: number, offset: number, digits: string): boolean {
  if ((format & 0x03) !== 0x01 || (format & 0x04) !== 0) return false; // BCD, left-justified only
  const position = (format >> 3) & 0x0f;
  const start = 5 + ((format & 0x80) !== 0 ? position : position / 8) + offset;
  const blockBytes = block & 0x0f;
  if (digits.length > blockBytes * 2 || start + blockBytes > apdu.length || !Number.isInteger(start)) return false;
  for (let i = 0; i < digits.length; i++) {
    const at = start + (i >> 1);
    const d = digits.charCodeAt(i) - 0x30;
    apdu[at] = i % 2 === 0 ? (d << 4) | (apdu[at]! & 0x0f) : (apdu[at]! & 0xf0) | d;
  }
  return true;
}

export const FAKE_PAD_IOCTL = { GET_FEATURE_REQUEST: PCSC.CM_IOCTL_GET_FEATURE_REQUEST, VERIFY: IOCTL_VERIFY, MODIFY: IOCTL_MODIFY } as const;
