import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePcsc } from '../../../native-shims/fake-pcsc.js';
import { FakePinPad } from '../../../native-shims/fake-pin-pad.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { PcscReaderSource } from '../../../src/transport/pcsc/pcsc-reader-source.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';

const PAD = 'Gemalto PC Pinpad 00 00';

function post(port: number, path: string, body: string, headers: Record<string, string>, method = 'POST'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POST /national/i*PIN (docs/c-libraries.md "PIN functions") on a part 10 PIN-pad reader (fake PC/SC), over a real socket. */
describe('national PIN routes', () => {
  let d: TestDaemon;
  const fake = new FakePcsc();
  const pad = new FakePinPad();

  beforeAll(async () => {
    fake.addReader(PAD);
    const card = createSimulatedCard('demo');
    fake.insertCard(PAD, { atr: card.atr(), transmit: (x) => card.execute(x) });
    fake.attachPinPad(PAD, pad);
    const source = new PcscReaderSource({ binding: fake, serviceWaitMs: 300, removalCheckMs: 100, retryInitialMs: 20, retryMaxMs: 50, settleMinMs: 5 });
    d = await startTestDaemon({ allowedOrigins: ['http://his.example.org'], counterKeys: { source: 'soft', allowTestKeys: true } }, { pcsc: false, extraSources: [source] });
    await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(() => d.stop());
  const reader = () => ({ authorization: `Bearer ${d.readerToken}` });
  const counter = () => ({ authorization: `Bearer ${d.counterToken}` });

  it('the pad takes the PIN(s): verify 0, wrong -51 with tries left, change 0; a PIN sent for a pad reader is refused', async () => {
    pad.type('123456');
    expect(await post(d.port, '/national/iVerifyPIN', 'iType=1', reader())).toEqual({ status: 200, text: '0\n' });
    pad.type('111111');
    expect(await post(d.port, '/national/iVerifyPIN', '', reader())).toEqual({ status: 200, text: '-51\n密码错误，还可尝试2次 (wrong PIN, 2 tries left)' });
    pad.type('123456', '246810', '246810');
    expect(await post(d.port, '/national/iChangePIN', 'iType=3', reader())).toEqual({ status: 200, text: '0\n' });
    pad.type('cancel');
    expect((await post(d.port, '/national/iVerifyPIN', '', reader())).text).toMatch(/^-11\n密码输入已取消/);
    expect((await post(d.port, '/national/iVerifyPIN', 'pin=246810', reader())).text).toMatch(/^-11\n请在读卡器密码键盘上输入密码/);
    // iReloadPIN never uses the pad: the new PIN comes from the PC (428 until it does)
    expect(await post(d.port, '/national/iReloadPIN', 'iType=3', counter())).toMatchObject({ status: 428, text: expect.stringMatching(/^-11\n/) });
    expect(await post(d.port, '/national/iReloadPIN', 'iType=3&newPin=864209', counter())).toEqual({ status: 200, text: '0\n' });
    expect(await post(d.port, '/national/iUnblockPIN', '', counter())).toEqual({ status: 200, text: '0\n' });
  });

  it('refusals: no token 401; reader token on reload/unblock 403; any Origin 403; GET 405; a query string 400; bad fields -14', async () => {
    expect((await post(d.port, '/national/iVerifyPIN', '', {})).status).toBe(401);
    expect((await post(d.port, '/national/iReloadPIN', 'newPin=864209', reader())).status).toBe(403);
    expect((await post(d.port, '/national/iUnblockPIN', '', reader())).status).toBe(403);
    expect((await post(d.port, '/national/iVerifyPIN', '', { ...reader(), origin: 'http://his.example.org' })).status).toBe(403);
    expect((await post(d.port, '/national/iVerifyPIN', '', reader(), 'GET')).status).toBe(405);
    expect((await post(d.port, '/national/iVerifyPIN?pin=975310', '', reader())).status).toBe(400);
    expect((await post(d.port, '/national/iVerifyPIN', 'pin=97531x', reader())).text).toMatch(/^-14\n/);
    expect((await post(d.port, '/national/iChangePIN', 'oldPin=975310', reader())).text).toMatch(/^-14\n/);
    expect((await post(d.port, '/national/iVerifyPIN', 'pin=975310&pin=975310', reader())).text).toMatch(/^-14\n/);
    expect((await post(d.port, '/national/iVerifyPIN', 'iType=2', reader())).text).toMatch(/^-11\n/);
    expect((await post(d.port, '/national/iVerifyPIN', `pin=${'1'.repeat(300)}`, reader())).status).toBe(413);
    for (const pin of ['123456', '246810', '864209', '975310', '97531x']) expect(d.logs.text).not.toContain(pin);
  });
});

describe('national PIN routes: the PIN budget', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon({ simulated: { enabled: true, profiles: ['demo'] }, limits: { pinVerifyPerMinute: 2 } }, { pcsc: false });
  });
  afterAll(() => d.stop());

  it('PC-typed PINs: after the budget of the token role, -11 "too many PIN attempts" without presenting the PIN', async () => {
    const auth = { authorization: `Bearer ${d.readerToken}` };
    expect(await post(d.port, '/national/iVerifyPIN', 'pin=123456', auth)).toEqual({ status: 200, text: '0\n' });
    expect((await post(d.port, '/national/iVerifyPIN', 'pin=111111', auth)).text).toMatch(/^-51\n.*2 tries left/);
    expect((await post(d.port, '/national/iVerifyPIN', 'pin=123456', auth)).text).toMatch(/^-11\n密码尝试过于频繁/);
    // no PIN reached the card: still 2 tries left
    const s = await RpcSocket.ready(d.port, { token: d.readerToken });
    expect(await s.ok('pin.status', {})).toMatchObject({ triesLeft: 2, blocked: false });
    s.close();
  });
});
