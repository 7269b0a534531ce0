import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeHsmStep2, formatHsmStep2, parseHsmStep1 } from '../../../src/keys/hsm/hsm-two-step.js';
import { SoftKeyService } from '../../../src/keys/soft/soft-key-service.js';
import { startTestDaemon, type TestDaemon } from '../../support/daemon.js';

/** The C libraries' route GET /national/iReadCardBas (docs/c-libraries.md): answers and refusals over a real socket. */
function get(port: number, path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; type: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /national/iReadCardBas', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon({ allowedOrigins: ['http://his.example.org'], simulated: { enabled: true, profiles: ['v1-zhang-san'] }, national: { encoding: 'gbk' } }, { pcsc: false });
  });
  afterAll(async () => {
    await d?.stop();
  });
  const auth = () => ({ authorization: `Bearer ${d.readerToken}` });

  it('answers <code>\\n<text> in the national encoding (GBK here)', async () => {
    const r = await get(d.port, '/national/iReadCardBas?iType=1', auth());
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/plain; charset=gbk');
    expect(r.body.toString('latin1').startsWith('0\n639900|111111198101011110|X00000019|')).toBe(true);
    expect(r.body.includes(Buffer.from('D5C5C8FD', 'hex'))).toBe(true);
  });

  it('refuses: no token 401, wrong token 403, any browser Origin (even allow-listed) 403, rebinding Host 421, POST 405; bad iType is -14', async () => {
    expect((await get(d.port, '/national/iReadCardBas', {})).status).toBe(401);
    expect((await get(d.port, '/national/iReadCardBas', { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(403);
    expect((await get(d.port, '/national/iReadCardBas', { ...auth(), origin: 'http://his.example.org' })).status).toBe(403);
    expect((await get(d.port, '/national/iReadCardBas', { ...auth(), host: `evil.example:${d.port}` })).status).toBe(421);
    expect((await get(d.port, '/national/iReadCardBas', auth(), 'POST')).status).toBe(405);
    expect((await get(d.port, '/national/iReadCardBas?iType=x', auth())).body.toString('latin1')).toMatch(/^-14\n/);
  });
});

describe('GET /national/iReadCardBas_HSM_Step1 and _Step2', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon({ allowedOrigins: ['http://his.example.org'], simulated: { enabled: true, profiles: ['v3-sm4'] } }, { pcsc: false });
  });
  afterAll(async () => {
    await d?.stop();
  });
  const auth = () => ({ authorization: `Bearer ${d.readerToken}` });
  const answer = (r: { body: Buffer }) => r.body.toString('utf8');

  it('step 1 gives the factors, step 2 (pKey URL-encoded) the 11-field string; a second step 2 is -14', async () => {
    const s1 = answer(await get(d.port, '/national/iReadCardBas_HSM_Step1?iType=3', auth()));
    expect(s1).toMatch(/^0\n440300\|00814A44468660440356789ABC\|03\|440300D15600000556789ABC3D4E5F60\|([0-9A-F]{16}\|){4}$/);
    const key = formatHsmStep2(await computeHsmStep2(parseHsmStep1(s1.slice(2)), SoftKeyService.withTestKeys()));
    const path = `/national/iReadCardBas_HSM_Step2?key=${encodeURIComponent(key)}`;
    expect(answer(await get(d.port, path, auth()))).toBe('0\n440300|440305200102151026|E56789014|440300D15600000556789ABC3D4E5F60|林晓燕|00814A44468660440356789ABC|3.00|20240901|20340901|000000000000||');
    expect(answer(await get(d.port, path, auth()))).toMatch(/^-14\n.*step 1/);
  });

  it('refusals as iReadCardBas: no token 401, browser Origin 403, rebinding Host 421, POST 405; no key / bad iType -14', async () => {
    for (const path of ['/national/iReadCardBas_HSM_Step1', '/national/iReadCardBas_HSM_Step2?key=00']) {
      expect((await get(d.port, path, {})).status).toBe(401);
      expect((await get(d.port, path, { ...auth(), origin: 'http://his.example.org' })).status).toBe(403);
      expect((await get(d.port, path, { ...auth(), host: `evil.example:${d.port}` })).status).toBe(421);
      expect((await get(d.port, path, auth(), 'POST')).status).toBe(405);
    }
    expect(answer(await get(d.port, '/national/iReadCardBas_HSM_Step1?iType=0', auth()))).toMatch(/^-14\n/);
    expect(answer(await get(d.port, '/national/iReadCardBas_HSM_Step2', auth()))).toMatch(/^-14\n/);
  });
});
