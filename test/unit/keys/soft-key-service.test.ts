import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { PinBuffer } from '../../../src/core/pin-buffer.js';
import { cardKeyContext } from '../../../src/keys/card-key-context.js';
import { KeyError } from '../../../src/keys/key-error.js';
import { defaultTestKeysPath, MasterKeySet } from '../../../src/keys/soft/master-key-set.js';
import { SoftKeyService } from '../../../src/keys/soft/soft-key-service.js';
import { CARD, INPUTS, TEST_MASTER_KEYS, VECTORS } from './kat/reference-vectors.js';

const h = fromHex;
const dir = mkdtempSync(join(tmpdir(), 'sscard-keys-'));
function keyFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
/** A made-up non-test key set (not the public keys). */
const realish = { test: false, keys: { IRK: '00112233445566778899AABBCCDDEEFF', PUK: 'FFEEDDCCBBAA99887766554433221100' } };

describe('config/test-keys.json and the test-key policy', () => {
  it('ships the profile page test keys, marked test', () => {
    const set = MasterKeySet.fromFile(defaultTestKeysPath());
    expect(set.test).toBe(true);
    expect(set.roles.sort()).toEqual(['BK', 'IRK', 'PUK', 'RKSSSE', 'UKSSSE']);
    for (const [role, hex] of Object.entries(TEST_MASTER_KEYS)) expect(toHex(set.masterKey(role as 'IRK'))).toBe(hex);
  });

  it('refuses test keys unless allowTestKeys is set', () => {
    expect(() => SoftKeyService.fromFile(defaultTestKeysPath())).toThrow(expect.objectContaining({ code: 'TEST_KEYS_REFUSED' }));
    expect(() => SoftKeyService.fromFile(defaultTestKeysPath(), { allowTestKeys: false })).toThrow(KeyError);
    expect(SoftKeyService.fromFile(defaultTestKeysPath(), { allowTestKeys: true }).isTestKeySet).toBe(true);
    expect(SoftKeyService.withTestKeys().isTestKeySet).toBe(true);
  });

  it('recognises the public keys even in a file that claims test: false', () => {
    const path = keyFile('disguised.json', { test: false, keys: { PUK: TEST_MASTER_KEYS.PUK.toLowerCase() } });
    expect(MasterKeySet.fromFile(path).test).toBe(true);
    expect(() => SoftKeyService.fromFile(path)).toThrow(expect.objectContaining({ code: 'TEST_KEYS_REFUSED' }));
  });

  it('accepts other keys without the flag; a missing role is KEY_NOT_AVAILABLE', async () => {
    const svc = SoftKeyService.fromFile(keyFile('real.json', realish));
    expect(svc.isTestKeySet).toBe(false);
    const ctx = cardKeyContext({ algorithmId: '01', regionCode: CARD.regionCode, atr: h(CARD.atr) });
    await expect(svc.externalAuth(ctx, 'RKSSSE', h(INPUTS.challenge8), h(INPUTS.d8))).rejects.toMatchObject({ code: 'KEY_NOT_AVAILABLE' });
  });

  it('bad files are typed errors naming file and entry', () => {
    const cases: [string, unknown, string, string | undefined][] = [
      ['notjson.json', '{ test: true', 'KEY_FILE_INVALID', undefined],
      ['short.json', { test: false, keys: { IRK: '0011' } }, 'KEY_FILE_INVALID', 'keys.IRK'],
      ['role.json', { test: false, keys: { XYZ: '00112233445566778899AABBCCDDEEFF' } }, 'KEY_FILE_INVALID', 'keys'],
      ['noflag.json', { keys: realish.keys }, 'KEY_FILE_INVALID', 'test'],
      ['empty.json', { test: false, keys: {} }, 'KEY_FILE_INVALID', 'keys'],
    ];
    for (const [name, content, code, entry] of cases) {
      let err: unknown;
      try {
        MasterKeySet.fromFile(keyFile(name, content));
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(KeyError);
      const k = err as KeyError;
      expect(k.code, name).toBe(code);
      expect(k.details.file, name).toMatch(name);
      expect(k.message, name).toMatch(name);
      if (entry) expect(k.details.entry, name).toBe(entry);
    }
    expect(() => MasterKeySet.fromFile(join(dir, 'absent.json'))).toThrow(expect.objectContaining({ code: 'KEY_FILE_MISSING' }));
  });

  it('never prints key material', () => {
    const svc = SoftKeyService.withTestKeys();
    const set = MasterKeySet.testKeys();
    for (const text of [inspect(set), JSON.stringify(set), JSON.stringify(svc), inspect(svc)]) {
      for (const hex of Object.values(TEST_MASTER_KEYS)) expect(text.toUpperCase()).not.toContain(hex);
    }
  });
});

describe.each(['01', '03'] as const)('SoftKeyService with the test keys, algorithm %s, region 639900', (alg) => {
  const v = VECTORS[alg];
  const svc = SoftKeyService.withTestKeys();
  const ctx = cardKeyContext({ algorithmId: alg, regionCode: CARD.regionCode, atr: h(CARD.atr) });

  it('INTERNAL AUTHENTICATE expected answer', async () => {
    expect(toHex(await svc.internalAuth(ctx, h(INPUTS.internalR8), h(INPUTS.d8)))).toBe(v.internal.auth);
  });

  it('EXTERNAL AUTHENTICATE values', async () => {
    for (const role of ['RKSSSE', 'UKSSSE', 'PUK'] as const) {
      expect(toHex(await svc.externalAuth(ctx, role, h(INPUTS.challenge8), h(INPUTS.d8))), role).toBe(v.external[role].auth);
    }
  });

  it('PIN RELOAD: enciphered PIN and MAC under one session key; UNBLOCK and BLOCK MACs', async () => {
    const pin = PinBuffer.fromString(INPUTS.pin);
    const enc = await svc.encryptPin(ctx, 'PUK', h(INPUTS.challenge4), pin);
    expect(pin.wiped).toBe(false); // the caller owns and wipes it
    pin.wipe();
    expect(toHex(enc)).toBe(v.encPin123456);
    expect(toHex(await svc.mac(ctx, 'PUK', h(INPUTS.challenge4), h(v.reloadInput)))).toBe(v.reloadMac);
    expect(toHex(await svc.mac(ctx, 'PUK', h(INPUTS.challenge4), h('8424000004')))).toBe(v.unblockMac);
    expect(toHex(await svc.mac(ctx, 'BK', h(INPUTS.challenge4), h('841E000104')))).toBe(v.appBlockMac);
    expect(toHex(await svc.mac(ctx, 'BK', h(INPUTS.challenge4), h('8416000004')))).toBe(v.cardBlockMac);
  });

  it('a 4-byte challenge equals the same challenge given as R ‖ 00000000', async () => {
    const a = await svc.mac(ctx, 'PUK', h(INPUTS.challenge4), h('8424000004'));
    const b = await svc.mac(ctx, 'PUK', h(`${INPUTS.challenge4}00000000`), h('8424000004'));
    expect(toHex(a)).toBe(toHex(b));
  });

  it('rejects wrong input lengths', async () => {
    await expect(svc.internalAuth(ctx, h('11223344'), h(INPUTS.d8))).rejects.toMatchObject({ code: 'BAD_KEY_INPUT' });
    await expect(svc.externalAuth(ctx, 'RKSSSE', h(INPUTS.challenge8), h('0102'))).rejects.toMatchObject({ code: 'BAD_KEY_INPUT' });
  });
});
