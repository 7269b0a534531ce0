import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { createSimulatedPsam } from '../../../simulators/create-psam.js';
import { composeOperations, type Composition } from '../../../src/compose/compose-operations.js';
import { PinBuffer } from '../../../src/core/pin-buffer.js';
import { encodeNational } from '../../../src/service/national/bas-fields.js';
import { nationalFailure } from '../../../src/service/national/national-failure.js';
import { nationalOptions } from '../../../src/service/national/national-options.js';
import { findSpecDir } from '../../../src/specs/load-specs.js';
import { loadNationalInterfaceSpec } from '../../../src/specs/load-national-interface.js';
import { SpecError } from '../../../src/specs/spec-error.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';
import { ROOT } from '../../support/cli.js';

/**
 * iReadCardBas through the service on every simulated profile. The expected strings are written
 * by hand from docs/national-interface.md (field order, ATR historical bytes = the 13 bytes after
 * 3B 6D 00 00, version x.00, dates YYYYMMDD, 12 zeros without a PSAM, empty device number) and
 * each profile's JSON, never from the code.
 */
const EXPECTED: Record<string, string> = {
  demo: '110100|110105199003071036|A12345674|110100D156000005123456789ABCDEF0|王小明|00814A44468660110112345678|2.00|20250601|20350601|000000000000||',
  'v1-empty-version': '520100|520102196211051017|D45678901|520100D156000005456789AB2C3D4E5F|刘建国|00814E432386975201456789AB|1.00|20120315|20220315|000000000000||',
  'v1-zhang-san': '639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|000000000000||',
  'v2-bad-check': '330100|330106197709201021|C34567895|330100D1560000053456789A1B2C3D4E|陈丽华|00814A4446866033013456789A|2.00|20161108|20261108|000000000000||',
  'v2-long-name': '650100|65010219850612105X|B23456780|650100D156000005234567890A1B2C3D|艾合买提江·阿不都热合曼·吐尔逊托合提|00814E43238697650123456789|2.00|20180420|20280420|000000000000||',
  // 3.0: EF06 needs RKSSSE, so the read runs with a key source (the simulator's TEST keys).
  'v3-sm4': '440300|440305200102151026|E56789014|440300D15600000556789ABC3D4E5F60|林晓燕|00814A44468660440356789ABC|3.00|20240901|20340901|000000000000||',
};

const dataDir = mkdtempSync(join(tmpdir(), 'sscard-bas-'));
const ENV = { SSCARD_DATA_DIR: dataDir, SSCARD_CONFIG: '', SSCARD_NOW: '2026-12-01T09:00:00+08:00', SSCARD_SITE: '110100-bas-test', SSCARD_OPERATOR: 'bas.op' };
const open: Composition[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close(0);
});

async function compose(cards: { profileId: string; card: ReturnType<typeof createSimulatedCard> | ReturnType<typeof createSimulatedPsam> }[], keys: { source?: string; psamReader?: string } = {}, status: 'required' | 'none' = 'none') {
  const source = new InProcessReaderSource(cards);
  const c = composeOperations({ readers: { pcsc: false, extra: [source] }, keys, status, env: { ...process.env, ...ENV } });
  open.push(c);
  await c.start();
  return { ops: c.operations, source };
}

/** A demo card variant (another EEPROM state) as a profile value. */
function demoWith(state: Record<string, unknown>) {
  const json = JSON.parse(readFileSync(join(ROOT, 'simulators', 'profiles', 'demo.json'), 'utf8'));
  return createSimulatedCard({ ...json, id: 'demo-variant', security: { state } });
}

const options = nationalOptions();

describe('iReadCardBas from the service: the 11-field string per simulated profile', () => {
  it.each(Object.keys(EXPECTED))('%s', async (id) => {
    const { ops } = await compose([{ profileId: id, card: createSimulatedCard(id) }], id === 'v3-sm4' ? { source: 'soft' } : {});
    const r = await ops.readCardBas({}, { options });
    expect(r).toMatchObject({ kind: 'bas', code: 0, text: EXPECTED[id] });
    if (r.kind === 'bas') expect(r.text.split('|')).toHaveLength(12);
  });

  it('the docs example card with a PSAM: terminal number from the PSAM (the example string of docs/national-interface.md)', async () => {
    const { ops } = await compose([{ profileId: 'v1-zhang-san', card: createSimulatedCard('v1-zhang-san') }], { source: 'psam', psamReader: 'sim' });
    const r = await ops.readCardBas({}, { options });
    expect(r).toMatchObject({ code: 0, text: '639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|410100813475||' });
  });

  it('settings: device number, the extra trailing "|", GBK bytes', async () => {
    const { ops } = await compose([{ profileId: 'v1-zhang-san', card: createSimulatedCard('v1-zhang-san') }]);
    const o = nationalOptions({ deviceNumber: '00000000000000000001', extraTrailingSeparator: true, encoding: 'gbk' });
    const r = await ops.readCardBas({}, { options: o });
    expect(r.kind === 'bas' && r.text).toBe('639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|000000000000|00000000000000000001||');
    // 张三 in GBK is D5C5 C8FD.
    expect(encodeNational('|张三|', 'gbk').toString('hex').toUpperCase()).toBe('7CD5C5C8FD7C');
    expect(iconv.decode(encodeNational(r.kind === 'bas' ? r.text : '', 'gbk'), 'gbk')).toBe(r.kind === 'bas' ? r.text : 'x');
  });

  it('fields named (bas-json) in the table order', async () => {
    const { ops } = await compose([{ profileId: 'demo', card: createSimulatedCard('demo') }]);
    const r = await ops.readCardBas({}, { options });
    expect(r.kind === 'bas' && r.fields).toEqual({
      regionCode: '110100',
      ssn: '110105199003071036',
      cardNumber: 'A12345674',
      cardIdentificationCode: '110100D156000005123456789ABCDEF0',
      name: '王小明',
      atrHistorical: '00814A44468660110112345678',
      specVersion: '2.00',
      issueDate: '20250601',
      expiryDate: '20350601',
      terminalNumber: '000000000000',
      deviceNumber: '',
    });
  });
});

describe('national error codes', () => {
  it('no card: -2', async () => {
    const { ops, source } = await compose([{ profileId: 'demo', card: createSimulatedCard('demo') }]);
    source.remove(0);
    expect(await ops.readCardBas({}, { options })).toMatchObject({ kind: 'bas-failure', code: -2 });
    expect(await ops.readCardBas({ waitForCardMs: 0 }, { options })).toMatchObject({ kind: 'bas-failure', code: -2 });
  });

  it('wrong card type (a chip without the social-security application): -1', async () => {
    const { ops } = await compose([{ profileId: 'psam', card: createSimulatedPsam() }]);
    expect(await ops.readCardBas({}, { options })).toMatchObject({ kind: 'bas-failure', code: -1 });
  });

  it('3.0 card without keys: EF06 answers 6982 -> -27010', async () => {
    const { ops } = await compose([{ profileId: 'v3-sm4', card: createSimulatedCard('v3-sm4') }]);
    expect(await ops.readCardBas({}, { options })).toMatchObject({ kind: 'bas-failure', code: -0x6982 });
  });

  it('wrong PIN: -51 with the tries left in the text; blocked PIN: -52', async () => {
    const { ops } = await compose([
      { profileId: 'demo', card: createSimulatedCard('demo') },
      { profileId: 'blocked', card: demoWith({ pinTriesLeft: 0 }) },
    ], {}, 'required');
    const wrong = await ops.pinVerify({ target: { reader: 'sim:0:demo' }, pin: PinBuffer.fromString('654321'), confirmLastTry: false }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'WRONG_PIN' });
    const f = nationalFailure(wrong);
    expect(f.code).toBe(-51);
    expect(f.message).toContain('2');
    expect(f.message).not.toContain('654321');
    const blocked = await ops.pinVerify({ target: { reader: 'sim:1:blocked' }, pin: PinBuffer.fromString('123456'), confirmLastTry: true }).catch((e: unknown) => e);
    expect(nationalFailure(blocked).code).toBe(-52);
  });

  it('locked card: application block -37635 (9303), card block -27265 (6A81), registry lock the configured code (-3)', async () => {
    const { ops } = await compose(
      [
        { profileId: 'app', card: demoWith({ applicationBlocked: true }) },
        { profileId: 'card', card: demoWith({ cardBlocked: true }) },
        { profileId: 'demo', card: createSimulatedCard('demo') },
      ],
      {},
      'required',
    );
    expect(await ops.readCardBas({ reader: 'sim:0:app' }, { options })).toMatchObject({ code: -37635 });
    expect(await ops.readCardBas({ reader: 'sim:1:card' }, { options })).toMatchObject({ code: -27265 });
    await ops.lockCard({ card: { cardIdentificationCode: '110100D156000005123456789ABCDEF0', cardNumber: 'A12345674' }, kind: 'temporary', reason: 'lost' });
    expect(await ops.readCardBas({ reader: 'sim:2:demo' }, { options })).toMatchObject({ code: -3 });
    expect(await ops.readCardBas({ reader: 'sim:2:demo' }, { options: nationalOptions({ registryLockedCode: -9 }) })).toMatchObject({ code: -9 });
    expect(await ops.readCardBas({ reader: 'sim:2:demo' }, { options: nationalOptions({ refuseRegistryLocked: false }) })).toMatchObject({ code: 0 });
  });

  it('bad iType -14; contactless (2) on a contact reader -11', async () => {
    const { ops } = await compose([{ profileId: 'demo', card: createSimulatedCard('demo') }]);
    expect(await ops.readCardBas({}, { iType: 0, options })).toMatchObject({ code: -14 });
    expect(await ops.readCardBas({}, { iType: 2.5, options })).toMatchObject({ code: -14 });
    expect(await ops.readCardBas({}, { iType: 2, options })).toMatchObject({ code: -11 });
    expect(await ops.readCardBas({}, { iType: 4, options })).toMatchObject({ code: 0 });
  });

  it('card status words as -(SW decimal): 6983 -> -27011; unknown errors -> -11', () => {
    const spec = loadNationalInterfaceSpec();
    const card = { layer: 'card', code: 'UNEXPECTED_STATUS', sw: '6983' };
    expect(nationalFailure(Object.assign(Object.create(SpecError.prototype), card))).toMatchObject({ code: -27011 });
    expect(nationalFailure(new Error('boom'))).toEqual({ code: -11, message: spec.fallback.message });
  });
});

describe('bad input: settings and the spec table', () => {
  it('refuses bad settings naming the key', () => {
    expect(() => nationalOptions({ deviceNumber: 'a|b' })).toThrow(/deviceNumber/);
    expect(() => nationalOptions({ encoding: 'latin1' })).toThrow(/encoding/);
    expect(() => nationalOptions({ registryLockedCode: 3 })).toThrow(/registryLockedCode/);
  });

  it('a broken national-interface.json is a SpecError naming the entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-bas-spec-'));
    mkdirSync(dir, { recursive: true });
    const good = JSON.parse(readFileSync(join(findSpecDir(), 'national-interface.json'), 'utf8'));
    writeFileSync(join(dir, 'national-interface.json'), JSON.stringify({ ...good, errors: [...good.errors, { layer: 'card', code: 'X', national: 'NOPE', message: 'm' }] }));
    expect(() => loadNationalInterfaceSpec(dir)).toThrow(SpecError);
    expect(() => loadNationalInterfaceSpec(dir)).toThrow(/errors\[\d+\]\.national/);
    writeFileSync(join(dir, 'national-interface.json'), JSON.stringify({ ...good, basFields: good.basFields.slice(1) }));
    expect(() => loadNationalInterfaceSpec(dir)).toThrow(/basFields/);
    writeFileSync(join(dir, 'national-interface.json'), '{ not json');
    expect(() => loadNationalInterfaceSpec(dir)).toThrow(SpecError);
    copyFileSync(join(findSpecDir(), 'national-interface.json'), join(dir, 'national-interface.json'));
    expect(loadNationalInterfaceSpec(dir).codes.NO_PSAM).toBe(-2201);
  });
});

describe('bad input: daemon params and config', () => {
  it('card.readBas params: iType 1-4 integers only, unknown keys refused', async () => {
    const { METHODS } = await import('../../../src/daemon/protocol/methods.js');
    const p = METHODS['card.readBas'].params;
    expect(p.safeParse({}).success).toBe(true);
    expect(p.safeParse({ iType: 4 }).success).toBe(true);
    for (const bad of [{ iType: 0 }, { iType: 5 }, { iType: '1' }, { iType: 1.5 }, { pin: '123456' }]) expect(p.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('daemon config "national": unknown keys and bad values are refused', async () => {
    const { parseDaemonConfig } = await import('../../../src/daemon/daemon-config.js');
    expect(parseDaemonConfig({ national: { deviceNumber: '1' } }).national).toEqual({ deviceNumber: '1' });
    expect(() => parseDaemonConfig({ national: { encoding: 'latin1' } })).toThrow(/national/);
    expect(() => parseDaemonConfig({ national: { unknown: 1 } })).toThrow(/national/);
    expect(() => parseDaemonConfig({ national: { registryLockedCode: 0 } })).toThrow(/registryLockedCode/);
    expect(() => nationalOptions(parseDaemonConfig({ national: { deviceNumber: 'x|y' } }).national, 'daemon config national')).toThrow(/deviceNumber/);
  });
});
