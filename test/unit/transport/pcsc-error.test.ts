import { describe, expect, it } from 'vitest';
import { PCSC_TO_TRANSPORT_CODE, PcscStatus, isServiceLoss, pcscStatusOf, toTransportError, transportCodeOf } from '../../../src/transport/pcsc/pcsc-error.js';
import { TransportError } from '../../../src/transport/transport-error.js';
import { fakePcscError } from '../../../native-shims/fake-pcsc.js';

describe('PC/SC error mapping', () => {
  it.each([
    [0x8010001d, 'NO_SERVICE'],
    [0x80100013, 'NO_SERVICE'],
    [0x8010001e, 'NO_SERVICE'],
    [0x8010002e, 'NO_READERS'],
    [0x8010000c, 'NO_CARD'],
    [0x80100069, 'CARD_REMOVED'],
    [0x80100068, 'CARD_RESET'],
    [0x8010000b, 'SHARING_VIOLATION'],
    [0x80100066, 'UNRESPONSIVE_CARD'],
    [0x8010000a, 'TIMEOUT'],
    [0x80100002, 'CANCELLED'],
    [0x80100009, 'READER_NOT_FOUND'],
    [0x80100017, 'READER_NOT_FOUND'],
    [0x80100003, 'IO_ERROR'],
    [0x80100008, 'IO_ERROR'],
  ] as const)('0x%s -> %s', (status, code) => {
    expect(transportCodeOf(status)).toBe(code);
    const error = toTransportError(fakePcscError('SCardTransmit', status), 'transmit on "R"');
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe(code);
    expect(error.platformCode).toBe(status);
    expect(error.layer).toBe('transport');
  });

  it('parses the binding message format (node_modules/pcsclite/src/common.h)', () => {
    expect(pcscStatusOf(new Error('SCardTransmit error: Card was removed.(0x80100069)'))).toBe(0x80100069);
    expect(pcscStatusOf(new Error('SCardConnect error: Sharing violation.(0x8010000b)'))).toBe(0x8010000b);
    expect(pcscStatusOf(new Error('Card Reader not connected'))).toBeUndefined();
    expect(pcscStatusOf('nope')).toBeUndefined();
  });

  it('maps errors without a status to IO_ERROR and keeps the message and cause', () => {
    const cause = new Error('Card Reader not connected');
    const error = toTransportError(cause, 'transmit on "R"');
    expect(error.code).toBe('IO_ERROR');
    expect(error.platformCode).toBeUndefined();
    expect(error.message).toBe('transmit on "R": Card Reader not connected');
    expect(error.cause).toBe(cause);
  });

  it('passes TransportErrors through and flags service loss', () => {
    const original = new TransportError('CARD_REMOVED', 'x', PcscStatus.SCARD_W_REMOVED_CARD);
    expect(toTransportError(original, 'y')).toBe(original);
    expect(isServiceLoss(0x80100013)).toBe(true);
    expect(isServiceLoss(0x80100069)).toBe(false);
    expect(isServiceLoss(undefined)).toBe(false);
    for (const code of PCSC_TO_TRANSPORT_CODE.values()) expect(code).not.toBe('IO_ERROR');
  });
});
