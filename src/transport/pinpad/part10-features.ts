import { TransportError } from '../transport-error.js';

/**
 * SCardControl code of GET_FEATURE_REQUEST (part 10 §2.2): SCARD_CTL_CODE(3400), which pcsc-lite
 * defines as 0x42000000 + code on Unix (PCSC/reader.h).
 */
export const CM_IOCTL_GET_FEATURE_REQUEST = 0x42000d48;

/** PC/SC part 10 v2.02.09 §2.3 feature tags (the ones sscard uses or reports). */
export const Part10Feature = {
  VERIFY_PIN_START: 0x01,
  VERIFY_PIN_DIRECT: 0x06,
  MODIFY_PIN_DIRECT: 0x07,
  MCT_READER_DIRECT: 0x08,
  IFD_PIN_PROPERTIES: 0x0a,
  GET_TLV_PROPERTIES: 0x12,
  CCID_ESC_COMMAND: 0x13,
} as const;

/**
 * Parses the answer to CM_IOCTL_GET_FEATURE_REQUEST (part 10 §2.3): a list of
 * `tag(1) ‖ length(1) = 4 ‖ control code (4, big-endian)`. An empty answer = no features.
 * Anything else is PROTOCOL_ERROR (a reader driver answering garbage).
 */
export function parseFeatureList(answer: Uint8Array): ReadonlyMap<number, number> {
  const features = new Map<number, number>();
  for (let at = 0; at < answer.length; at += 6) {
    if (at + 6 > answer.length || answer[at + 1] !== 4) {
      throw new TransportError('PROTOCOL_ERROR', `GET_FEATURE_REQUEST answer malformed at byte ${at} (${answer.length} bytes)`);
    }
    const code = ((answer[at + 2]! << 24) | (answer[at + 3]! << 16) | (answer[at + 4]! << 8) | answer[at + 5]!) >>> 0;
    features.set(answer[at]!, code);
  }
  return features;
}
