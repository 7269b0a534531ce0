import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeHsmStep2, formatHsmStep2, parseHsmStep1 } from '../../../src/keys/hsm/hsm-two-step.js';
import { SoftKeyService } from '../../../src/keys/soft/soft-key-service.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';

/**
 * The daemon face (`card.readBas`, and the HSM two-step with the test as the HSM) gives, for every
 * simulated profile, the string written by hand from docs/national-interface.md and the profile
 * JSON (device number from the daemon config).
 */
const EXPECTED: Record<string, string> = {
  demo: '110100|110105199003071036|A12345674|110100D156000005123456789ABCDEF0|王小明|00814A44468660110112345678|2.00|20250601|20350601|000000000000|DEV-1|',
  'v1-empty-version': '520100|520102196211051017|D45678901|520100D156000005456789AB2C3D4E5F|刘建国|00814E432386975201456789AB|1.00|20120315|20220315|000000000000|DEV-1|',
  'v1-zhang-san': '639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|000000000000|DEV-1|',
  'v2-bad-check': '330100|330106197709201021|C34567895|330100D1560000053456789A1B2C3D4E|陈丽华|00814A4446866033013456789A|2.00|20161108|20261108|000000000000|DEV-1|',
  'v2-long-name': '650100|65010219850612105X|B23456780|650100D156000005234567890A1B2C3D|艾合买提江·阿不都热合曼·吐尔逊托合提|00814E43238697650123456789|2.00|20180420|20280420|000000000000|DEV-1|',
  // the national read uses the daemon's keys (here the TEST keys of the simulated readers) for RKSSSE
  'v3-sm4': '440300|440305200102151026|E56789014|440300D15600000556789ABC3D4E5F60|林晓燕|00814A44468660440356789ABC|3.00|20240901|20340901|000000000000|DEV-1|',
};
const PROFILES = Object.keys(EXPECTED);

describe('card.readBas per simulated profile', () => {
  let d: TestDaemon;
  let s: RpcSocket;
  beforeAll(async () => {
    d = await startTestDaemon({ simulated: { enabled: true, profiles: PROFILES }, national: { deviceNumber: 'DEV-1' } }, { pcsc: false });
    s = await RpcSocket.ready(d.port, { token: d.readerToken });
  });
  afterAll(async () => {
    s?.close();
    await d?.stop();
  });

  it.each(PROFILES.map((p, i) => [p, i] as const))('%s', async (profile, i) => {
    const r = await s.ok('card.readBas', { reader: `sim:${i}:${profile}`, iType: 3 });
    expect(r).toMatchObject({ code: 0, text: EXPECTED[profile], message: null });
  });

  it.each(PROFILES.map((p, i) => [p, i] as const))('%s: card.readBasHsmStep1 -> card.readBasHsmStep2 with the HSM values', async (profile, i) => {
    const reader = `sim:${i}:${profile}`;
    const s1 = await s.ok('card.readBasHsmStep1', { reader, iType: 1 });
    expect(s1).toMatchObject({ code: 0, reader: { id: reader }, message: null });
    const key = formatHsmStep2(await computeHsmStep2(parseHsmStep1(s1.text as string), SoftKeyService.withTestKeys()));
    expect(await s.ok('card.readBasHsmStep2', { reader, key })).toMatchObject({ code: 0, text: EXPECTED[profile], message: null });
    expect(await s.ok('card.readBasHsmStep2', { reader, key })).toMatchObject({ code: -14, text: null, fields: null });
  });
});
