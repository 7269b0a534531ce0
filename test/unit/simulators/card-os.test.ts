import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { SW } from '../../../simulators/status.js';
import { SELECT_SSSE, fciFor, send } from './sim-helpers.js';

describe('CardOs: power and ATR', () => {
  it('answers the profile ATR on atr() and reset()', () => {
    const card = createSimulatedCard('v1-zhang-san');
    expect(toHex(card.atr())).toBe('3B6D000000814E43238697159900BF7C7A');
    expect(toHex(card.reset())).toBe('3B6D000000814E43238697159900BF7C7A');
  });

  it('returns a copy of the ATR', () => {
    const card = createSimulatedCard('demo');
    card.atr()[0] = 0;
    expect(card.atr()[0]).toBe(0x3b);
  });

  it('is powered on after creation and clears volatile state on power-off, power-on and reset', () => {
    const card = createSimulatedCard('v1-zhang-san');
    expect(card.powered).toBe(true);
    for (const cycle of [() => card.reset(), () => (card.powerOff(), card.powerOn())]) {
      send(card, SELECT_SSSE);
      send(card, '00A4020002EF05');
      card.security.grant('RKSSSE');
      cycle();
      expect(card.state.currentDf).toBe(card.fs.mf);
      expect(card.state.currentEf).toBeUndefined();
      expect(card.security.granted.size).toBe(0);
      expect(send(card, '00C000001E')).toBe('6985');
      expect(send(card, '00B2010412')).toBe('6986');
    }
  });

  it('answers 6F00 while powered off, and works again after power-on', () => {
    const card = createSimulatedCard('demo');
    card.powerOff();
    expect(send(card, SELECT_SSSE)).toBe('6F00');
    card.powerOn();
    expect(send(card, SELECT_SSSE)).toBe('611E');
  });

  it('calls onReset listeners on each clear of volatile state', () => {
    const card = createSimulatedCard('demo');
    let n = 0;
    card.onReset(() => n++);
    card.reset();
    card.powerOff();
    card.powerOn();
    expect(n).toBe(3);
  });
});

describe('CardOs: dispatch errors are status words', () => {
  const card = createSimulatedCard('demo');

  it.each([
    ['unsupported CLA', '80A404000F', '6E00'],
    ['CLA FF', 'FFB2010400', '6E00'],
    ['unknown INS', '00E2000000', '6D00'],
    ['GET DATA is CLA 80 only on this card', '00CA9F7900', '6E00'],
    ['short header (3 bytes)', '00A404', '6700'],
    ['one byte', '00', '6700'],
    ['empty command', '', '6700'],
    ['Lc larger than the data', `00A404000F7378`, '6700'],
    ['Lc smaller than the data', '00A4000001010203', '6700'],
    ['extended Le', '00B2010400000C', '6700'],
    ['extended Lc', '00A40000000002EF05', '6700'],
  ])('%s -> %s', (_what, command, sw) => {
    expect(send(card, command)).toBe(sw);
  });

  it('never throws, whatever the bytes', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256;
    for (let i = 0; i < 3000; i++) {
      const len = rnd() % 40;
      const bytes = Uint8Array.from({ length: len }, rnd);
      if (len > 1 && i % 2 === 0) bytes[0] = 0x00;
      if (len > 2 && i % 3 === 0) bytes[1] = [0xa4, 0xb2, 0xb0, 0xc0][i % 4]!;
      const out = card.execute(bytes);
      expect(out.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('answers 6F00 when a handler throws, and carries on', () => {
    const c = createSimulatedCard('demo');
    c.register(0xee, () => {
      throw new Error('bug');
    });
    expect(send(c, '00EE000000')).toBe('6F00');
    expect(send(c, SELECT_SSSE)).toBe('611E');
  });
});

describe('CardOs: extension points', () => {
  it('dispatches registered instructions with their CLA list', () => {
    const card = createSimulatedCard('demo');
    card.register(0x84, (cmd) => ({ sw: SW.OK, data: new Uint8Array(cmd.ne ?? 0).fill(0xaa) }), { name: 'GET CHALLENGE' });
    card.register(0x5e, () => ({ sw: SW.OK }), { classes: [0x80], name: 'CHANGE PIN' });
    expect(send(card, '0084000004')).toBe('AAAAAAAA9000');
    expect(send(card, '805E0100020102')).toBe('9000');
    expect(send(card, '005E0100020102')).toBe('6E00');
    // (replacing the card's own CHANGE PIN and GET CHALLENGE, registered with the security commands)
    expect(card.instructions().map((e) => e.name)).toEqual([
      'CARD BLOCK', 'APPLICATION BLOCK', 'VERIFY', 'PIN RELOAD / UNBLOCK', 'CHANGE PIN', 'EXTERNAL AUTHENTICATE',
      'GET CHALLENGE', 'INTERNAL AUTHENTICATE', 'SELECT', 'GET PROCESSING OPTIONS', 'READ BINARY', 'READ RECORD', 'GET RESPONSE',
      'GET DATA',
    ]);
  });

  it('lets a filter answer before the instruction table', () => {
    const card = createSimulatedCard('demo');
    let blocked = false;
    card.addFilter(() => (blocked ? { sw: 0x6a81 } : undefined));
    expect(send(card, SELECT_SSSE)).toBe('611E');
    blocked = true;
    expect(send(card, '00C000001E')).toBe('6A81');
    expect(send(card, 'FF')).toBe('6A81');
    blocked = false;
    expect(send(card, '00C000001E')).toBe('6985'); // the filtered command discarded the pending FCI
  });

  it('exposes the security state for later handlers', () => {
    const card = createSimulatedCard('v3-sm4');
    card.register(0x82, (_cmd, c) => {
      c.security.grant('RKSSSE');
      return { sw: SW.OK };
    });
    expect(send(card, SELECT_SSSE)).toBe('611E');
    expect(send(card, '00C000001E')).toBe(`${fciFor('03')}9000`);
    expect(send(card, '00B2013400')).toBe('6982');
    expect(send(card, '0082000A00')).toBe('9000');
    expect(card.security.has('RKSSSE')).toBe(true);
    expect(send(card, '00B2013414')).toBe('08123434303330353230303130323135313032369000');
  });

  it('execute accepts a subarray view', () => {
    const card = createSimulatedCard('demo');
    const buf = fromHex(`FFFF${SELECT_SSSE}FF`);
    expect(toHex(card.execute(buf.subarray(2, buf.length - 1)))).toBe('611E');
  });
});

describe('commands without a data field', () => {
  it('READ RECORD, READ BINARY and GET RESPONSE with data -> 6700', () => {
    const card = createSimulatedCard('v1-zhang-san');
    expect(send(card, SELECT_SSSE)).toBe('611E');
    expect(send(card, '00C0000001AA1E')).toBe('6700');
    expect(send(card, '00B2012C01AA12')).toBe('6700');
    expect(send(card, '00B0870001AA01')).toBe('6700');
  });
});
