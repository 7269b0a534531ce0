import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
