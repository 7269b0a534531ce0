import { describe, expect, it } from 'vitest';
import type { Transmitter } from '../../../src/apdu/transmitter.js';
import { encodeCommand } from '../../../src/apdu/command-apdu.js';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { PinBuffer } from '../../../src/core/pin-buffer.js';
import { cardKeyContext } from '../../../src/keys/card-key-context.js';
import {
  cipherAuthValueCommand,
  cipherEncryptCommand,
  cipherMacCommand,
  initForDescryptCommand,
  readTerminalNumberCommand,
  selectPsamCommand,
} from '../../../src/keys/psam/commands.js';
import { PsamKeyService } from '../../../src/keys/psam/psam-key-service.js';
import { diversificationFactors } from '../../../src/keys/profile-crypto.js';
import { CARD, INPUTS, VECTORS } from './kat/reference-vectors.js';

const h = fromHex;
const clean = (s: string) => s.replace(/\s/g, '').toUpperCase();

/** A PSAM that expects exactly these command bytes, in order, and gives these answers. */
function scriptedPsam(script: [command: string, response: string][]): Transmitter & { remaining(): number } {
  let i = 0;
  return {
    async transmit(bytes) {
      const step = script[i++];
      if (!step) throw new Error(`unexpected extra command ${toHex(bytes)}`);
      expect(toHex(bytes), `command #${i}`).toBe(clean(step[0]));
      return h(clean(step[1]));
    },
    remaining: () => script.length - i,
  };
}

// Hand-written from the PSAM table of docs/reference/security-profile.md.
const SELECT = ['00 A4 04 00 06 D15600000590', '9000'] as [string, string];
const FACTORS = `${CARD.f1} ${CARD.f2} ${CARD.f3}`; // f1 ‖ f2 ‖ f3 for region 639900 and the example ATR
const ctx01 = cardKeyContext({ algorithmId: '01', regionCode: CARD.regionCode, atr: h(CARD.atr) });
const ctx03 = cardKeyContext({ algorithmId: '03', regionCode: CARD.regionCode, atr: h(CARD.atr) });

describe('PSAM command builders (docs/reference/security-profile.md PSAM table)', () => {
  it('encode the table bytes', () => {
    const f = diversificationFactors(CARD.regionCode, h(CARD.atrHistorical));
    expect(toHex(encodeCommand(selectPsamCommand()))).toBe('00A4040006D15600000590');
    expect(toHex(encodeCommand(readTerminalNumberCommand()))).toBe('00B0960006');
    expect(toHex(encodeCommand(initForDescryptCommand('BK', '03', f)))).toBe(clean(`80 1A 07 03 18 ${FACTORS}`));
    expect(toHex(encodeCommand(initForDescryptCommand('RKSSSE', '01', f, h(INPUTS.challenge8))))).toBe(
      clean(`80 1A 0A 01 20 ${FACTORS} ${INPUTS.challenge8}`),
    );
    expect(toHex(encodeCommand(cipherAuthValueCommand(h(INPUTS.d8))))).toBe('80FA000008' + INPUTS.d8);
    expect(toHex(encodeCommand(cipherEncryptCommand(h('0312345680000000'))))).toBe('80FA0100080312345680000000');
    expect(toHex(encodeCommand(cipherMacCommand(h('8424000004'))))).toBe('80FA0500058424000004');
  });
});

describe('PsamKeyService against a scripted PSAM', () => {
  it('selects, reads the terminal number, and gets an INTERNAL AUTHENTICATE value (3DES)', async () => {
    const psam = scriptedPsam([
      SELECT,
      ['00 B0 96 00 06', '410100813475 9000'],
      [`80 1A 01 01 20 ${FACTORS} ${INPUTS.internalR8}`, '9000'],
      [`80 FA 00 00 08 ${INPUTS.d8}`, `${VECTORS['01'].internal.auth} 9000`],
    ]);
    const svc = await PsamKeyService.open(psam);
    expect(svc.kind).toBe('psam');
    expect(await svc.terminalNumber()).toBe('410100813475');
    expect(toHex(await svc.internalAuth(ctx01, h(INPUTS.internalR8), h(INPUTS.d8)))).toBe(VECTORS['01'].internal.auth);
    expect(psam.remaining()).toBe(0);
  });

  it('EXTERNAL AUTHENTICATE (RKSSSE 0A, SM4) with an 8-byte challenge', async () => {
    const psam = scriptedPsam([
      SELECT,
      [`80 1A 0A 03 20 ${FACTORS} ${INPUTS.challenge8}`, '9000'],
      [`80 FA 00 00 08 ${INPUTS.d8}`, `${VECTORS['03'].external.RKSSSE.auth} 9000`],
    ]);
    const svc = new PsamKeyService(psam);
    expect(toHex(await svc.externalAuth(ctx03, 'RKSSSE', h(INPUTS.challenge8), h(INPUTS.d8)))).toBe(VECTORS['03'].external.RKSSSE.auth);
  });

  it('PIN RELOAD (SM4): enciphers the padded PIN block and MACs the unpadded input, 4-byte challenge as R ‖ 00000000', async () => {
    const v = VECTORS['03'];
    const psam = scriptedPsam([
      SELECT,
      [`80 1A 06 03 20 ${FACTORS} 12345678 00000000`, '9000'],
      ['80 FA 01 00 10 03123456 80000000 00000000 00000000', `${v.encPin123456} 9000`],
      [`80 1A 06 03 20 ${FACTORS} 12345678 00000000`, '9000'],
      [`80 FA 05 00 15 ${v.reloadInput}`, `${v.reloadMac} 9000`],
    ]);
    const svc = new PsamKeyService(psam);
    const pin = PinBuffer.fromString('123456');
    const enc = await svc.encryptPin(ctx03, 'PUK', h(INPUTS.challenge4), pin);
    pin.wipe();
    expect(toHex(enc)).toBe(v.encPin123456);
    expect(toHex(await svc.mac(ctx03, 'PUK', h(INPUTS.challenge4), h(v.reloadInput)))).toBe(v.reloadMac);
    expect(psam.remaining()).toBe(0);
  });

  it('APPLICATION BLOCK MAC (BK 07, 3DES)', async () => {
    const psam = scriptedPsam([
      SELECT,
      [`80 1A 07 01 20 ${FACTORS} 12345678 00000000`, '9000'],
      ['80 FA 05 00 05 84 1E 00 01 04', `${VECTORS['01'].appBlockMac} 9000`],
    ]);
    expect(toHex(await new PsamKeyService(psam).mac(ctx01, 'BK', h(INPUTS.challenge4), h('841E000104')))).toBe(VECTORS['01'].appBlockMac);
  });

  it.each([
    ['6985', 'PSAM_CONDITIONS_NOT_SATISFIED'],
    ['6A86', 'PSAM_BAD_PARAMETER'],
    ['6700', 'PSAM_WRONG_LENGTH'],
    ['6F00', 'PSAM_ERROR'],
  ])('maps CIPHER DATA status %s to %s', async (sw, code) => {
    const psam = scriptedPsam([SELECT, [`80 1A 01 01 20 ${FACTORS} ${INPUTS.internalR8}`, '9000'], [`80 FA 00 00 08 ${INPUTS.d8}`, sw]]);
    await expect(new PsamKeyService(psam).internalAuth(ctx01, h(INPUTS.internalR8), h(INPUTS.d8))).rejects.toMatchObject({
      layer: 'keys',
      code,
      sw,
    });
  });

  it('maps INIT FOR DESCRYPT 6A86 and a missing PSAM application', async () => {
    const bad = scriptedPsam([SELECT, [`80 1A 04 03 20 ${FACTORS} ${INPUTS.challenge8}`, '6A86']]);
    await expect(new PsamKeyService(bad).externalAuth(ctx03, 'UKSSSE', h(INPUTS.challenge8), h(INPUTS.d8))).rejects.toMatchObject({
      code: 'PSAM_BAD_PARAMETER',
      sw: '6A86',
    });
    const none = scriptedPsam([['00 A4 04 00 06 D15600000590', '6A82']]);
    await expect(PsamKeyService.open(none)).rejects.toMatchObject({ code: 'PSAM_NOT_FOUND', sw: '6A82' });
  });

  it('rejects an answer of the wrong length', async () => {
    const psam = scriptedPsam([SELECT, [`80 1A 01 01 20 ${FACTORS} ${INPUTS.internalR8}`, '9000'], [`80 FA 00 00 08 ${INPUTS.d8}`, '0102 9000']]);
    await expect(new PsamKeyService(psam).internalAuth(ctx01, h(INPUTS.internalR8), h(INPUTS.d8))).rejects.toMatchObject({ code: 'PSAM_ERROR' });
  });

  it('serializes concurrent operations so INIT/CIPHER pairs never interleave', async () => {
    const v = VECTORS['01'];
    const psam = scriptedPsam([
      SELECT,
      [`80 1A 0A 01 20 ${FACTORS} ${INPUTS.challenge8}`, '9000'],
      [`80 FA 00 00 08 ${INPUTS.d8}`, `${v.external.RKSSSE.auth} 9000`],
      [`80 1A 04 01 20 ${FACTORS} ${INPUTS.challenge8}`, '9000'],
      [`80 FA 00 00 08 ${INPUTS.d8}`, `${v.external.UKSSSE.auth} 9000`],
    ]);
    const svc = new PsamKeyService(psam);
    const [a, b] = await Promise.all([
      svc.externalAuth(ctx01, 'RKSSSE', h(INPUTS.challenge8), h(INPUTS.d8)),
      svc.externalAuth(ctx01, 'UKSSSE', h(INPUTS.challenge8), h(INPUTS.d8)),
    ]);
    expect([toHex(a), toHex(b)]).toEqual([v.external.RKSSSE.auth, v.external.UKSSSE.auth]);
  });
});
