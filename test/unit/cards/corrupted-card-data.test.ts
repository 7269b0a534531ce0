import { describe, expect, it } from 'vitest';
import { apduStack } from '../../../src/apdu/apdu-stack.js';
import type { Transmitter } from '../../../src/apdu/transmitter.js';
import { SocialSecuritySession } from '../../../src/cards/social-security/social-security-session.js';
import type { SocialSecurityRead } from '../../../src/cards/social-security/social-security-model.js';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { PinBuffer } from '../../../src/core/pin-buffer.js';
import { InProcessTransport, simulatedReader } from '../../../src/transport/in-process/in-process-transport.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';

/**
 * Regression tests of "corrupted card data passed as valid": each replaces ONE response of the
 * `demo` card, as the 1.9 million mutated reads that found them did, and checks that the read now
 * reports it (a typed warning, or BAD_CARD_DATA where the data cannot be used).
 */

const EF05_CMD = '00B2012D40';
const EF06_CMD = '00B201355B';
const FCI_CMD = '00C000001E';

/** The demo card with one response rewritten (hex in, hex out). */
class Mutated implements Transmitter {
  count = 0;
  private readonly inner = new InProcessTransport(createSimulatedCard('demo'), simulatedReader('demo', 0));
  constructor(private readonly rewrite: (command: string, response: string) => string) {}
  async transmit(command: Uint8Array): Promise<Uint8Array> {
    this.count++;
    const r = await this.inner.transmit(command);
    return fromHex(this.rewrite(toHex(command), toHex(r)));
  }
}

/** Replaces `from` by `to` in the response to `cmd` (the substitution must hit). */
function replaceIn(cmd: string, from: string, to: string): Mutated {
  return new Mutated((c, r) => {
    if (c !== cmd) return r;
    expect(r).toContain(from);
    return r.replace(from, to);
  });
}

async function read(t: Transmitter): Promise<SocialSecurityRead> {
  return new SocialSecuritySession(apduStack(t)).read();
}

const codes = (r: SocialSecurityRead) => r.warnings.map((w) => `${w.code}@${w.field}`);
const holder = (r: SocialSecurityRead) => (r.holder.status === 'read' ? r.holder.data : undefined);

describe('corrupted card data is reported, not passed as valid', () => {
  it('the unmodified demo card reads with no warning (baseline)', async () => {
    expect((await read(new Mutated((_c, r) => r))).warnings).toEqual([]);
  });

  it.each([
    ['birthplace 1101A5', EF06_CMD, '0C03110105', '0C031101A5', 'CN_NOT_DIGITS@holder.birthplace'],
    ['institution 1101000A0001', EF05_CMD, '040C110100000001', '040C1101000A0001', 'CN_NOT_DIGITS@card.initializingInstitution'],
    ['institution 110100000001B', EF05_CMD, '040C110100000001FF', '040C110100000001BF', 'CN_NOT_DIGITS@card.initializingInstitution'],
  ])('cn items hold digits only: %s', async (_l, cmd, from, to, warning) => {
    expect(codes(await read(replaceIn(cmd, from, to)))).toContain(warning);
  });

  it('an issue date in year 25 (0025-06-01) is out of range and not used', async () => {
    const r = await read(replaceIn(EF05_CMD, '050420250601', '050400250601'));
    expect(codes(r)).toContain('DATE_OUT_OF_RANGE@card.issueDate');
    expect(r.card.issueDate).toBeNull();
  });

  it('an expiry date before the issue date (2015 vs 2025) is reported', async () => {
    const r = await read(replaceIn(EF05_CMD, '060420350601', '060420150601'));
    expect(codes(r)).toContain('DATE_ORDER@card.expiryDate');
  });

  it('a birth date after the issue date is reported', async () => {
    const r = await read(replaceIn(EF06_CMD, '0D0419900307', '0D0420300307'));
    expect(codes(r)).toContain('DATE_ORDER@holder.birthDate');
  });

  it('a GBK name cut at an interior 00 ("王" out of "王小明") is reported', async () => {
    const r = await read(replaceIn(EF06_CMD, 'CDF5D0A1C3F7', 'CDF500A1C3F7'));
    expect(holder(r)?.name).toBe('王');
    expect(codes(r)).toContain('TEXT_CUT_AT_NUL@holder.name');
  });

  it.each([
    ['a control character', 'CDF5D0A1C3F707', ['TEXT_CONTROL_CHARS@holder.name', 'NAME_CHARACTERS@holder.name']],
    ['the GBK user-defined area (U+E000...)', 'CDF5D0A1AAA1', ['NAME_CHARACTERS@holder.name']],
    ['ASCII after the name', 'CDF5D0A1C3F741', ['NAME_CHARACTERS@holder.name']],
    ['€ after the name', 'CDF5D0A1C3F780', ['NAME_CHARACTERS@holder.name']],
  ])('a name with %s is reported', async (_l, to, warnings) => {
    const r = await read(replaceIn(EF06_CMD, 'CDF5D0A1C3F700', `${to}00`.slice(0, 14)));
    for (const w of warnings) expect(codes(r)).toContain(w);
  });

  it('card class \\u0011 is not a card class', async () => {
    const r = await read(replaceIn(EF05_CMD, '020131', '020111'));
    expect(codes(r)).toContain('CARD_CLASS_UNKNOWN@card.cardClass');
  });

  it('version text "2.0\\t" is reported (still read as 2.0)', async () => {
    const r = await read(replaceIn(EF05_CMD, '0304322E3030', '0304322E3009'));
    expect(r.card.specVersion).toBe('2.0');
    expect(codes(r)).toContain('SPEC_VERSION_FORMAT@card.specVersion');
  });

  it('an FCI naming another DF than the one selected is reported', async () => {
    const r = await read(replaceIn(FCI_CMD, '840F7378312E', '840F7378322E'));
    expect(codes(r)).toContain('FCI_DF_NAME_MISMATCH@application.dfName');
  });

  it('an FCI whose algorithm tag is mangled gives id null WITH a warning', async () => {
    const r = await read(replaceIn(FCI_CMD, '860101', '870101'));
    expect(r.application.algorithm.id).toBeNull();
    expect(codes(r)).toContain('FCI_ALGORITHM_MISSING@application.algorithm');
  });

  it('pinStatus: a 63Cx of 4-15 tries on a card that allows 3 is BAD_CARD_DATA; 63C2 is still 2 tries', async () => {
    for (const x of [4, 9, 15]) {
      const t = new Mutated((c, r) => (c === '00200000' ? `63C${x.toString(16).toUpperCase()}` : r));
      await expect(new SocialSecuritySession(apduStack(t)).pinStatus()).rejects.toMatchObject({ code: 'BAD_CARD_DATA' });
    }
    const ok = new Mutated((c, r) => (c === '00200000' ? '63C2' : r));
    expect(await new SocialSecuritySession(apduStack(ok)).pinStatus()).toEqual({ state: 'active', triesLeft: 2 });
    // a card configured with a larger limit (issuer choice) accepts its own count
    const five = new Mutated((c, r) => (c === '00200000' ? '63C5' : r));
    expect(await new SocialSecuritySession(apduStack(five), { pinTryLimit: 5 }).pinStatus()).toEqual({ state: 'active', triesLeft: 5 });
  });

  it('VERIFY answered 63C9 (a wrong PIN with 9 tries left on a 3-try card) is BAD_CARD_DATA, not WRONG_PIN', async () => {
    const t = new Mutated((c, r) => (c.startsWith('00200000') && c !== '00200000' ? '63C9' : r));
    const pin = PinBuffer.fromString('000000');
    await expect(new SocialSecuritySession(apduStack(t)).verifyPin(pin)).rejects.toMatchObject({ code: 'BAD_CARD_DATA' });
  });

  it('the worst hostile card (READ RECORD answered 61 01 again and again, then 6C01) costs a small bounded number of transmits and a typed error', async () => {
    let rounds = 0;
    const t = new Mutated((c, r) => {
      if (c === EF05_CMD || c.startsWith('00B2')) return '6101';
      if (c.startsWith('00C00000') && c !== FCI_CMD) return ++rounds < 255 ? '006101' : '6C01';
      return r;
    });
    await expect(read(t)).rejects.toMatchObject({ layer: 'apdu', code: expect.stringMatching(/^(TOO_MUCH_CHAINING|TOO_MANY_APDUS)$/) });
    expect(t.count).toBeLessThanOrEqual(40);
  });

  it('a card that keeps answering 6Cxx and 61xx to every command cannot exceed the per-operation budget (128)', async () => {
    const t = new Mutated((c) => (c.startsWith('00C0') ? '006C01' : '6C01'));
    await expect(read(t)).rejects.toMatchObject({ layer: 'apdu' });
    expect(t.count).toBeLessThanOrEqual(128);
  });
});

describe('an FCI that is not there', () => {
  it('SELECT answered 9000 with no FCI at all: FCI_MISSING (the algorithm is unknown)', async () => {
    const r = await read(new Mutated((c, r) => (c === FCI_CMD ? '9000' : r)));
    expect(r.application.algorithm.id).toBeNull();
    expect(codes(r)).toContain('FCI_MISSING@application');
  });
});
