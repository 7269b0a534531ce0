import { afterEach, describe, expect, it } from 'vitest';
import { getEventListeners } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { createSimulatedPsam } from '../../../simulators/create-psam.js';
import { composeOperations, type Composition } from '../../../src/compose/compose-operations.js';
import { computeHsmStep2, formatHsmStep2, parseHsmStep1 } from '../../../src/keys/hsm/hsm-two-step.js';
import { SoftKeyService } from '../../../src/keys/soft/soft-key-service.js';
import { nationalOptions } from '../../../src/service/national/national-options.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';

/**
 * iReadCardBas_HSM_Step1 / Step2 through the service on every simulated profile, with the test
 * playing the HSM (the simulator's public TEST keys). Expected strings are written by hand from
 * docs/national-interface.md ("HSM two-step") and each profile's JSON (region, ATR, algorithm FCI
 * tag 86, card identification code); the 11-field strings are those of read-card-bas.test.ts.
 */
const PROFILES: Record<string, { step1Head: string; external: boolean; bas: string }> = {
  demo: {
    step1Head: '110100|00814A44468660110112345678|01|110100D156000005123456789ABCDEF0|',
    external: false,
    bas: '110100|110105199003071036|A12345674|110100D156000005123456789ABCDEF0|王小明|00814A44468660110112345678|2.00|20250601|20350601|000000000000||',
  },
  'v1-zhang-san': {
    step1Head: '639900|00814E43238697159900BF7C7A|01|639900D15600000500BF7C7A48FB4966|',
    external: false,
    bas: '639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|000000000000||',
  },
  'v1-empty-version': {
    step1Head: '520100|00814E432386975201456789AB|01|520100D156000005456789AB2C3D4E5F|',
    external: false,
    bas: '520100|520102196211051017|D45678901|520100D156000005456789AB2C3D4E5F|刘建国|00814E432386975201456789AB|1.00|20120315|20220315|000000000000||',
  },
  'v2-bad-check': {
    step1Head: '330100|00814A4446866033013456789A|01|330100D1560000053456789A1B2C3D4E|',
    external: false,
    bas: '330100|330106197709201021|C34567895|330100D1560000053456789A1B2C3D4E|陈丽华|00814A4446866033013456789A|2.00|20161108|20261108|000000000000||',
  },
  'v2-long-name': {
    step1Head: '650100|00814E43238697650123456789|01|650100D156000005234567890A1B2C3D|',
    external: false,
    bas: '650100|65010219850612105X|B23456780|650100D156000005234567890A1B2C3D|艾合买提江·阿不都热合曼·吐尔逊托合提|00814E43238697650123456789|2.00|20180420|20280420|000000000000||',
  },
  'v3-sm4': {
    step1Head: '440300|00814A44468660440356789ABC|03|440300D15600000556789ABC3D4E5F60|',
    external: true,
    bas: '440300|440305200102151026|E56789014|440300D15600000556789ABC3D4E5F60|林晓燕|00814A44468660440356789ABC|3.00|20240901|20340901|000000000000||',
  },
};

const dataDir = mkdtempSync(join(tmpdir(), 'sscard-bas-hsm-'));
const ENV = { SSCARD_DATA_DIR: dataDir, SSCARD_CONFIG: '', SSCARD_SITE: '110100-hsm-test', SSCARD_OPERATOR: 'hsm.op' };
const open: Composition[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close(0);
});

/** No key source configured: the HSM is the only key holder. */
async function compose(cards: { profileId: string; card: ReturnType<typeof createSimulatedCard> | ReturnType<typeof createSimulatedPsam> }[]) {
  const source = new InProcessReaderSource(cards);
  const c = composeOperations({ readers: { pcsc: false, extra: [source] }, keys: {}, status: 'none', env: { ...process.env, ...ENV } });
  open.push(c);
  await c.start();
  return { ops: c.operations, source };
}

const options = nationalOptions();
const HSM = SoftKeyService.withTestKeys();
/** What the caller's HSM answers for a Step1 string. */
const hsmKey = async (step1: string) => formatHsmStep2(await computeHsmStep2(parseHsmStep1(step1), HSM));
const HEX16 = '[0-9A-F]{16}';

describe('iReadCardBas_HSM_Step1 -> Step2 per simulated profile (no keys configured)', () => {
  it.each(Object.keys(PROFILES))('%s', async (id) => {
    const want = PROFILES[id]!;
    const { ops } = await compose([{ profileId: id, card: createSimulatedCard(id) }]);
    const s1 = await ops.readCardBasHsmStep1({}, { iType: 1, options });
    expect(s1).toMatchObject({ kind: 'hsm-step1', code: 0 });
    const text = s1.kind === 'hsm-step1' ? s1.text : '';
    // region|ATR hist|alg id|card id|internal factor|internal original|external factor|external original|
    const ext = want.external ? `${HEX16}\\|${HEX16}\\|` : '\\|\\|';
    expect(text).toMatch(new RegExp(`^${want.step1Head.replaceAll('|', '\\|')}${HEX16}\\|${HEX16}\\|${ext}$`));
    expect(text.split('|')).toHaveLength(9);
    const key = await hsmKey(text);
    expect(key).toMatch(want.external ? /^[0-9A-F]{32}\|[0-9A-F]{32}\|$/ : /^[0-9A-F]{32}\|\|$/);
    const s2 = await ops.readCardBasHsmStep2({}, { key, options });
    expect(s2).toMatchObject({ kind: 'bas', code: 0, text: want.bas });
    // single use: the same values again find no step 1
    expect(await ops.readCardBasHsmStep2({}, { key, options })).toMatchObject({ kind: 'bas-failure', code: -14, message: expect.stringContaining('step 1') });
  });
});

describe('Step2 pKey parsing: each malformed or foreign pKey is -14, and ends the step 1', () => {
  it.each([
    ['empty', () => ''],
    ['not hex', (k: string) => k.replace(/^[0-9A-F]/, 'G')],
    ['internal part one digit short', (k: string) => k.slice(1)],
    ['internal part one digit long', (k: string) => `0${k}`],
    ['no separator', (k: string) => k.replaceAll('|', '')],
    ['three parts', (k: string) => `${k}${'0'.repeat(32)}|`],
    ['external part missing (3.0 card)', (k: string) => `${k.split('|')[0]}||`],
    ['internal original of another step 1', (k: string) => `${k.slice(0, 16)}${'0'.repeat(16)}${k.slice(32)}`],
    ['external original of another step 1', (k: string) => `${k.slice(0, 33)}${k.slice(33, 49)}${'1'.repeat(16)}|`],
    ['external part short', (k: string) => `${k.slice(0, 33)}${'0'.repeat(31)}|`],
  ])('%s', async (_name, mutate) => {
    const { ops } = await compose([{ profileId: 'v3-sm4', card: createSimulatedCard('v3-sm4') }]);
    const s1 = await ops.readCardBasHsmStep1({}, { options });
    const good = await hsmKey(s1.kind === 'hsm-step1' ? s1.text : '');
    expect(await ops.readCardBasHsmStep2({}, { key: mutate(good), options })).toMatchObject({ kind: 'bas-failure', code: -14 });
    expect(await ops.readCardBasHsmStep2({}, { key: good, options })).toMatchObject({ code: -14, message: expect.stringContaining('step 1') });
    // nothing reached the card: a new step 1 -> step 2 reads
    const again = await ops.readCardBasHsmStep1({}, { options });
    expect(await ops.readCardBasHsmStep2({}, { key: await hsmKey(again.kind === 'hsm-step1' ? again.text : ''), options })).toMatchObject({ code: 0 });
  });

  it('an external part on a card whose step 1 prepared none is -14', async () => {
    const { ops } = await compose([{ profileId: 'demo', card: createSimulatedCard('demo') }]);
    const s1 = await ops.readCardBasHsmStep1({}, { options });
    const good = await hsmKey(s1.kind === 'hsm-step1' ? s1.text : '');
    expect(await ops.readCardBasHsmStep2({}, { key: `${good.slice(0, 33)}${'0'.repeat(32)}|`, options })).toMatchObject({ code: -14 });
  });
});

describe('HSM two-step national errors', () => {
  it('Step2 without a Step1: -14 with a message naming step 1', async () => {
    const { ops } = await compose([{ profileId: 'demo', card: createSimulatedCard('demo') }]);
    const r = await ops.readCardBasHsmStep2({}, { key: `${'0'.repeat(32)}||`, options });
    expect(r).toEqual({ kind: 'bas-failure', code: -14, message: expect.stringContaining('iReadCardBas_HSM_Step1') });
  });

  it('a tampered internal value: the card answers otherwise -> -21', async () => {
    const { ops } = await compose([{ profileId: 'v3-sm4', card: createSimulatedCard('v3-sm4') }]);
    const s1 = await ops.readCardBasHsmStep1({}, { options });
    const good = await hsmKey(s1.kind === 'hsm-step1' ? s1.text : '');
    const flip = (good[0] === '0' ? '1' : '0') + good.slice(1);
    expect(await ops.readCardBasHsmStep2({}, { key: flip, options })).toMatchObject({ code: -21 });
  });

  it('a tampered external value: the card refuses EXTERNAL AUTHENTICATE with 63Cx -> -(SW)', async () => {
    const { ops } = await compose([{ profileId: 'v3-sm4', card: createSimulatedCard('v3-sm4') }]);
    const s1 = await ops.readCardBasHsmStep1({}, { options });
    const good = await hsmKey(s1.kind === 'hsm-step1' ? s1.text : '');
    const flip = `${good.slice(0, 33)}${good[33] === '0' ? '1' : '0'}${good.slice(34)}`;
    const r = await ops.readCardBasHsmStep2({}, { key: flip, options });
    expect(r.code).toBeLessThanOrEqual(-0x63c0);
    expect(r.code).toBeGreaterThanOrEqual(-0x63cf);
  });

  it('no card -2; a PSAM (wrong card type) -1; bad iType -14; contactless -11', async () => {
    const { ops, source } = await compose([{ profileId: 'psam', card: createSimulatedPsam() }]);
    expect(await ops.readCardBasHsmStep1({}, { options })).toMatchObject({ code: -1 });
    expect(await ops.readCardBasHsmStep1({}, { iType: 7, options })).toMatchObject({ code: -14 });
    expect(await ops.readCardBasHsmStep1({}, { iType: 2, options })).toMatchObject({ code: -11 });
    source.remove(0);
    expect(await ops.readCardBasHsmStep1({}, { options })).toMatchObject({ code: -2 });
  });

  it('the card pulled and another inserted since step 1: -14 naming the change', async () => {
    const { ops, source } = await compose([{ profileId: 'v3-sm4', card: createSimulatedCard('v3-sm4') }]);
    const s1 = await ops.readCardBasHsmStep1({}, { options });
    const key = await hsmKey(s1.kind === 'hsm-step1' ? s1.text : '');
    source.remove(0);
    source.insert(0, createSimulatedCard('v3-sm4'));
    expect(await ops.readCardBasHsmStep2({}, { key, options })).toMatchObject({ code: -14, message: expect.stringContaining('removed or changed') });
  });

  it('a newer step 1 ends the older one; an expired step 1 frees the reader', async () => {
    const { ops } = await compose([{ profileId: 'demo', card: createSimulatedCard('demo') }]);
    const first = await ops.readCardBasHsmStep1({}, { options });
    const second = await ops.readCardBasHsmStep1({}, { options });
    const k1 = await hsmKey(first.kind === 'hsm-step1' ? first.text : '');
    const k2 = await hsmKey(second.kind === 'hsm-step1' ? second.text : '');
    expect(await ops.readCardBasHsmStep2({}, { key: k2, options })).toMatchObject({ code: 0 });
    expect(await ops.readCardBasHsmStep2({}, { key: k1, options })).toMatchObject({ code: -14, message: expect.stringContaining('step 1') });
    const short = await ops.readCardBasHsmStep1({}, { options, windowMs: 50 });
    await new Promise((r) => setTimeout(r, 150));
    expect(await ops.readCardBasHsmStep2({}, { key: await hsmKey(short.kind === 'hsm-step1' ? short.text : ''), options })).toMatchObject({ code: -14 });
    expect(await ops.readCardBas({}, { options })).toMatchObject({ code: 0 });
  });

  it('a step 1 whose requester went away (its connection closed: holdSignal) frees the reader at once', async () => {
    const { ops } = await compose([{ profileId: 'demo', card: createSimulatedCard('demo') }]);
    const connection = new AbortController();
    const step1 = await ops.readCardBasHsmStep1({}, { options, holdSignal: connection.signal });
    expect(step1).toMatchObject({ code: 0 });
    connection.abort();
    // within the 30 s window, yet the reader serves the next caller and the step 1 is gone
    expect(await ops.readCardBas({ operationTimeoutMs: 2_000 }, { options })).toMatchObject({ code: 0 });
    expect(await ops.readCardBasHsmStep2({}, { key: await hsmKey(step1.kind === 'hsm-step1' ? step1.text : ''), options })).toMatchObject({ code: -14, message: expect.stringContaining('step 1') });
  });

  it('a connection that runs many Step1 -> Step2 pairs keeps no abort listener on its signal after each', async () => {
    const { ops } = await compose([{ profileId: 'demo', card: createSimulatedCard('demo') }]);
    const connection = new AbortController();
    for (let i = 0; i < 3; i++) {
      const step1 = await ops.readCardBasHsmStep1({ signal: connection.signal }, { options, holdSignal: connection.signal });
      const key = await hsmKey(step1.kind === 'hsm-step1' ? step1.text : '');
      expect(await ops.readCardBasHsmStep2({ signal: connection.signal }, { key, options })).toMatchObject({ code: 0 });
      await new Promise((r) => setImmediate(r)); // the hold's cleanup runs after Step2 answered
      expect(getEventListeners(connection.signal, 'abort')).toHaveLength(0);
    }
  });
});
