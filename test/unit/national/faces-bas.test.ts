import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeHsmStep2, formatHsmStep2, parseHsmStep1 } from '../../../src/keys/hsm/hsm-two-step.js';
import { SoftKeyService } from '../../../src/keys/soft/soft-key-service.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';
import { BAS_DEVICE_NUMBER, BAS_EXPECTED } from '../../support/national-bas-expected.js';

/**
 * The daemon face (`card.readBas`, and the HSM two-step with the test as the HSM) gives, for every
 * simulated profile, the string of the shared table (test/support/national-bas-expected.ts).
 */
const EXPECTED = BAS_EXPECTED;
const PROFILES = Object.keys(EXPECTED);

describe('card.readBas per simulated profile', () => {
  let d: TestDaemon;
  let s: RpcSocket;
  beforeAll(async () => {
    d = await startTestDaemon({ simulated: { enabled: true, profiles: PROFILES }, national: { deviceNumber: BAS_DEVICE_NUMBER } }, { pcsc: false });
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
