import { describe, expect, it } from 'vitest';
import { HidFrameError } from '../../../../src/transport/hid/hid-error.js';
import {
  REF_MAX_MESSAGE,
  REF_MAX_PAYLOAD,
  REF_REPORT_SIZE,
  RefReassembler,
  decodeRefReport,
  encodeRefMessage,
  refChecksum,
} from '../../../../src/transport/hid/reference/reference-frame.js';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

function roundTrip(seq: number, message: Uint8Array): Uint8Array {
  const r = new RefReassembler(seq);
  let done: ReturnType<RefReassembler['push']>;
  for (const report of encodeRefMessage(seq, 0x93, message)) done = r.push(decodeRefReport(report));
  return done!.message;
}

describe('reference frame format SSCARD-HID-1', () => {
  it('lays out one report exactly as docs/readers.md says', () => {
    const [r, ...rest] = encodeRefMessage(0x42, 0x13, Uint8Array.of(0x00, 0xa4, 0x04, 0x00));
    expect(rest).toHaveLength(0);
    expect(r).toHaveLength(REF_REPORT_SIZE);
    expect([...r!.subarray(0, 10)]).toEqual([0xa5, 0x42, 0x13, 0x00, 0x00, 0x04, 0x00, 0xa4, 0x04, 0x00]);
    expect(r!.subarray(10, 63).every((b) => b === 0)).toBe(true);
    expect(r![63]).toBe(0xa5 ^ 0x42 ^ 0x13 ^ 0x04 ^ 0xa4 ^ 0x04);
  });

  it.each([0, 1, REF_MAX_PAYLOAD - 1, REF_MAX_PAYLOAD, REF_MAX_PAYLOAD + 1, 2 * REF_MAX_PAYLOAD, 261, 1000])('chains a %i-byte message and reassembles it', (n) => {
    const message = bytes(n);
    const reports = encodeRefMessage(7, 0x13, message);
    expect(reports).toHaveLength(Math.max(1, Math.ceil(n / REF_MAX_PAYLOAD)));
    reports.forEach((r, i) => {
      expect(r[3]).toBe(i);
      expect(r[4]).toBe(i < reports.length - 1 ? 1 : 0);
    });
    expect(roundTrip(7, message)).toEqual(message);
  });

  it('refuses a message longer than 256 reports', () => {
    expect(() => encodeRefMessage(1, 0x13, new Uint8Array(REF_MAX_MESSAGE + 1))).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR', fault: 'TOO_LONG' }));
    expect(encodeRefMessage(1, 0x13, new Uint8Array(REF_MAX_MESSAGE))).toHaveLength(256);
  });

  it('a flipped bit anywhere in a report is BAD_CHECKSUM', () => {
    const [good] = encodeRefMessage(9, 0x93, bytes(20));
    for (let at = 0; at < REF_REPORT_SIZE; at++) {
      const bad = Uint8Array.from(good!);
      bad[at] = bad[at]! ^ 0x10;
      expect(() => decodeRefReport(bad), `byte ${at}`).toThrow(expect.objectContaining({ fault: 'BAD_CHECKSUM' }));
    }
  });

  const withChecksum = (r: Uint8Array) => {
    r[63] = refChecksum(r);
    return r;
  };

  it('framing faults a checksum cannot catch are typed', () => {
    const [good] = encodeRefMessage(9, 0x93, bytes(20));
    const magic = withChecksum(Uint8Array.from(good!).fill(0x5a, 0, 1));
    expect(() => decodeRefReport(magic)).toThrow(expect.objectContaining({ fault: 'BAD_MAGIC' }));
    const long = Uint8Array.from(good!);
    long[5] = REF_MAX_PAYLOAD + 1;
    expect(() => decodeRefReport(withChecksum(long))).toThrow(expect.objectContaining({ fault: 'BAD_LENGTH' }));
    expect(() => decodeRefReport(good!.subarray(0, 63))).toThrow(expect.objectContaining({ fault: 'BAD_LENGTH' }));
    expect(() => new RefReassembler(8).push(decodeRefReport(good!))).toThrow(expect.objectContaining({ fault: 'BAD_SEQUENCE' }));
    const [, second] = encodeRefMessage(9, 0x93, bytes(100));
    expect(() => new RefReassembler(9).push(decodeRefReport(second!))).toThrow(expect.objectContaining({ fault: 'BAD_INDEX' }));
  });

  it('errors are TransportErrors and quote no report bytes', () => {
    const [good] = encodeRefMessage(9, 0x93, Uint8Array.of(0x12, 0x34, 0x56));
    const bad = Uint8Array.from(good!);
    bad[7] = 0;
    try {
      decodeRefReport(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HidFrameError);
      expect((e as Error).message).not.toMatch(/123456|12 34 56/);
      expect((e as HidFrameError).layer).toBe('transport');
    }
  });
});
