import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { PinError } from '../../../src/cards/social-security/pin/pin-error.js';
import { composeOperations, type Composition } from '../../../src/compose/compose-operations.js';
import { PinBuffer } from '../../../src/core/pin-buffer.js';
import { KeyError } from '../../../src/keys/key-error.js';
import { NationalError } from '../../../src/service/national/national-error.js';
import { nationalFailure } from '../../../src/service/national/national-failure.js';
import { nationalOptions } from '../../../src/service/national/national-options.js';
import type { NationalPinFunction } from '../../../src/service/national/national-pin-functions.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';

/** The national PIN functions (docs/national-interface.md "PIN functions"): the result mapping and the operation on a simulated card. */
const dataDir = mkdtempSync(join(tmpdir(), 'sscard-national-pin-'));
const ENV = { SSCARD_DATA_DIR: dataDir, SSCARD_CONFIG: '', SSCARD_SITE: '110100-pin-test', SSCARD_OPERATOR: 'pin.op' };
const open: Composition[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close(0);
});
const options = nationalOptions();

describe('national PIN results: the one mapping table', () => {
  it('wrong PIN -51 with the tries left in the text; blocked -52; keys missing -2201; no PIN entry -11; a card SW -(SW)', () => {
    expect(nationalFailure(new PinError('WRONG_PIN', 'x', { triesLeft: 2 }))).toEqual({ code: -51, message: '密码错误，还可尝试2次 (wrong PIN, 2 tries left)' });
    expect(nationalFailure(new PinError('PIN_BLOCKED', 'x', { sw: '6983' })).code).toBe(-52);
    expect(nationalFailure(new PinError('PIN_FORMAT', 'x')).code).toBe(-14);
    for (const code of ['TEST_KEYS_REFUSED', 'KEY_NOT_AVAILABLE', 'KEY_FILE_MISSING', 'PSAM_NOT_FOUND'] as const) {
      expect(nationalFailure(new KeyError(code, 'x'))).toMatchObject({ code: -2201 });
    }
    expect(nationalFailure(new NationalError('PIN_ENTRY_ON_PC', 'x')).code).toBe(-11);
    expect(nationalFailure(new NationalError('PIN_RATE_LIMITED', 'x')).code).toBe(-11);
    for (const code of ['PIN_ENTRY_TIMEOUT', 'PIN_ENTRY_CANCELLED', 'PIN_PAD_REQUIRED'] as const) expect(nationalFailure(new PinError(code, 'x')).code).toBe(-11);
  });
});

describe('nationalPin on a simulated card (no PIN pad)', () => {
  async function compose(keys: { source?: string } = {}) {
    const source = new InProcessReaderSource([{ profileId: 'demo', card: createSimulatedCard('demo') }]);
    const c = composeOperations({ readers: { pcsc: false, extra: [source] }, keys, status: 'required', env: { ...process.env, ...ENV } });
    open.push(c);
    await c.start();
    return c.operations;
  }
  const pins = (...p: string[]) => p.map((x) => PinBuffer.fromString(x));
  const call = (ops: Awaited<ReturnType<typeof compose>>, fn: NationalPinFunction, given?: string[], iType?: number) =>
    ops.nationalPin({}, { fn, iType, pins: given && pins(...given), options });

  it('verify, wrong, blocked, unblock, reload, change: 0 or the national code; no pad -> PC entry asked', async () => {
    const ops = await compose({ source: 'soft' });
    expect(await call(ops, 'iVerifyPIN')).toMatchObject({ code: -11, pcEntry: true });
    expect(await call(ops, 'iReloadPIN')).toMatchObject({ code: -11, pcEntry: true });
    expect(await call(ops, 'iVerifyPIN', ['123456'])).toEqual({ code: 0, message: '' });
    expect(await call(ops, 'iVerifyPIN', ['111111'])).toEqual({ code: -51, message: '密码错误，还可尝试2次 (wrong PIN, 2 tries left)', pcEntry: false });
    expect(await call(ops, 'iVerifyPIN', ['111111'])).toMatchObject({ code: -51, message: expect.stringContaining('1 tries left') });
    expect(await call(ops, 'iVerifyPIN', ['111111'])).toMatchObject({ code: -52 });
    expect(await call(ops, 'iVerifyPIN', ['123456'])).toMatchObject({ code: -52 });
    expect(await call(ops, 'iUnblockPIN')).toEqual({ code: 0, message: '' });
    expect(await call(ops, 'iVerifyPIN', ['123456'])).toEqual({ code: 0, message: '' });
    expect(await call(ops, 'iReloadPIN', ['864209'])).toEqual({ code: 0, message: '' });
    expect(await call(ops, 'iChangePIN', ['864209', '135790'])).toEqual({ code: 0, message: '' });
    expect(await call(ops, 'iVerifyPIN', ['135790'])).toEqual({ code: 0, message: '' });
  });

  it('bad requests: iType 2 -11, iType 9 -14, a wrong number of PINs -14, a PIN too short -14', async () => {
    const ops = await compose();
    expect(await call(ops, 'iVerifyPIN', ['123456'], 2)).toMatchObject({ code: -11 });
    expect(await call(ops, 'iVerifyPIN', ['123456'], 9)).toMatchObject({ code: -14 });
    expect(await call(ops, 'iChangePIN', ['123456'])).toMatchObject({ code: -14 });
    expect(await call(ops, 'iUnblockPIN', ['123456'])).toMatchObject({ code: -14 });
    expect(await call(ops, 'iVerifyPIN', ['12'])).toMatchObject({ code: -14 });
  });

  it('no card -2', async () => {
    const source = new InProcessReaderSource([{ profileId: 'demo', card: createSimulatedCard('demo') }]);
    const c = composeOperations({ readers: { pcsc: false, extra: [source] }, keys: {}, status: 'required', env: { ...process.env, ...ENV } });
    open.push(c);
    await c.start();
    source.remove(0);
    expect(await c.operations.nationalPin({}, { fn: 'iVerifyPIN', options })).toMatchObject({ code: -2 });
    expect(await c.operations.nationalPin({}, { fn: 'iUnblockPIN', options })).toMatchObject({ code: -2 });
  });
});
