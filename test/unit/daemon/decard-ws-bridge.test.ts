import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestDaemon, type TestDaemon } from '../../support/daemon.js';

/** The Decard-style WebSocket dialect (docs/bridges.md) over real loopback sockets. */
const ORIGIN = 'http://his.example.org:8080';
const ZHANG_SAN = '639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|000000000000||';

/** Opens a connection with the given headers; resolves the socket or the refusal's HTTP status. */
function connect(port: number, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { host: `127.0.0.1:${port}`, ...headers } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

function call(ws: WebSocket, message: string): Promise<{ result: string; out: string[] }> {
  return new Promise((resolve) => {
    ws.once('message', (d) => resolve(JSON.parse(d.toString())));
    ws.send(message);
  });
}

describe('Decard WebSocket bridge', () => {
  let d: TestDaemon;
  let port: number;
  beforeAll(async () => {
    d = await startTestDaemon({ allowedOrigins: [ORIGIN], simulated: { enabled: true, profiles: ['v1-zhang-san'] }, bridges: { decard: { enabled: true, port: 0 } } }, { pcsc: false });
    port = d.bridges.decard!.port;
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('off unless enabled', async () => {
    const plain = await startTestDaemon({}, { pcsc: false });
    expect(plain.bridges.decard).toBeUndefined();
    await plain.stop();
  });

  it('an allowed page: dc_init, iReadCardBas (iType as a string) -> result "0" and the 11-field string', async () => {
    const ws = (await connect(port, { origin: ORIGIN })) as WebSocket;
    expect(ws).toBeInstanceOf(WebSocket);
    expect(await call(ws, JSON.stringify({ func: 'dc_init', in: ['100', '115200'] }))).toEqual({ result: '0', out: [] });
    expect(await call(ws, JSON.stringify({ func: 'iReadCardBas', in: ['1'] }))).toEqual({ result: '0', out: [ZHANG_SAN] });
    expect(await call(ws, JSON.stringify({ func: 'iReadCardBas', in: ['2'] }))).toMatchObject({ result: '-11' });
    expect(await call(ws, JSON.stringify({ func: 'iReadCardBas', in: ['x'] }))).toMatchObject({ result: '-14' });
    ws.close();
  });

  it('a local program with the token is served', async () => {
    const ws = (await connect(port, { authorization: `Bearer ${d.readerToken}` })) as WebSocket;
    expect(await call(ws, JSON.stringify({ func: 'iReadCardBas', in: ['3'] }))).toEqual({ result: '0', out: [ZHANG_SAN] });
    ws.close();
  });

  it('a foreign Origin, a rebinding Host and a missing token are refused at the handshake', async () => {
    expect(await connect(port, { origin: 'https://evil.example' })).toBe(403);
    expect(await connect(port, { origin: ORIGIN, host: `evil.example:${port}` })).toBe(421);
    expect(await connect(port, {})).toBe(401);
  });

  it('bad input: not JSON, wrong shapes, binary, unsupported functions -> "-14" and the connection stays usable', async () => {
    const ws = (await connect(port, { origin: ORIGIN })) as WebSocket;
    for (const bad of ['{nope', '[]', '{"func": 1}', '{"func": "iReadCardBas", "in": [1]}', 'null']) expect((await call(ws, bad)).result, bad).toBe('-14');
    expect(await call(ws, JSON.stringify({ func: 'dc_getinputpass', in: [] }))).toMatchObject({ result: '-14', out: [expect.stringMatching(/^not supported: dc_getinputpass/)] });
    const binary = await new Promise<{ result: string }>((resolve) => {
      ws.once('message', (m) => resolve(JSON.parse(m.toString())));
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
    });
    expect(binary.result).toBe('-14');
    expect(await call(ws, JSON.stringify({ func: 'iReadCardBas' }))).toEqual({ result: '0', out: [ZHANG_SAN] });
    ws.close();
  });

  it('a text frame with invalid UTF-8 closes 1007, one over 4 KiB closes 1009: logged, no uncaught exception, the bridge serves on (bridge fuzz)', async () => {
    const closed = async (data: Buffer | string) => {
      const ws = (await connect(port, { origin: ORIGIN })) as WebSocket;
      const code = new Promise<number>((resolve) => ws.once('close', resolve));
      ws.send(data, { binary: false });
      return code;
    };
    expect(await closed(Buffer.from([0x7b, 0x22, 0xff, 0xc0, 0xaf, 0xed, 0xa0, 0x80]))).toBe(1007);
    expect(await closed(`{"func":"iReadCardBas","in":["${'9'.repeat(5000)}"]}`)).toBe(1009);
    expect(d.logs.lines.filter((l) => l.includes('bridge frame refused')).map((l) => JSON.parse(l).code)).toEqual(expect.arrayContaining(['WS_ERR_INVALID_UTF8', 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH']));
    const ws = (await connect(port, { origin: ORIGIN })) as WebSocket;
    expect(await call(ws, JSON.stringify({ func: 'dc_init', in: [] }))).toEqual({ result: '0', out: [] });
    ws.close();
  });

  it('a PIN-like digit run as the function name is masked in the reply, never echoed (bridge fuzz)', async () => {
    const ws = (await connect(port, { origin: ORIGIN })) as WebSocket;
    expect(await call(ws, JSON.stringify({ func: '58209163', in: ['3', '58209163'] }))).toEqual({ result: '-14', out: [expect.stringMatching(/^not supported: \*{8} \(sscard answers /)] });
    expect((await call(ws, JSON.stringify({ func: 'dc_beep1', in: [] }))).out[0]).toMatch(/^not supported: dc_beep1 /);
    ws.close();
  });

  it('connections beyond limits.maxConnections are refused (503) at the handshake', async () => {
    const small = await startTestDaemon({ allowedOrigins: [ORIGIN], limits: { maxConnections: 1 }, bridges: { decard: { enabled: true, port: 0 } } }, { pcsc: false });
    const p = small.bridges.decard!.port;
    const first = (await connect(p, { origin: ORIGIN })) as WebSocket;
    expect(first).toBeInstanceOf(WebSocket);
    expect(await connect(p, { origin: ORIGIN })).toBe(503);
    first.close();
    await small.stop();
  });

  it('no card: the national -2', async () => {
    d.simulated!.remove(0);
    const ws = (await connect(port, { origin: ORIGIN })) as WebSocket;
    expect(await call(ws, JSON.stringify({ func: 'iReadCardBas', in: ['3'] }))).toMatchObject({ result: '-2' });
    ws.close();
  });
});
