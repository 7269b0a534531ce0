import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';

const PAGE = 'http://127.0.0.1:8131';

/**
 * The PIN budget attacked as a hostile page would (real sockets, default limits: 10 PIN
 * presentations per origin per minute, 5 per connection): requests that never present a PIN to a
 * card must cost nothing, and one connection must not spend what its origin's other connections need.
 */
describe('PIN budget: charged only for a PIN presented to a card, with a per-connection share', () => {
  let d: TestDaemon;
  beforeEach(async () => {
    d = await startTestDaemon({ allowedOrigins: [PAGE], simulated: { enabled: true, profiles: ['demo'] } }, { pcsc: false });
  });
  afterEach(() => d.stop());

  const codeOf = async (s: RpcSocket, method: string, params: unknown): Promise<string> => {
    const r = await s.call(method, params);
    return r.error?.data.code ?? 'OK';
  };

  it('pin.verify {reader: "no-such-reader"} and bad params, 30 times each, leave the budget whole', async () => {
    const attacker = await RpcSocket.ready(d.port, { origin: PAGE });
    const answers: string[] = [];
    for (let i = 0; i < 30; i++) answers.push(await codeOf(attacker, 'pin.verify', { reader: 'no-such-reader', pin: '123456' }));
    for (let i = 0; i < 30; i++) answers.push(await codeOf(attacker, 'pin.verify', { pin: '12' }));
    for (let i = 0; i < 30; i++) answers.push(await codeOf(attacker, 'pin.change', { reader: 'no-such-reader', oldPin: '123456', newPin: '135790' }));
    expect(answers.slice(0, 30).every((c) => c === 'READER_NOT_FOUND')).toBe(true);
    expect(answers.slice(30, 60).every((c) => c === 'INVALID_PARAMS')).toBe(true);
    expect(answers.slice(60).every((c) => c === 'READER_NOT_FOUND')).toBe(true);
    // the attacker's own connection still has its whole share, the origin its whole cap
    const victim = await RpcSocket.ready(d.port, { origin: PAGE });
    expect(await codeOf(victim, 'pin.verify', { pin: '123456' })).toBe('OK');
    expect(await codeOf(attacker, 'pin.verify', { pin: '123456' })).toBe('OK');
    attacker.close();
    victim.close();
  });

  it('one connection gets its share (5), the others of the origin the rest, the origin no more than its cap (10)', async () => {
    const greedy = await RpcSocket.ready(d.port, { origin: PAGE });
    const greedyCodes: string[] = [];
    for (let i = 0; i < 8; i++) greedyCodes.push(await codeOf(greedy, 'pin.verify', { pin: '123456' }));
    expect(greedyCodes).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    const other = await RpcSocket.ready(d.port, { origin: PAGE });
    const otherCodes: string[] = [];
    for (let i = 0; i < 5; i++) otherCodes.push(await codeOf(other, 'pin.verify', { pin: '123456' }));
    expect(otherCodes).toEqual(['OK', 'OK', 'OK', 'OK', 'OK']);
    // the origin's cap: a third connection finds the budget spent
    const third = await RpcSocket.ready(d.port, { origin: PAGE });
    const r = await third.call('pin.verify', { pin: '123456' });
    expect(r.error?.data).toMatchObject({ code: 'RATE_LIMITED' });
    expect(r.error?.data.retryAfterMs).toBeGreaterThan(0);
    // a refused request still never touched the card: the tries are intact
    const status = await (await RpcSocket.ready(d.port, { origin: PAGE })).ok('pin.status', {});
    expect(status).toMatchObject({ triesLeft: 3, blocked: false });
    for (const s of [greedy, other, third]) s.close();
  });
});
