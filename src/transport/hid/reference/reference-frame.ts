import { HidFrameError } from '../hid-error.js';

/**
 * The reference HID frame format "SSCARD-HID-1" (docs/readers.md "Reference frame format"):
 * 64-byte reports, each
 *
 *   0 MAGIC A5 | 1 SEQ | 2 CODE | 3 IDX | 4 FLAGS (bit 0 MORE) | 5 LEN (0-57) |
 *   6..62 payload (LEN bytes, rest 00) | 63 CHK = XOR of bytes 0-62
 *
 * A message is the payloads of reports IDX 0, 1, ... concatenated; every report but the last has
 * MORE set. The reader answers a request with the same SEQ and CODE | 0x80, or ERROR (EE) whose
 * one payload byte is a reader status. Pure functions: no I/O.
 */
export const REF_REPORT_SIZE = 64;
export const REF_MAGIC = 0xa5;
export const REF_HEADER = 6;
export const REF_MAX_PAYLOAD = REF_REPORT_SIZE - REF_HEADER - 1; // 57
/** IDX is one byte: at most 256 reports per message. */
export const REF_MAX_REPORTS = 256;
export const REF_MAX_MESSAGE = REF_MAX_REPORTS * REF_MAX_PAYLOAD; // 14,592 bytes
export const REF_FLAG_MORE = 0x01;

/** Request codes (host -> reader); the answer code is `code | 0x80`. */
export const RefCommand = {
  POWER_ON: 0x10,
  POWER_OFF: 0x11,
  GET_STATUS: 0x12,
  XFR_APDU: 0x13,
} as const;
export const REF_RESPONSE_BIT = 0x80;
export const REF_ERROR = 0xee;

/** Reader status bytes of an ERROR answer. */
export const RefStatus = {
  NO_CARD: 0x01,
  CARD_MUTE: 0x02,
  BAD_CHECKSUM: 0x03,
  BAD_FRAME: 0x04,
  UNKNOWN_COMMAND: 0x05,
  TOO_LONG: 0x06,
} as const;

/** GET STATUS answer byte: 00 empty, 01 card on the contact interface, 02 contactless. */
export const RefSlot = { EMPTY: 0x00, CONTACT: 0x01, CONTACTLESS: 0x02 } as const;

export interface RefReport {
  readonly seq: number;
  readonly code: number;
  readonly index: number;
  readonly more: boolean;
  readonly payload: Uint8Array;
}

export function refChecksum(report: Uint8Array): number {
  let x = 0;
  for (let i = 0; i < REF_REPORT_SIZE - 1; i++) x ^= report[i]!;
  return x;
}

/** Splits one message into reports (an empty message is one report with LEN 0). */
export function encodeRefMessage(seq: number, code: number, message: Uint8Array): Uint8Array[] {
  const count = Math.max(1, Math.ceil(message.length / REF_MAX_PAYLOAD));
  if (count > REF_MAX_REPORTS) throw new HidFrameError('TOO_LONG', `message of ${message.length} bytes exceeds ${REF_MAX_MESSAGE} bytes (${REF_MAX_REPORTS} reports)`);
  const reports: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const chunk = message.subarray(i * REF_MAX_PAYLOAD, (i + 1) * REF_MAX_PAYLOAD);
    const r = new Uint8Array(REF_REPORT_SIZE);
    r[0] = REF_MAGIC;
    r[1] = seq & 0xff;
    r[2] = code;
    r[3] = i;
    r[4] = i < count - 1 ? REF_FLAG_MORE : 0;
    r[5] = chunk.length;
    r.set(chunk, REF_HEADER);
    r[REF_REPORT_SIZE - 1] = refChecksum(r);
    reports.push(r);
  }
  return reports;
}

/** Checks size, checksum, magic and length of one report (in this order). */
export function decodeRefReport(report: Uint8Array): RefReport {
  if (report.length < REF_REPORT_SIZE) throw new HidFrameError('BAD_LENGTH', `input report of ${report.length} bytes (expected ${REF_REPORT_SIZE})`);
  if (refChecksum(report) !== report[REF_REPORT_SIZE - 1]) throw new HidFrameError('BAD_CHECKSUM', 'input report checksum mismatch');
  if (report[0] !== REF_MAGIC) throw new HidFrameError('BAD_MAGIC', `input report does not start with ${REF_MAGIC.toString(16).toUpperCase()}`);
  const length = report[5]!;
  if (length > REF_MAX_PAYLOAD) throw new HidFrameError('BAD_LENGTH', `payload length ${length} > ${REF_MAX_PAYLOAD}`);
  return {
    seq: report[1]!,
    code: report[2]!,
    index: report[3]!,
    more: (report[4]! & REF_FLAG_MORE) !== 0,
    payload: report.slice(REF_HEADER, REF_HEADER + length),
  };
}

/**
 * Reassembles the answer to request `seq`: reports must carry that SEQ, IDX 0, 1, 2 ... and one
 * code; returns the code and the whole message once a report without MORE arrived.
 */
export class RefReassembler {
  private readonly parts: Uint8Array[] = [];
  private code: number | undefined;

  constructor(private readonly seq: number) {}

  /** Feeds one decoded report; returns the message when complete. */
  push(r: RefReport): { code: number; message: Uint8Array } | undefined {
    if (r.seq !== this.seq) throw new HidFrameError('BAD_SEQUENCE', `answer for message ${r.seq} while waiting for ${this.seq}`);
    if (r.index !== this.parts.length) throw new HidFrameError('BAD_INDEX', `report ${r.index} where report ${this.parts.length} was expected`);
    if (this.code !== undefined && r.code !== this.code) throw new HidFrameError('BAD_RESPONSE', 'response code changed within one message');
    if (r.more && this.parts.length + 1 >= REF_MAX_REPORTS) throw new HidFrameError('TOO_LONG', `answer longer than ${REF_MAX_REPORTS} reports`);
    this.code = r.code;
    this.parts.push(r.payload);
    if (r.more) return undefined;
    const message = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      message.set(p, at);
      at += p.length;
      p.fill(0);
    }
    return { code: r.code, message };
  }
}
