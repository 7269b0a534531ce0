import { describe, expect, it } from 'vitest';
import { encodeCommand } from '../../../../src/apdu/command-apdu.js';
import { decodeResponse } from '../../../../src/apdu/response-apdu.js';
import { CardError } from '../../../../src/cards/card-error.js';
import { parseAfl } from '../../../../src/cards/pboc/afl.js';
import { buildGetData, parseGetData } from '../../../../src/cards/pboc/commands/get-data.js';
import { buildGetProcessingOptions, parseGetProcessingOptions } from '../../../../src/cards/pboc/commands/get-processing-options.js';
import { buildPbocReadRecord, parsePbocRecord } from '../../../../src/cards/pboc/commands/read-record.js';
import { buildSelectByName, parseSelectByName } from '../../../../src/cards/pboc/commands/select-by-name.js';
import { decodeAmountFen, decodeDate, decodeText, decodeTime, decodeTrack2, formatYuan } from '../../../../src/cards/pboc/decode-values.js';
import { logDecoder } from '../../../../src/cards/pboc/decode-log.js';
import { chooseApplications } from '../../../../src/cards/pboc/directory-entries.js';
import { buildDolData, parseDol } from '../../../../src/cards/pboc/dol.js';
import { maskPan } from '../../../../src/cards/pboc/mask-pan.js';
import { parseApplicationFci } from '../../../../src/cards/pboc/parse-fci.js';
import { parseBerTlvs } from '../../../../src/core/ber-tlv.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';
import { specs } from '../../../../src/specs/load-specs.js';

const hex = (c: Parameters<typeof encodeCommand>[0]) => toHex(encodeCommand(c));
const resp = (h: string) => decodeResponse(fromHex(h));
const spec = specs().pboc;

describe('PBOC command builders (docs/reference/card-spec.md §5, EMV Book 3 §6.5)', () => {
  it('build the documented bytes', () => {
    expect(hex(buildSelectByName(Buffer.from('1PAY.SYS.DDF01')))).toBe('00A404000E315041592E5359532E444446303100');
    expect(hex(buildPbocReadRecord(1, 1))).toBe('00B2010C00');
    expect(hex(buildPbocReadRecord(11, 3))).toBe('00B2035C00');
    expect(hex(buildGetData(0x9f79))).toBe('80CA9F7900');
    expect(hex(buildGetProcessingOptions(fromHex('0102')))).toBe('80A80000048302010200');
    expect(hex(buildGetProcessingOptions(new Uint8Array(0)))).toBe('80A8000002830000');
  });
  it('refuse arguments outside the command ranges', () => {
    expect(() => buildPbocReadRecord(0, 1)).toThrow(CardError);
    expect(() => buildPbocReadRecord(31, 1)).toThrow(CardError);
    expect(() => buildPbocReadRecord(1, 0)).toThrow(CardError);
    expect(() => buildGetData(0x5a)).toThrow(CardError);
  });
});

describe('PBOC response parsers', () => {
  it('SELECT outcomes: 6A82 not found, 6283 blocked, 6A81 card blocked, junk FCI', () => {
    expect(parseSelectByName(resp('6A82'), 'x')).toEqual({ status: 'not-found' });
    expect(parseSelectByName(resp('6283'), 'x')).toEqual({ status: 'blocked' });
    expect(() => parseSelectByName(resp('6A81'), 'x')).toThrow(expect.objectContaining({ code: 'CARD_BLOCKED' }));
    expect(() => parseSelectByName(resp('6F05840301029000'), 'x')).toThrow(expect.objectContaining({ code: 'BAD_CARD_DATA' }));
    expect(() => parseSelectByName(resp('70009000'), 'x')).toThrow(expect.objectContaining({ code: 'BAD_CARD_DATA' }));
  });
  it('READ RECORD outcomes', () => {
    expect(parsePbocRecord(resp('6A83'), 'r')).toEqual({ status: 'end' });
    expect(parsePbocRecord(resp('6A82'), 'r')).toEqual({ status: 'no-file' });
    expect(parsePbocRecord(resp('6985'), 'r')).toEqual({ status: 'refused', sw: '6985' });
    expect(parsePbocRecord(resp('6982'), 'r')).toEqual({ status: 'refused', sw: '6982' });
    expect(parsePbocRecord(resp('70035A01129000'), 'r').status).toBe('record');
  });
  it('GET DATA: the object, null when absent, BAD_CARD_DATA for another tag', () => {
    expect(toHex(parseGetData(resp('9F7906000000012345' + '9000'), 0x9f79)!)).toBe('000000012345');
    expect(parseGetData(resp('6A88'), 0x9f79)).toBeNull();
    expect(() => parseGetData(resp('9F7701009000'), 0x9f79)).toThrow(expect.objectContaining({ code: 'BAD_CARD_DATA' }));
  });
  it('GPO formats 1 and 2', () => {
    const f1 = parseGetProcessingOptions(resp('800A7C00080101001001020190' + '00'));
    expect(f1.format).toBe(1);
    expect(toHex(f1.aip)).toBe('7C00');
    expect(f1.afl).toEqual([
      { sfi: 1, first: 1, last: 1, offlineCount: 0 },
      { sfi: 2, first: 1, last: 2, offlineCount: 1 },
    ]);
    const f2 = parseGetProcessingOptions(resp('770F82027C009404080101009F360200109000'));
    expect(f2.format).toBe(2);
    expect(f2.afl).toEqual([{ sfi: 1, first: 1, last: 1, offlineCount: 0 }]);
    expect(f2.others.map((o) => o.tag)).toEqual([0x9f36]);
    expect(() => parseGetProcessingOptions(resp('6985'))).toThrow(expect.objectContaining({ code: 'GPO_REFUSED' }));
    expect(() => parseGetProcessingOptions(resp('77049402080190' + '00'))).toThrow(expect.objectContaining({ code: 'BAD_CARD_DATA' }));
    expect(() => parseGetProcessingOptions(resp('8001' + '7C' + '9000'))).toThrow(expect.objectContaining({ code: 'BAD_CARD_DATA' }));
  });
  it('AFL: bad SFI byte, bad ranges, odd lengths are BAD_CARD_DATA', () => {
    for (const bad of ['080101', '09010100', '08000100', '08020100', '08010102', '00010100']) {
      expect(() => parseAfl(fromHex(bad))).toThrow(CardError);
    }
  });
  it('ADF FCI with label, priority, PDOL, language, code table, log entry; unknown objects kept', () => {
    const fci = parseBerTlvs(fromHex('6F298408A000000333010101A51D500344454287010F9F38039F66045F2D047A68656E9F110101DF0101AA'))[0]!;
    const a = parseApplicationFci(fci);
    expect(a.label).toBe('DEB');
    expect(a.priority).toBe(15);
    expect(a.languages).toEqual(['zh', 'en']);
    expect(a.codeTableIndex).toBe(1);
    expect(toHex(a.pdol!)).toBe('9F6604');
    expect(a.logEntry).toBeNull();
    expect(a.others.map((o) => o.tag)).toEqual([0xdf01]);
  });
});

describe('DOL, values, priority, log layout', () => {
  it('parses a DOL and fills it from the terminal defaults (numeric left, others right)', () => {
    const dol = parseDol(fromHex('9F66049F02069F1A019A039F370295059F4C02'), 'PDOL');
    expect(dol.map((d) => d.length)).toEqual([4, 6, 1, 3, 2, 5, 2]);
    const data = buildDolData(dol, spec, { now: () => new Date('2026-12-01T08:09:10Z'), random: (n) => new Uint8Array(n).fill(0xab) });
    // 9F66 46000000 | 9F02 zero | 9F1A 0156 cut on the left -> 56 | 9A 261201 | 9F37 ABAB | 95 zero | unknown 9F4C zeros
    expect(toHex(data)).toBe('46000000' + '000000000000' + '56' + '261201' + 'ABAB' + '0000000000' + '0000');
    expect(() => parseDol(fromHex('9F'), 'x')).toThrow(CardError);
    expect(() => parseDol(fromHex('9F66'), 'x')).toThrow(CardError);
  });
  it('values: dates, times, amounts, GBK text, track 2, yuan, masking', () => {
    expect(decodeDate(fromHex('351231'), 'd')).toBe('2035-12-31');
    expect(decodeDate(fromHex('991231'), 'd')).toBe('1999-12-31');
    expect(() => decodeDate(fromHex('350230'), 'd')).toThrow(CardError);
    expect(() => decodeDate(fromHex('3512'), 'd')).toThrow(CardError);
    expect(decodeTime(fromHex('235959'), 't')).toBe('23:59:59');
    expect(() => decodeTime(fromHex('246000'), 't')).toThrow(CardError);
    expect(decodeAmountFen(fromHex('000000012345'), 'a')).toBe(12345);
    expect(() => decodeAmountFen(fromHex('00000001234A'), 'a')).toThrow(CardError);
    expect(decodeText(fromHex('CDF5D0A1C3F72020'), 'n')).toBe('王小明');
    expect(() => decodeText(fromHex('FF80'), 'n')).toThrow(CardError);
    expect(decodeTrack2(fromHex('6217000000000012348D35062010000000000F'))).toEqual({ pan: '6217000000000012348', expiryMonth: '2035-06', serviceCode: '201' });
    expect(() => decodeTrack2(fromHex('12345678'))).toThrow(CardError);
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(123456)).toBe('1234.56');
    expect(maskPan('6217000000000012348')).toBe('621700*********2348');
    expect(maskPan('1234567890')).toBe('******7890');
  });
  it('chooses by priority indicator, then the spec order; falls back to the AID list', () => {
    const chosen = chooseApplications(
      [
        { aid: 'A000000333010101', label: null, priority: 3 },
        { aid: 'A000000333010102', label: null, priority: 1 },
        { aid: 'A0000000031010', label: 'VISA', priority: 1 },
        { aid: 'A000000333010103', label: null, priority: null },
      ],
      spec,
    );
    expect(chosen.map((c) => c.aid)).toEqual(['A000000333010102', 'A000000333010101', 'A000000333010103']);
    expect(chooseApplications([{ aid: 'A0000000031010', label: null, priority: 1 }], spec).map((c) => [c.aid, c.fromDirectory])).toEqual([
      ['A000000333010101', false],
      ['A000000333010102', false],
      ['A000000333010103', false],
    ]);
  });
  it('log records decode with the 9F4F layout (buffer-layout structure); unknown fields kept raw', () => {
    const d = logDecoder(parseDol(fromHex('9A039F02065F2A02DF7F01'), '9F4F'), spec);
    expect(d.recordLength).toBe(12);
    expect(d.decode(fromHex('261128000000002350015677'), 1)).toEqual({
      date: '2026-11-28',
      time: null,
      amountFen: 2350,
      otherAmountFen: null,
      currency: '156',
      country: null,
      type: null,
      merchantName: null,
      atc: null,
      other: { DF7F: '77' },
    });
    expect(() => d.decode(fromHex('2611280000'), 1)).toThrow(CardError);
  });
});
