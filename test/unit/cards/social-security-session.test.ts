import { describe, expect, it } from 'vitest';
import { apduStack } from '../../../src/apdu/apdu-stack.js';
import { parseTranscript } from '../../../src/apdu/transcript.js';
import { TranscriptReplayer } from '../../../src/apdu/transcript-replayer.js';
import type { Transmitter } from '../../../src/apdu/transmitter.js';
import { CardError } from '../../../src/cards/card-error.js';
import { checkCardNumber } from '../../../src/cards/social-security/card-number-check.js';
import { SocialSecuritySession } from '../../../src/cards/social-security/social-security-session.js';
import { checkSsn } from '../../../src/cards/social-security/ssn-check.js';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { abortableTransmitter } from '../../../src/service/abortable-transmitter.js';
import { ServiceError } from '../../../src/service/service-error.js';
import { TransportError } from '../../../src/transport/transport-error.js';
import { loadTranscript } from '../../support/transcripts.js';

const SELECT = '00A404000F7378312E73682EC9E7BBE1B1A3D5CF';
const FCI = '6F1C840F7378312E73682EC9E7BBE1B1A3D5CFA50988011E9F0C03860101';
const EF05 =
  '0110639900D15600000500BF7C7A48FB49660201310304312E3030040C320500FFFFFFFFFFFFFFFFFF0504201010010604202010010709583030303030303139';

function counting(inner: Transmitter): Transmitter & { count: number } {
  const t = { count: 0, transmit: async (c: Uint8Array) => (t.count++, inner.transmit(c)) };
  return t;
}

function session(t: Transmitter) {
  return new SocialSecuritySession(apduStack(t));
}

describe('check characters', () => {
  it('card number (docs/reference/card-spec.md §2 example X00000019 is valid)', () => {
    expect(checkCardNumber('X00000019')).toBe('valid');
    expect(checkCardNumber('X00000018')).toBe('bad-check-character');
    expect(checkCardNumber('X0000001')).toBe('malformed');
  });
  it('SSN MOD 11-2 (GB 11643 example 11010519491231002X)', () => {
    expect(checkSsn('11010519491231002X')).toBe('valid');
    expect(checkSsn('110105194912310021')).toBe('bad-check-character');
    expect(checkSsn('11010519491231002x')).toBe('malformed');
  });
});

describe('SocialSecuritySession.read against hand-written transcripts', () => {
  it('fast path: SELECT (+GET RESPONSE) and two read-to-end reads', async () => {
    const replay = loadTranscript('read-v1-fast.transcript');
    const wire = counting(replay);
    const r = await session(wire).read();
    replay.assertComplete();
    expect(wire.count).toBe(4); // 3 APDUs + 1 GET RESPONSE (61 1E)
    expect(r.application.algorithm).toEqual({ id: '01', name: '3DES', supported: true });
    expect(r.card).toEqual({
      cardIdentificationCode: '639900D15600000500BF7C7A48FB4966',
      regionCode: '639900',
      cardClass: '1',
      specVersion: '1.0',
      specVersionText: '1.00',
      initializingInstitution: '320500',
      issueDate: '2010-10-01',
      expiryDate: '2020-10-01',
      cardNumber: 'X00000019',
      cardNumberCheck: 'valid',
    });
    expect(r.holder).toEqual({
      status: 'read',
      data: {
        ssn: '111111198101011110',
        ssnCheck: checkSsn('111111198101011110'),
        name: '张三',
        sex: { code: '1', label: '男 male' },
        ethnicGroup: { code: '01', name: '汉族' },
        birthplace: '639900',
        birthDate: '1981-01-01',
      },
    });
  });

  it('fallback: record by record when read-to-end is refused', async () => {
    const replay = loadTranscript('read-v1-fallback.transcript');
    const r = await session(replay).read();
    replay.assertComplete();
    expect(r.card.cardNumber).toBe('X00000019');
    expect(r.holder.status === 'read' && r.holder.data.name).toBe('张三');
  });

  it('3.0 card without authentication: card data + needs-authentication outcome', async () => {
    const replay = loadTranscript('read-v3-denied.transcript');
    const r = await session(replay).read();
    replay.assertComplete();
    expect(r.application.algorithm.name).toBe('SM4');
    expect(r.card.specVersion).toBe('3.0');
    expect(r.holder).toEqual({ status: 'needs-authentication', sw: '6982' });
  });
});

function script(...pairs: [string, string][]): TranscriptReplayer {
  return new TranscriptReplayer(parseTranscript(pairs.map(([c, r]) => `=> ${c}\n<= ${r}`).join('\n')), 'inline');
}

describe('bad card responses give typed errors', () => {
  it('9303 on SELECT: application blocked', async () => {
    await expect(session(script([SELECT, '9303'])).read()).rejects.toMatchObject({ code: 'APPLICATION_BLOCKED', sw: '9303' });
  });
  it('6A81 on SELECT: card blocked', async () => {
    await expect(session(script([SELECT, '6A81'])).read()).rejects.toMatchObject({ code: 'CARD_BLOCKED' });
  });
  it('6A82 on SELECT: not a social security card', async () => {
    await expect(session(script([SELECT, '6A82'])).read()).rejects.toBeInstanceOf(CardError);
  });
  it('unknown status word on SELECT', async () => {
    await expect(session(script([SELECT, '1234'])).read()).rejects.toMatchObject({ layer: 'apdu', code: 'UNKNOWN_STATUS', sw: '1234' });
  });
  it('truncated FCI', async () => {
    await expect(session(script([SELECT, '6F1C840F73789000'])).read()).rejects.toMatchObject({ code: 'BAD_CARD_DATA' });
  });
  it('truncated EF05 (TLV declares more than present)', async () => {
    await expect(session(script([SELECT, `${FCI}9000`], ['00B2012D40', `${EF05.slice(0, 30)}9000`])).read()).rejects.toThrow(
      /EF05 records cannot be decoded: simple-TLV tag 01 at offset 0 declares 16 bytes/,
    );
  });
  it('wrong TLV length is decoded with a warning', async () => {
    const shortClass = EF05.replace('020131', '02023131');
    const t = script([SELECT, `${FCI}9000`], ['00B2012D40', `${shortClass}9000`], ['00B2013545', '6982']);
    const r = await session(t).read();
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'ITEM_LENGTH', field: 'cardClass' }));
  });
  it('non-GBK bytes in a name are BAD_CARD_DATA', async () => {
    const ef06 = '0812313131313131313938313031303131313130' + '091E' + '81'.padEnd(60, '0');
    const t = script([SELECT, `${FCI}9000`], ['00B2012D40', `${EF05}9000`], ['00B2013545', `${ef06}9000`]);
    await expect(session(t).read()).rejects.toThrow(/EF06 tag 09 \(name\) cannot be decoded/);
  });
  it('a response with no status word is a typed APDU error', async () => {
    const t: Transmitter = { transmit: async () => fromHex('90') };
    await expect(session(t).read()).rejects.toMatchObject({ layer: 'apdu', code: 'MALFORMED_RESPONSE' });
  });
  it('FF ethnic group, bad dates and bad check characters are warnings, not errors', async () => {
    const ef05 = EF05.replace('0709583030303030303139', '0709583030303030303138').replace('050420101001', '050420101301');
    const ef06 = '08123131313131313139383130313031313131300' .slice(0, 40) + '091ED5C5C8FD' + '00'.repeat(26) + '0A01330B01FF0C036399000D0419810102';
    const t = script([SELECT, `${FCI}9000`], ['00B2012D40', `${ef05}9000`], ['00B2013545', `${ef06}9000`]);
    const r = await session(t).read();
    const codes = r.warnings.map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['CARD_NUMBER_CHECK', 'BAD_DATE', 'ETHNIC_GROUP_NOT_RECORDED', 'SEX_CODE_UNKNOWN', 'SSN_BIRTH_DATE_MISMATCH']));
    expect(r.card.issueDate).toBeNull();
    expect(r.holder.status === 'read' && r.holder.data.ethnicGroup).toEqual({ code: 'FF', name: null });
    expect(toHex(fromHex(ef06)).length).toBe(ef06.length);
  });
});

describe('isoDate', async () => {
  const { isoDate } = await import('../../../src/cards/social-security/decode-items.js');
  it.each([
    ['20200229', '2020-02-29'],
    ['19000229', null],
    ['20000229', '2000-02-29'],
    ['20211301', null],
    ['20210431', null],
    ['20210430', '2021-04-30'],
    ['00000101', null],
    ['2021043', null],
    ['FFFFFFFF', null],
  ])('%s -> %s', (text, iso) => {
    expect(isoDate(text)).toBe(iso);
  });
});

/**
 * read() decodes each answer while the next exchange is in flight (docs/performance.md "Where the
 * time of one sequential read goes"): the FCI during READ EF05, EF05 during READ EF06, EF06 during
 * the caller's release. Errors keep their meaning and order.
 */
describe('decoding while the next APDU is in flight', () => {
  const READ_EF05 = '00B2012D40';
  const READ_EF06 = '00B2013545'; // 1.0 card: no 4E
  const EF06 = '0812313131313131313938313031303131313130091ED5C5C8FD' + '00'.repeat(26) + '0A01310B01010C036399000D0419810101';
  const badClass = EF05.replace('020131', '020181'); // 81 alone is no GBK text
  const badVersion = EF05.replace('0304312E3030', '0304812E3030');

  /** Records each exchange (and what the caller saw) in order. */
  function logged(inner: Transmitter, log: string[]): Transmitter & { count: number } {
    const t = {
      count: 0,
      transmit: async (c: Uint8Array) => {
        t.count++;
        log.push(`=> ${toHex(c)}`);
        return inner.transmit(c);
      },
    };
    return t;
  }

  it('an EF05 that cannot be decoded: READ EF06 was already sent (read-only), the EF05 error wins', async () => {
    const replay = script([SELECT, `${FCI}9000`], [READ_EF05, `${badClass}9000`], [READ_EF06, `${EF06}9000`]);
    const wire = counting(replay);
    await expect(session(wire).read()).rejects.toMatchObject({ code: 'BAD_CARD_DATA', message: expect.stringMatching(/EF05 tag 02 \(cardClass\) cannot be decoded/) });
    expect(wire.count).toBe(3); // one more than before the overlap: the READ of EF06
    replay.assertComplete();
  });

  it('an EF05 decode error also wins over a transport error of the READ EF06 in flight', async () => {
    const replay = script([SELECT, `${FCI}9000`], [READ_EF05, `${badClass}9000`]);
    const t: Transmitter = {
      transmit: (c) => (toHex(c) === READ_EF06 ? Promise.reject(new TransportError('CARD_REMOVED', 'card removed')) : replay.transmit(c)),
    };
    await expect(session(t).read()).rejects.toMatchObject({ code: 'BAD_CARD_DATA' });
  });

  it('a good EF05 and a transport error on READ EF06: the typed transport error', async () => {
    const replay = script([SELECT, `${FCI}9000`], [READ_EF05, `${EF05}9000`]);
    const t: Transmitter = {
      transmit: (c) => (toHex(c) === READ_EF06 ? Promise.reject(new TransportError('CARD_REMOVED', 'card removed')) : replay.transmit(c)),
    };
    await expect(session(t).read()).rejects.toBeInstanceOf(TransportError);
    await expect(session(script([SELECT, `${FCI}9000`], [READ_EF05, `${EF05}9000`])).read()).rejects.toMatchObject({ code: 'TRANSCRIPT_EXHAUSTED' });
  });

  it('a version item that cannot be decoded: EF06 is not sent (its records depend on the version)', async () => {
    const replay = script([SELECT, `${FCI}9000`], [READ_EF05, `${badVersion}9000`]);
    const wire = counting(replay);
    await expect(session(wire).read()).rejects.toThrow(/EF05 tag 03 \(specVersion\) cannot be decoded/);
    expect(wire.count).toBe(2);
  });

  it('an FCI that cannot be decoded: READ EF05 was in flight, the FCI error wins; a refused SELECT sends nothing more', async () => {
    const wire = counting(script([SELECT, '6F1C840F73789000'], [READ_EF05, `${EF05}9000`]));
    await expect(session(wire).read()).rejects.toMatchObject({ code: 'BAD_CARD_DATA', message: expect.stringMatching(/FCI/) });
    expect(wire.count).toBe(2);
    const blocked = counting(script([SELECT, '9303']));
    await expect(session(blocked).read()).rejects.toMatchObject({ code: 'APPLICATION_BLOCKED' });
    expect(blocked.count).toBe(1);
  });

  it('cancellation while READ EF05 is in flight: READ EF06 is never sent, the read is CANCELLED', async () => {
    const controller = new AbortController();
    const replay = script([SELECT, `${FCI}9000`], [READ_EF05, `${EF05}9000`], [READ_EF06, `${EF06}9000`]);
    const log: string[] = [];
    const wire = logged(
      {
        transmit: async (c) => {
          const r = await replay.transmit(c);
          if (toHex(c) === READ_EF05) controller.abort(new ServiceError('CANCELLED', 'requester gone'));
          return r;
        },
      },
      log,
    );
    await expect(new SocialSecuritySession(apduStack(abortableTransmitter(wire, controller.signal))).read()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(log).toEqual([`=> ${SELECT}`, `=> ${READ_EF05}`]);
  });

  it('the per-operation transmit budget counts the READ sent during the overlap', async () => {
    const good = script([SELECT, `${FCI}9000`], [READ_EF05, `${EF05}9000`], [READ_EF06, `${EF06}9000`]);
    await expect(new SocialSecuritySession(apduStack(good, { maxTransmits: 2 })).read()).rejects.toMatchObject({ code: 'TOO_MANY_APDUS' });
    // A bad EF05 still reports its own error, not the budget's.
    const bad = script([SELECT, `${FCI}9000`], [READ_EF05, `${badClass}9000`]);
    await expect(new SocialSecuritySession(apduStack(bad, { maxTransmits: 2 })).read()).rejects.toMatchObject({ code: 'BAD_CARD_DATA' });
  });

  it('release: called once after the last APDU; read() resolves after it with EF06 decoded', async () => {
    const log: string[] = [];
    const wire = logged(script([SELECT, `${FCI}9000`], [READ_EF05, `${EF05}9000`], [READ_EF06, `${EF06}9000`]), log);
    let releases = 0;
    const release = async (): Promise<void> => {
      releases++;
      log.push('release');
      await new Promise((r) => setTimeout(r, 5));
      log.push('released');
    };
    const r = await session(wire).read({ release });
    log.push('read');
    expect(releases).toBe(1);
    expect(log).toEqual([`=> ${SELECT}`, `=> ${READ_EF05}`, `=> ${READ_EF06}`, 'release', 'released', 'read']);
    expect(r.holder.status === 'read' && r.holder.data.name).toBe('张三');
  });

  it('release: an EF06 decode error is thrown after the release is done', async () => {
    const log: string[] = [];
    const badName = '0812313131313131313938313031303131313130091E' + '81'.padEnd(60, '0');
    const wire = logged(script([SELECT, `${FCI}9000`], [READ_EF05, `${EF05}9000`], [READ_EF06, `${badName}9000`]), log);
    const release = async (): Promise<void> => {
      await new Promise((r) => setTimeout(r, 5));
      log.push('released');
    };
    await expect(session(wire).read({ release })).rejects.toThrow(/EF06 tag 09 \(name\) cannot be decoded/);
    expect(log.at(-1)).toBe('released');
  });

  it('release is not called when the read fails before its last APDU', async () => {
    let releases = 0;
    const t = script([SELECT, `${FCI}9000`], [READ_EF05, '6A82']);
    await expect(session(t).read({ release: async () => void releases++ })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    expect(releases).toBe(0);
  });

  it('the version decoded ahead is the one the full EF05 decode gives (the EF06 read depends on it)', async () => {
    const { specVersionOf } = await import('../../../src/cards/social-security/decode-card-data.js');
    const { decodeCardData } = await import('../../../src/cards/social-security/decode-card-data.js');
    const { decodeItems } = await import('../../../src/cards/social-security/decode-items.js');
    const { parseSimpleTlvs } = await import('../../../src/core/simple-tlv.js');
    const { specs } = await import('../../../src/specs/load-specs.js');
    const ef05 = specs().ssse.files.find((f) => f.id === 'EF05')!;
    const versions = ['0304312E3030', '0304322E3030', '030133', '0300', '0304392E3030', '0304322E3009', '0303322E30'];
    for (const v of versions) {
      const tlvs = parseSimpleTlvs(fromHex(EF05.replace('0304312E3030', v)));
      // a duplicate version object: the first one counts, as in decodeItems
      const twice = [...tlvs, ...parseSimpleTlvs(fromHex('0304332E3030'))];
      for (const items of [tlvs, twice]) {
        expect(specVersionOf(ef05, items, specs())).toBe(decodeCardData(decodeItems(ef05, items, []), specs(), []).specVersion);
      }
    }
    const missing = parseSimpleTlvs(fromHex(EF05.replace('0304312E3030', '')));
    expect(specVersionOf(ef05, missing, specs())).toBe(decodeCardData(decodeItems(ef05, missing, []), specs(), []).specVersion);
  });
});
