/**
 * PIN_VERIFY_STRUCTURE and PIN_MODIFY_STRUCTURE of PC/SC part 10 v2.02.09 §2.5.2 / §2.5.3 (the
 * CCID PC_to_RDR_Secure layout; multi-byte fields little-endian). Pure encoders: the card layer
 * says where the PIN goes in which APDU; these lay out the bytes.
 */

/** How the pad writes the PIN into the APDU (the fields shared by both structures). */
export interface PinPadFormat {
  /** bmFormatString: 0x80 = positions in bytes; bits 6-3 = PIN position; bit 2 right-justify; bits 1-0: 00 binary, 01 BCD, 10 ASCII. */
  readonly formatString: number;
  /** bmPINBlockString: bits 7-4 = PIN length field size in bits; bits 3-0 = PIN block size in bytes. */
  readonly pinBlockString: number;
  /** bmPINLengthFormat: bit 4 units; bits 3-0 = PIN length position. */
  readonly pinLengthFormat: number;
  readonly minDigits: number;
  readonly maxDigits: number;
  /** bEntryValidationCondition: 0x01 max size reached, 0x02 validation key, 0x04 timeout. */
  readonly entryValidation: number;
  /** bTimerOut in seconds (0 = the reader's default). */
  readonly timeoutSeconds: number;
  /** wLangId of the pad's messages (0x0804 = Chinese, PRC). */
  readonly langId: number;
}

export interface PinVerifyStructureInput extends PinPadFormat {
  /** The APDU template sent to the card with the PIN inserted (header ‖ Lc ‖ PIN block). */
  readonly apdu: Uint8Array;
}

export interface PinModifyStructureInput extends PinPadFormat {
  readonly apdu: Uint8Array;
  /** Offsets in bytes of the old and the new PIN, relative to the format's PIN position. */
  readonly insertionOffsetOld: number;
  readonly insertionOffsetNew: number;
  /** bConfirmPIN: bit 0 = the new PIN is typed twice, bit 1 = the old PIN is typed too. */
  readonly confirmPin: number;
}

const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

/** wPINMaxExtraDigit = 0xXXYY, XX = minimum, YY = maximum PIN digits. */
const extraDigit = (f: PinPadFormat) => le16((f.minDigits << 8) | f.maxDigits);

export function encodePinVerifyStructure(s: PinVerifyStructureInput): Uint8Array {
  return Uint8Array.from([
    s.timeoutSeconds, // bTimerOut
    s.timeoutSeconds, // bTimerOut2
    s.formatString,
    s.pinBlockString,
    s.pinLengthFormat,
    ...extraDigit(s),
    s.entryValidation,
    0x01, // bNumberMessage: one message ("enter PIN")
    ...le16(s.langId),
    0x00, // bMsgIndex
    0x00, 0x00, 0x00, // bTeoPrologue (T=1 only; zero for T=0 cards)
    ...le32(s.apdu.length),
    ...s.apdu,
  ]);
}

export function encodePinModifyStructure(s: PinModifyStructureInput): Uint8Array {
  const messages = ((s.confirmPin & 0x02) !== 0 ? 1 : 0) + 1 + ((s.confirmPin & 0x01) !== 0 ? 1 : 0);
  return Uint8Array.from([
    s.timeoutSeconds,
    s.timeoutSeconds,
    s.formatString,
    s.pinBlockString,
    s.pinLengthFormat,
    s.insertionOffsetOld,
    s.insertionOffsetNew,
    ...extraDigit(s),
    s.confirmPin,
    s.entryValidation,
    messages, // bNumberMessage: old?, new, confirmation?
    ...le16(s.langId),
    0x00, 0x01, 0x02, // bMsgIndex1-3
    0x00, 0x00, 0x00, // bTeoPrologue
    ...le32(s.apdu.length),
    ...s.apdu,
  ]);
}
