import { describe, expect, it } from 'vitest';
import { createSimulatedPsam } from '../../../simulators/create-psam.js';
import { send } from './sim-helpers.js';
import { FACTORS, OPENSSL } from './security-helpers.js';

const SELECT_PSAM = '00A4040006D15600000590';
const R8 = '0102030405060708';
const D8 = '1122334455667788';
const R4PAD = 'A1B2C3D400000000';

function selectedPsam() {
  const psam = createSimulatedPsam();
  expect(send(psam, SELECT_PSAM)).toBe('9000');
  return psam;
}

describe('simulated PSAM (security profile, PSAM table)', () => {
  it('SELECT PSAM and the terminal number (before and after SELECT)', () => {
    const psam = createSimulatedPsam();
    expect(send(psam, '00B0960006')).toBe('4101008134759000');
    expect(send(psam, SELECT_PSAM)).toBe('9000');
    expect(send(psam, '00B0960006')).toBe('4101008134759000');
    expect(send(createSimulatedPsam({ terminalNumber: '123456789012' }), '00B0960006')).toBe('1234567890129000');
    expect(send(psam, '00A4040006D15600000591')).toBe('6A82');
  });

  it('has a T=0-style ATR and can be configured', () => {
    expect(Buffer.from(createSimulatedPsam().atr()).toString('hex').toUpperCase()).toBe('3B690000' + '53534341524450534D');
    expect(Buffer.from(createSimulatedPsam({ atr: '3B0100' }).atr()).toString('hex')).toBe('3b0100');
    expect(() => createSimulatedPsam({ terminalNumber: '4101' })).toThrow(/terminalNumber/);
    expect(() => createSimulatedPsam({ atr: 'XYZ' })).toThrow(/atr/);
  });

  for (const [id, alg] of [['demo', '01'], ['v3-sm4', '03']] as const) {
    const ref = OPENSSL[id];
    it(`${id} (${alg}): auth values for RKSSSE and IRK match the openssl numbers`, () => {
      const psam = selectedPsam();
      expect(send(psam, `801A0A${alg}20${FACTORS[id]}${R8}`)).toBe('9000');
      expect(send(psam, `80FA000008${D8}`)).toBe(`${ref.auth.RKSSSE}9000`);
      expect(send(psam, `801A01${alg}20${FACTORS[id]}${R8}`)).toBe('9000');
      expect(send(psam, `80FA000008${D8}`)).toBe(`${ref.auth.IRK}9000`);
    });

    it(`${id} (${alg}): MAC (the PSAM pads) and encryption for PUK match the openssl numbers`, () => {
      const psam = selectedPsam();
      expect(send(psam, `801A06${alg}20${FACTORS[id]}${R4PAD}`)).toBe('9000');
      expect(send(psam, '80FA0500058424000004')).toBe(`${ref.unblockMac}9000`);
      const plain = alg === '01' ? '0365432180000000' : '03654321800000000000000000000000';
      expect(send(psam, `80FA0100${(plain.length / 2).toString(16).padStart(2, '0')}${plain}`)).toBe(`${ref.reload.enc}9000`);
      const input = `84240001${alg === '01' ? '0C' : '14'}${ref.reload.enc}`;
      expect(send(psam, `80FA0500${(input.length / 2).toString(16).toUpperCase().padStart(2, '0')}${input}`)).toBe(`${ref.reload.mac}9000`);
    });
  }

  it('role codes 01 04 06 07 0A; unknown role, algorithm or mode -> 6A86', () => {
    const psam = selectedPsam();
    for (const role of ['01', '04', '06', '07', '0A']) expect(send(psam, `801A${role}0120${FACTORS.demo}${R8}`), role).toBe('9000');
    for (const role of ['00', '02', '05', '08', '0B']) expect(send(psam, `801A${role}0120${FACTORS.demo}${R8}`), role).toBe('6A86');
    for (const alg of ['00', '02', '04']) expect(send(psam, `801A0A${alg}20${FACTORS.demo}${R8}`), alg).toBe('6A86');
    for (const mode of ['02', '03', '04', '06']) expect(send(psam, `80FA${mode}0008${D8}`), mode).toBe('6A86');
    expect(send(psam, `80FA000108${D8}`)).toBe('6A86');
  });

  it('CIPHER DATA without INIT, or after INIT without R8 -> 6985; INIT without SELECT PSAM -> 6985', () => {
    const psam = selectedPsam();
    expect(send(psam, `80FA000008${D8}`)).toBe('6985');
    expect(send(psam, `801A0A0118${FACTORS.demo}`)).toBe('9000');
    expect(send(psam, `80FA000008${D8}`)).toBe('6985');
    expect(send(psam, '80FA0500058424000004')).toBe('6985');
    const fresh = createSimulatedPsam();
    expect(send(fresh, `801A0A0120${FACTORS.demo}${R8}`)).toBe('6985');
  });

  it('wrong lengths -> 6700', () => {
    const psam = selectedPsam();
    expect(send(psam, `801A0A0110${FACTORS.demo.slice(0, 32)}`)).toBe('6700');
    expect(send(psam, `801A0A0121${FACTORS.demo}${R8}00`)).toBe('6700');
    expect(send(psam, `801A0A0120${FACTORS.demo}${R8}`)).toBe('9000');
    expect(send(psam, `80FA000007${D8.slice(0, 14)}`)).toBe('6700');
    expect(send(psam, `80FA010007${D8.slice(0, 14)}`)).toBe('6700');
    expect(send(psam, '80FA0500')).toBe('6700');
    const sm4 = selectedPsam();
    expect(send(sm4, `801A0A0320${FACTORS['v3-sm4']}${R8}`)).toBe('9000');
    expect(send(sm4, `80FA010008${D8}`)).toBe('6700'); // SM4 blocks are 16 bytes
  });

  it('reset clears the session; a failing INIT keeps the previous one', () => {
    const psam = selectedPsam();
    expect(send(psam, `801A0A0120${FACTORS.demo}${R8}`)).toBe('9000');
    expect(send(psam, `801A0B0120${FACTORS.demo}${R8}`)).toBe('6A86');
    expect(send(psam, `80FA000008${D8}`)).toBe(`${OPENSSL.demo.auth.RKSSSE}9000`);
    psam.reset();
    send(psam, SELECT_PSAM);
    expect(send(psam, `80FA000008${D8}`)).toBe('6985');
  });

  it('other classes and instructions', () => {
    const psam = selectedPsam();
    expect(send(psam, `001A0A0120${FACTORS.demo}${R8}`)).toBe('6E00');
    expect(send(psam, '80CA000000')).toBe('6D00');
  });
});
