import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';

const PAGE = 'http://127.0.0.1:8121';

/**
 * Counter operations never change the chip without their audit row: a daemon without a site
 * (status config) refuses pin.reset / pin.unblock / card.block before the card is touched.
 */
describe('counter operations need their audit context first', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon({ simulated: { enabled: true, profiles: ['demo'] } }, { pcsc: false, env: { ...process.env, SSCARD_SITE: '', SSCARD_OPERATOR: 'test.operator' } });
  });
  afterAll(() => d.stop());

  it('pin.reset without a site: STATUS_UNAVAILABLE, and the PIN on the card is unchanged', async () => {
    const counter = await RpcSocket.ready(d.port, { token: d.counterToken });
    expect(await counter.code('pin.reset', { newPin: '135790' })).toBe('STATUS_UNAVAILABLE');
    expect(await counter.code('pin.unblock', {})).toBe('STATUS_UNAVAILABLE');
    const reader = await RpcSocket.ready(d.port, { token: d.readerToken });
    expect((await reader.call('pin.verify', { pin: '135790' })).error?.data).toMatchObject({ code: 'WRONG_PIN' });
    expect((await reader.ok('pin.verify', { pin: '123456' })).ok).toBe(true);
    counter.close();
    reader.close();
  });
});

describe('the per-origin PIN limit covers pin.change as well as pin.verify', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon({ allowedOrigins: [PAGE], simulated: { enabled: true, profiles: ['demo'] }, limits: { pinVerifyPerMinute: 3 } }, { pcsc: false });
  });
  afterAll(() => d.stop());

  it('three PIN presentations, then RATE_LIMITED whichever method presents the PIN', async () => {
    const codes: string[] = [];
    for (const [method, params] of [
      ['pin.change', { oldPin: '000000', newPin: '135790' }],
      ['pin.change', { oldPin: '000000', newPin: '135790' }],
      // refused by the last-try guard: the PIN never reaches the card, nothing is charged
      ['pin.verify', { pin: '000000' }],
      ['pin.verify', { pin: '123456', confirmLastTry: true }],
      ['pin.change', { oldPin: '123456', newPin: '135790' }],
      ['pin.verify', { pin: '123456' }],
    ] as const) {
      const s = await RpcSocket.ready(d.port, { origin: PAGE });
      const r = await s.call(method, params);
      codes.push(r.error?.data.code ?? 'OK');
      s.close();
    }
    expect(codes).toEqual(['WRONG_PIN', 'WRONG_PIN', 'LAST_TRY_NOT_CONFIRMED', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);
  });
});
