import { describe, expect, it } from 'vitest';
import { encodeCommand } from '../../../../src/apdu/command-apdu.js';
import { decodeResponse } from '../../../../src/apdu/response-apdu.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';
import { buildChangePin, buildPinStatusQuery, buildVerify } from '../../../../src/cards/social-security/commands/pin-commands.js';
import { parsePinStatus, parseTryCounter } from '../../../../src/cards/social-security/commands/parse-security.js';
import {
  APPLICATION_BLOCK,
  buildExternalAuthenticate,
  buildGetChallenge,
  buildInternalAuthenticate,
  buildMacCommand,
  CARD_BLOCK,
  macInput,
  PIN_RELOAD,
  PIN_UNBLOCK,
} from '../../../../src/cards/social-security/commands/security-commands.js';
import { parsePinAnswer } from '../../../../src/cards/social-security/pin/holder-pin-operations.js';
import { parseExternalAuthenticate } from '../../../../src/cards/social-security/auth/external-authenticate.js';
import { parseInternalAuthenticate } from '../../../../src/cards/social-security/auth/internal-authenticate.js';
import { checkNewPinPolicy, checkPinFormat, pinLengthPolicy } from '../../../../src/cards/social-security/pin/pin-policy.js';
import { PinError } from '../../../../src/cards/social-security/pin/pin-error.js';
import { pinFromText } from '../../../../src/cards/social-security/pin/pin-input.js';
import { AuthError } from '../../../../src/cards/social-security/auth/auth-error.js';
import { CardError } from '../../../../src/cards/card-error.js';
import { pin } from './pin-helpers.js';

const hex = (c: Parameters<typeof encodeCommand>[0]) => toHex(encodeCommand(c));
const rsp = (h: string) => decodeResponse(fromHex(h));
const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('did not throw');
};

describe('PIN and security command builders (docs/reference/card-spec.md §3, docs/reference/security-profile.md)', () => {
  it('status query, verify, change', () => {
    expect(hex(buildPinStatusQuery())).toBe('00200000');
    expect(hex(buildVerify(pin('123456').toBcd()))).toBe('0020000003123456');
    expect(hex(buildVerify(pin('12345').toBcd()))).toBe('002000000312345F');
    expect(hex(buildChangePin(pin('123456').toBcd(), pin('1357913').toBcd()))).toBe('805E010008123456FF1357913F');
  });
  it('challenge, internal and external authenticate', () => {
    expect(hex(buildGetChallenge(4))).toBe('0084000004');
    expect(hex(buildGetChallenge(8))).toBe('0084000008');
    expect(hex(buildInternalAuthenticate(fromHex('0102030405060708'), fromHex('1122334455667788')))).toBe('00880000100102030405060708112233445566778800');
    expect(hex(buildExternalAuthenticate(0x0a, fromHex('990B56C81EB2FE09'), fromHex('1122334455667788')))).toBe('0082000A10990B56C81EB2FE091122334455667788');
  });
  it('MAC inputs count the 4 MAC bytes in Lc (step 7); commands append the MAC', () => {
    expect(toHex(macInput(PIN_UNBLOCK, new Uint8Array(0)))).toBe('8424000004');
    expect(toHex(macInput(APPLICATION_BLOCK, new Uint8Array(0)))).toBe('841E000104');
    expect(toHex(macInput(CARD_BLOCK, new Uint8Array(0)))).toBe('8416000004');
    expect(toHex(macInput(PIN_RELOAD, fromHex('0D0ECE707D34725F')))).toBe('842400010C0D0ECE707D34725F');
    // openssl-computed numbers of test/unit/simulators/security-helpers.ts (demo card, R4 A1B2C3D4)
    expect(hex(buildMacCommand(PIN_RELOAD, fromHex('0D0ECE707D34725F'), fromHex('7B09F419')))).toBe('842400010C0D0ECE707D34725F7B09F419');
    expect(hex(buildMacCommand(PIN_UNBLOCK, new Uint8Array(0), fromHex('29A432E5')))).toBe('842400000429A432E5');
  });
});

describe('status-word parsers', () => {
  it('try counter and PIN status', () => {
    expect(parseTryCounter(rsp('9000'))).toEqual({ kind: 'ok' });
    expect(parseTryCounter(rsp('63C2'))).toEqual({ kind: 'wrong', triesLeft: 2 });
    expect(parseTryCounter(rsp('6983'))).toEqual({ kind: 'blocked' });
    expect(parsePinStatus(rsp('63C3'))).toEqual({ state: 'active', triesLeft: 3 });
    expect(parsePinStatus(rsp('63C0'))).toEqual({ state: 'blocked' });
    expect(parsePinStatus(rsp('6983'))).toEqual({ state: 'blocked' });
    expect(parsePinStatus(rsp('9000'))).toEqual({ state: 'active', triesLeft: null });
    expect(parsePinStatus(rsp('6A88'))).toEqual({ state: 'other', sw: '6A88' });
  });
  it('VERIFY / CHANGE answers are typed PinErrors', () => {
    expect(() => parsePinAnswer(rsp('9000'), 'VERIFY')).not.toThrow();
    const wrong = thrown(() => parsePinAnswer(rsp('63C1'), 'VERIFY'));
    expect(wrong).toBeInstanceOf(PinError);
    expect(wrong).toMatchObject({ code: 'WRONG_PIN', triesLeft: 1, layer: 'pin' });
    expect(thrown(() => parsePinAnswer(rsp('6983'), 'VERIFY'))).toMatchObject({ code: 'PIN_BLOCKED', triesLeft: 0 });
    expect(thrown(() => parsePinAnswer(rsp('63C0'), 'VERIFY'))).toMatchObject({ code: 'PIN_BLOCKED' });
    expect(thrown(() => parsePinAnswer(rsp('6A81'), 'VERIFY'))).toBeInstanceOf(CardError);
    expect(thrown(() => parsePinAnswer(rsp('6A88'), 'VERIFY'))).toMatchObject({ code: 'KEY_NOT_FOUND' });
  });
  it('EXTERNAL AUTHENTICATE answers', () => {
    expect(() => parseExternalAuthenticate(rsp('9000'), 'RKSSSE')).not.toThrow();
    const e = thrown(() => parseExternalAuthenticate(rsp('63C2'), 'RKSSSE'));
    expect(e).toBeInstanceOf(AuthError);
    expect(e).toMatchObject({ code: 'EXTERNAL_AUTH_FAILED', triesLeft: 2 });
    expect(thrown(() => parseExternalAuthenticate(rsp('6983'), 'RKSSSE'))).toMatchObject({ code: 'EXTERNAL_AUTH_BLOCKED' });
    expect(thrown(() => parseExternalAuthenticate(rsp('6984'), 'RKSSSE'))).toMatchObject({ code: 'CHALLENGE_MISSING' });
    expect(thrown(() => parseExternalAuthenticate(rsp('6988'), 'RKSSSE'))).toMatchObject({ code: 'MAC_REJECTED' });
    expect(thrown(() => parseExternalAuthenticate(rsp('6A88'), 'RKSSSE'))).toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(thrown(() => parseExternalAuthenticate(rsp('6A81'), 'RKSSSE'))).toMatchObject({ code: 'CARD_BLOCKED' });
  });
  it('INTERNAL AUTHENTICATE answer', () => {
    expect(toHex(parseInternalAuthenticate(rsp('7C384EA87E4762049000')))).toBe('7C384EA87E476204');
    expect(thrown(() => parseInternalAuthenticate(rsp('7C389000')))).toMatchObject({ code: 'BAD_CARD_DATA' });
  });
});

describe('PIN format and new-PIN policy (docs/pin.md)', () => {
  it('format: digits only, length policy 6 by default, 4-16 configurable', () => {
    expect(() => checkPinFormat(pin('123456'))).not.toThrow();
    expect(thrown(() => checkPinFormat(pin('12345')))).toMatchObject({ code: 'PIN_FORMAT', message: 'the PIN must be 6 digits' });
    expect(() => checkPinFormat(pin('1234'), pinLengthPolicy(4, 16))).not.toThrow();
    expect(() => checkPinFormat(pin('1234567890123456'), pinLengthPolicy(4, 16))).not.toThrow();
    expect(thrown(() => checkPinFormat(pin('12345678901234567'), pinLengthPolicy(4, 16)))).toMatchObject({ code: 'PIN_FORMAT' });
    expect(thrown(() => pinLengthPolicy(3, 6))).toMatchObject({ code: 'PIN_FORMAT' });
    expect(thrown(() => pinLengthPolicy(8, 6))).toMatchObject({ code: 'PIN_FORMAT' });
    const e = thrown(() => pinFromText('12a456'));
    expect(e).toMatchObject({ code: 'PIN_FORMAT' });
    expect(e.message).not.toContain('12a456');
    const w = pin('123456');
    w.wipe();
    expect(thrown(() => checkPinFormat(w))).toMatchObject({ code: 'PIN_FORMAT' });
  });
  const reason = (p: string, ctx: Parameters<typeof checkNewPinPolicy>[1] = {}) => {
    try {
      checkNewPinPolicy(pin(p), ctx);
      return undefined;
    } catch (e) {
      expect((e as Error).message).not.toContain(p);
      return (e as PinError).reason;
    }
  };
  it.each([
    ['000000', 'ALL_SAME_DIGITS'],
    ['7777', 'ALL_SAME_DIGITS'],
    ['123456', 'SEQUENCE'],
    ['654321', 'SEQUENCE'],
    ['890123', 'SEQUENCE'],
    ['3210', 'SEQUENCE'],
    ['135790', undefined],
    ['123457', undefined],
  ])('%s -> %s', (p, r) => expect(reason(p)).toBe(r));
  it('birth date in the form of the PIN length; same as old', () => {
    const birthDate = '1990-03-07';
    expect(reason('19900307', { birthDate })).toBe('BIRTH_DATE');
    expect(reason('900307', { birthDate })).toBe('BIRTH_DATE');
    expect(reason('0307', { birthDate })).toBe('BIRTH_DATE');
    expect(reason('5519900307', { birthDate })).toBe('BIRTH_DATE');
    expect(reason('900308', { birthDate })).toBeUndefined();
    expect(reason('900307', { birthDate: null })).toBeUndefined();
    expect(reason('135790', { oldPin: pin('135790') })).toBe('SAME_AS_OLD');
    expect(reason('135790', { oldPin: pin('246802') })).toBeUndefined();
  });
});
