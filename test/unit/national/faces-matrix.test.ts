import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakePcsc } from '../../../native-shims/fake-pcsc.js';
import { FakePinPad } from '../../../native-shims/fake-pin-pad.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { createSimulatedPsam } from '../../../simulators/create-psam.js';
import { computeHsmStep2, formatHsmStep2, parseHsmStep1 } from '../../../src/keys/hsm/hsm-two-step.js';
import { SoftKeyService } from '../../../src/keys/soft/soft-key-service.js';
import { PcscReaderSource } from '../../../src/transport/pcsc/pcsc-reader-source.js';
import { ROOT, runCli } from '../../support/cli.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';
import { BAS_DEVICE_NUMBER, BAS_EXPECTED } from '../../support/national-bas-expected.js';

/**
 * The face matrix of issue 11 (docs/national-interface.md "Faces"): for every simulated profile the
 * exact 11-field string of the shared table through every face — the CLI (`read --format bas`), the
 * daemon (`card.readBas`), the ThCardReader bridge (both routes), the Decard bridge and the three C
 * libraries (Python ctypes, as HIS test code loads them) — and the national error codes on every face
 * that has the function. Daemons run in this process with in-process readers on real loopback sockets.
 *
 * The C libraries name no reader (they take the only reader holding a card), so the read daemon has
 * ONE simulated reader and each profile's card is put into it in turn.
 *
 * Cases a face cannot express here (not faked):
 * - CLI, no card and wrong card type: `--sim` always inserts a profile's card and no profile is a
 *   PSAM; an empty reader needs PC/SC (test/pcsc/national-bas-pcsc.test.ts). The CLI has no PIN
 *   functions (nor HSM steps): only its read is in the matrix.
 * - ThCardReader bridge: reads only (no PIN route is known for that dialect, docs/bridges.md).
 * - Wrong / blocked PIN on the Decard bridge and the C libraries: through a reader with a PIN pad
 *   (fake part 10 pad); the built-in simulated readers have none, so there they answer the national
 *   "no PIN pad" -11 (Decard) or prompt on the terminal (C libraries: test/pcsc/national-pin-pcsc.test.ts).
 */
const PROFILES = Object.keys(BAS_EXPECTED);
const LIB = (name: string) => join(ROOT, 'native-shims', 'build', name);
const MOHRSS = LIB('libsscard-mohrss.so');
const SSCARD = LIB('libsscard-nhsa-sscard.so');
const HEASEC = LIB('libsscard-nhsa-heasec.so');
const NATIVE = join(ROOT, 'test', 'native');
/** The registry lock's code: apdu-specs/national-interface.json `defaults.registryLockedCode`. */
const REGISTRY_LOCKED = -3;
const DEMO = { cardIdentificationCode: '110100D156000005123456789ABCDEF0', cardNumber: 'A12345674' };
/** Every PIN typed below: none may appear in a daemon log line. */
const PINS = ['123456', '111111', '975310'];

type Answer = { code: number; text: string };

/** Asynchronous (the daemon answering the child runs in this process). */
function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(file, args, { env: { ...process.env, ...env }, timeout: 60_000 }, (e, stdout, stderr) =>
      done({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    ),
  );
}

/** A ctypes script's `<code>|<hex of the out buffer>|...` line (the last line printed). */
async function ctypes(script: string, args: string[], d: TestDaemon): Promise<Answer> {
  const r = await run('python3', [join(NATIVE, script), ...args], { SSCARD_DAEMON_PORT: String(d.port), SSCARD_DATA_DIR: d.dataDir, SSCARD_NHSA_FAILURE: 'national' });
  expect(r.code, r.stderr).toBe(0);
  const [code, hex] = r.stdout.trim().split('\n').at(-1)!.split('|');
  return { code: Number(code), text: Buffer.from(hex ?? '', 'hex').toString('utf8') };
}

/** The three C libraries' read (MOHRSS iReadCardBas, NHSA SSCard and HeaSecReadInfo ReadCardBas). */
const cLibReads = (d: TestDaemon) => ({
  'MOHRSS iReadCardBas': () => ctypes('mohrss_ctypes.py', [MOHRSS, '3'], d),
  'NHSA SSCard ReadCardBas': () => ctypes('nhsa_sscard_ctypes.py', [SSCARD], d),
  'NHSA HeaSecReadInfo ReadCardBas': () => ctypes('nhsa_heasec_ctypes.py', [HEASEC, 'init'], d),
});

/** The C libraries' iVerifyPIN / VerifyPIN (the PIN from the reader's pad). */
const cLibVerify = (d: TestDaemon) => ({
  'MOHRSS iVerifyPIN': () => ctypes('national_pin_ctypes.py', [MOHRSS, 'mohrss', 'iVerifyPIN'], d),
  'NHSA SSCard VerifyPIN': () => ctypes('national_pin_ctypes.py', [SSCARD, 'sscard', 'VerifyPIN'], d),
  'NHSA HeaSecReadInfo VerifyPIN': () => ctypes('national_pin_ctypes.py', [HEASEC, 'heasec', 'VerifyPIN'], d),
});

function httpGet(port: number, path: string, token: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The ThCardReader bridge's read on one route: data or the national code and text. */
async function thRead(d: TestDaemon, path: string): Promise<Answer> {
  const r = await httpGet(d.bridges.thCardReader!.port, path, d.readerToken);
  if (r.code === 200) {
    expect(r.readCardResult).toBe(r.data);
    return { code: r.nationalCode, text: r.data };
  }
  expect(r).toMatchObject({ code: 1001, data: null, readCardResult: null });
  return { code: r.nationalCode, text: r.message };
}

class Decard {
  private constructor(private readonly ws: WebSocket) {}
  static open(d: TestDaemon): Promise<Decard> {
    const port = d.bridges.decard!.port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${d.readerToken}` } });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Decard(ws)));
      ws.once('error', reject);
    });
  }
  async call(func: string, args: string[] = []): Promise<Answer> {
    const reply = await new Promise<{ result: string; out: string[] }>((resolve) => {
      this.ws.once('message', (m) => resolve(JSON.parse(String(m))));
      this.ws.send(JSON.stringify({ func, in: args }));
    });
    expect(reply.out).toHaveLength(1);
    return { code: Number(reply.result), text: reply.out[0]! };
  }
  close(): void {
    this.ws.close();
  }
}

/** Runs every face and returns `{ face: [code, text] }`, for one toEqual with a readable diff. */
async function allFaces(faces: Record<string, () => Promise<Answer>>): Promise<Record<string, [number, string]>> {
  const out: Record<string, [number, string]> = {};
  for (const [name, f] of Object.entries(faces)) {
    const r = await f();
    out[name] = [r.code, r.text];
  }
  return out;
}
const every = (faces: Record<string, unknown>, code: number, text: string | RegExp) =>
  Object.fromEntries(Object.keys(faces).map((k) => [k, [code, typeof text === 'string' ? text : expect.stringMatching(text)]]));

beforeAll(async () => {
  const built = await run('bash', [join(ROOT, 'scripts', 'build-compat.sh')], {});
  expect(built.code, built.stderr).toBe(0);
}, 120_000);

describe('one simulated reader: the string per profile and the read errors on every face', () => {
  let d: TestDaemon;
  let s: RpcSocket;
  let counter: RpcSocket;
  let decard: Decard;
  const cliEnv = { SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-faces-cli-')), SSCARD_CONFIG: '' };
  const put = (card: Parameters<NonNullable<TestDaemon['simulated']>['insert']>[1]) => {
    d.simulated!.remove(0);
    d.simulated!.insert(0, card);
  };
  /** Every face that reads (all but the CLI, which is run on its own). */
  const readFaces = () => ({
    'daemon card.readBas': async () => {
      const r = await s.ok('card.readBas', {});
      return { code: r.code, text: r.code === 0 ? r.text : r.message };
    },
    'ThCardReader /readcard/entry': () => thRead(d, '/readcard/entry?param=sicard'),
    'ThCardReader /api/entry': () => thRead(d, '/api/entry?param=sicard'),
    'Decard iReadCardBas': () => decard.call('iReadCardBas', ['3']),
    ...cLibReads(d),
  });
  /** The PIN faces of this daemon (no PIN pad here): the read errors come before any PIN is asked. */
  const pinFaces = () => ({
    'daemon card.nationalPin': async () => {
      const r = await s.ok('card.nationalPin', { fn: 'iVerifyPIN', pin: '975310' });
      return { code: r.code, text: r.message ?? '' };
    },
    'Decard iVerifyPIN': () => decard.call('iVerifyPIN', ['3']),
    'MOHRSS iVerifyPIN': () => ctypes('national_pin_ctypes.py', [MOHRSS, 'mohrss', 'iVerifyPIN'], d),
  });

  beforeAll(async () => {
    d = await startTestDaemon(
      {
        simulated: { enabled: true, profiles: ['demo'] },
        national: { deviceNumber: BAS_DEVICE_NUMBER },
        bridges: { thCardReader: { enabled: true, port: 0 }, decard: { enabled: true, port: 0 } },
      },
      { pcsc: false },
    );
    s = await RpcSocket.ready(d.port, { token: d.readerToken });
    counter = await RpcSocket.ready(d.port, { token: d.counterToken });
    decard = await Decard.open(d);
  });
  afterAll(async () => {
    decard?.close();
    s?.close();
    counter?.close();
    await d?.stop();
  });

  it.each(PROFILES)('%s: the same string on the CLI, the daemon, both bridges and the three C libraries', async (profile) => {
    const want = BAS_EXPECTED[profile]!;
    // the CLI reads with its own simulated reader; --keys soft = the TEST keys (simulated readers only), needed by the 3.0 card
    const cli = runCli(['read', '--sim', '--profile', profile, '--format', 'bas', '--wait', '0', '--keys', 'soft', '--device-number', BAS_DEVICE_NUMBER], { env: cliEnv });
    expect(cli.stdout).toBe(`${want}\n`);
    expect(cli.code).toBe(0);
    put(createSimulatedCard(profile));
    const faces = readFaces();
    expect(await allFaces(faces)).toEqual(every(faces, 0, want));
  });

  it('no card: -2 on every read face (and on the PIN faces)', async () => {
    d.simulated!.remove(0);
    const faces = { ...readFaces(), ...pinFaces() };
    expect(await allFaces(faces)).toEqual(every(faces, -2, '无卡 (no card in the reader)'));
  });

  it('wrong card type (a PSAM in the reader): -1 on every read face (and on the PIN faces)', async () => {
    put(createSimulatedPsam());
    const faces = { ...readFaces(), ...pinFaces() };
    expect(await allFaces(faces)).toEqual(every(faces, -1, /^卡类型不对|^卡片数据无法解析/));
  });

  it('a card locked in the registry: the registry lock code on every face, the CLI included (same registry)', async () => {
    put(createSimulatedCard('demo'));
    await counter.ok('card.lock', { ...DEMO, kind: 'temporary', reason: 'lost' });
    try {
      const faces = { ...readFaces(), ...pinFaces() };
      expect(await allFaces(faces)).toEqual(every(faces, REGISTRY_LOCKED, '卡片已挂失 (the card is locked in the card-status registry)'));
      const cli = runCli(['read', '--sim', '--profile', 'demo', '--format', 'bas', '--wait', '0'], { env: { SSCARD_DATA_DIR: d.dataDir, SSCARD_CONFIG: '' } });
      expect(cli.stdout).toBe('');
      expect(cli.stderr).toMatch(new RegExp(`^${REGISTRY_LOCKED} 卡片已挂失`));
      expect(cli.code).toBe(1);
    } finally {
      await counter.ok('card.release', { ...DEMO, reason: 'found' });
    }
  });

  it('Decard: the HSM two-step gives the string; no pad: iVerifyPIN / iChangePIN the national "no PIN pad" -11; reload / unblock refused -11', async () => {
    put(createSimulatedCard('v3-sm4'));
    const s1 = await decard.call('iReadCardBas_HSM_Step1', ['1']);
    expect(s1.code).toBe(0);
    const key = formatHsmStep2(await computeHsmStep2(parseHsmStep1(s1.text), SoftKeyService.withTestKeys()));
    expect(await decard.call('iReadCardBas_HSM_Step2', [key])).toEqual({ code: 0, text: BAS_EXPECTED['v3-sm4'] });
    expect(await decard.call('iReadCardBas_HSM_Step2', [key])).toMatchObject({ code: -14, text: expect.stringMatching(/^未执行第一步/) });
    expect(await decard.call('iReadCardBas_HSM_Step2', [])).toMatchObject({ code: -14 });
    const noPad = '读卡器无密码键盘，且无终端可输入密码 (no PIN pad on the reader and no terminal to type the PIN)';
    expect(await decard.call('iVerifyPIN', ['3'])).toEqual({ code: -11, text: noPad });
    expect(await decard.call('iChangePIN', [])).toEqual({ code: -11, text: noPad });
    for (const fn of ['iReloadPIN', 'iUnblockPIN']) expect(await decard.call(fn, ['3'])).toEqual({ code: -11, text: '此功能仅限柜台使用 (a counter function: not offered to this caller)' });
  });

  it('card.nationalPin: PINs given (no pad), pinOnPc without them, counter role for reload / unblock, bad PIN params', async () => {
    put(createSimulatedCard('demo'));
    expect(await s.ok('card.nationalPin', { fn: 'iVerifyPIN' })).toMatchObject({ code: -11, pinOnPc: true });
    expect(await s.ok('card.nationalPin', { fn: 'iVerifyPIN', iType: 1, pin: '123456' })).toEqual({ code: 0, message: null, pinOnPc: false });
    expect(await s.ok('card.nationalPin', { fn: 'iVerifyPIN', iType: 2, pin: '123456' })).toMatchObject({ code: -11, pinOnPc: false });
    expect(await s.code('card.nationalPin', { fn: 'iReloadPIN', newPin: '975310' })).toBe('FORBIDDEN');
    expect(await s.code('card.nationalPin', { fn: 'iUnblockPIN' })).toBe('FORBIDDEN');
    expect(await s.code('card.nationalPin', { fn: 'iVerifyPIN', newPin: '975310' })).toBe('INVALID_PARAMS');
    expect(await s.code('card.nationalPin', { fn: 'iChangePIN', oldPin: '123456' })).toBe('INVALID_PARAMS');
    expect(await counter.code('card.nationalPin', { fn: 'iUnblockPIN', pin: '123456' })).toBe('INVALID_PARAMS');
    expect(await s.code('card.nationalPin', { fn: 'iVerifyPIN', pin: '12' })).toBe('INVALID_PARAMS');
    expect(await counter.ok('card.nationalPin', { fn: 'iReloadPIN' })).toMatchObject({ code: -11, pinOnPc: true });
    expect(await counter.ok('card.nationalPin', { fn: 'iChangePIN', oldPin: '123456', newPin: '975310' })).toMatchObject({ code: 0 });
    expect(await counter.ok('card.nationalPin', { fn: 'iReloadPIN', newPin: '123456' })).toMatchObject({ code: -14 }); // the PIN policy refuses 123456
    expect(await counter.ok('card.nationalPin', { fn: 'iUnblockPIN' })).toEqual({ code: 0, message: null, pinOnPc: false });
    for (const pin of PINS) expect(d.logs.text).not.toContain(pin);
  });
});

/** A daemon whose only reader is a part 10 PIN-pad reader (fake PC/SC) holding the demo card, with the TEST keys and the Decard bridge. */
async function padDaemon(pad: FakePinPad, limits: Record<string, number>): Promise<TestDaemon> {
  const PAD = 'Gemalto PC Pinpad 00 00';
  const fake = new FakePcsc();
  fake.addReader(PAD);
  const card = createSimulatedCard('demo');
  fake.insertCard(PAD, { atr: card.atr(), transmit: (x) => card.execute(x) });
  fake.attachPinPad(PAD, pad);
  const source = new PcscReaderSource({ binding: fake, serviceWaitMs: 300, removalCheckMs: 100, retryInitialMs: 20, retryMaxMs: 50, settleMinMs: 5 });
  const d = await startTestDaemon({ counterKeys: { source: 'soft', allowTestKeys: true }, bridges: { decard: { enabled: true, port: 0 } }, limits }, { pcsc: false, extraSources: [source] });
  await new Promise((r) => setTimeout(r, 50));
  return d;
}

describe('a reader with a PIN pad: wrong PIN -51 with the tries left, blocked -52 on every PIN face', () => {
  const pad = new FakePinPad();
  let d: TestDaemon;
  let s: RpcSocket;
  let counter: RpcSocket;
  let decard: Decard;

  beforeAll(async () => {
    d = await padDaemon(pad, { pinVerifyPerMinute: 100 });
    s = await RpcSocket.ready(d.port, { token: d.readerToken });
    counter = await RpcSocket.ready(d.port, { token: d.counterToken });
    decard = await Decard.open(d);
  });
  afterAll(async () => {
    decard?.close();
    s?.close();
    counter?.close();
    await d?.stop();
  });

  const nationalPin = (params: Record<string, unknown>) => async (): Promise<Answer> => {
    const r = await s.ok('card.nationalPin', { fn: 'iVerifyPIN', ...params });
    return { code: r.code, text: r.message ?? '' };
  };
  const faces = () => ({
    'daemon card.nationalPin, pad': nationalPin({}),
    'Decard iVerifyPIN, pad': () => decard.call('iVerifyPIN', ['3']),
    ...cLibVerify(d),
  });

  it.each(['daemon card.nationalPin, pad', 'daemon card.nationalPin, PIN given', 'Decard iVerifyPIN, pad', 'MOHRSS iVerifyPIN', 'NHSA SSCard VerifyPIN', 'NHSA HeaSecReadInfo VerifyPIN'])('%s', async (name) => {
    const given = name.endsWith('PIN given');
    const face = given ? nationalPin({ pin: '111111', forcePcEntry: true }) : faces()[name as keyof ReturnType<typeof faces>];
    const wrong = async (confirmLastTry = false) => {
      if (!given) pad.type('111111');
      return (given ? nationalPin({ pin: '111111', forcePcEntry: true, ...(confirmLastTry ? { confirmLastTry } : {}) }) : face)();
    };
    const prompts = s.events.length;
    expect(await wrong()).toEqual({ code: -51, text: '密码错误，还可尝试2次 (wrong PIN, 2 tries left)' });
    // the pad prompt goes to the requesting JSON-RPC connection (card.nationalPin on the pad only)
    expect(s.events.slice(prompts)).toEqual(name === 'daemon card.nationalPin, pad' ? [expect.objectContaining({ type: 'pin-entry', message: 'enter the PIN on the reader' })] : []);
    expect(await wrong()).toEqual({ code: -51, text: '密码错误，还可尝试1次 (wrong PIN, 1 tries left)' });
    // PINs in params may be stored ones: the last try only with confirmLastTry, as pin.verify (nothing sent)
    if (given) expect(await wrong()).toEqual({ code: -51, text: '仅剩1次尝试，需确认 (one try left: confirm it)' });
    // typed at the moment of the call (pad), or confirmed: the last try is spent, blocked
    expect(await wrong(true)).toEqual({ code: -52, text: '密码已锁定 (PIN blocked)' });
    // blocked before anything is typed (the pad is not asked)
    expect(await face()).toEqual({ code: -52, text: '密码已锁定 (PIN blocked)' });
    expect(await s.ok('pin.status', {})).toMatchObject({ triesLeft: 0, blocked: true });
    expect(await counter.ok('card.nationalPin', { fn: 'iUnblockPIN' })).toMatchObject({ code: 0 });
    expect(await s.ok('pin.status', {})).toMatchObject({ triesLeft: 3, blocked: false });
    if (!given) pad.type('123456');
    expect(await (given ? nationalPin({ pin: '123456', forcePcEntry: true }) : face)()).toEqual({ code: 0, text: '' });
    for (const pin of PINS) expect(d.logs.text).not.toContain(pin);
  });
});

describe('one PIN budget for card.nationalPin and the Decard bridge', () => {
  const pad = new FakePinPad();
  let d: TestDaemon;
  beforeAll(async () => {
    d = await padDaemon(pad, { pinVerifyPerMinute: 2, pinPerConnectionPerMinute: 2 });
  });
  afterAll(() => d?.stop());

  it('two presentations (one per face) spend the budget of the token: then -11 on both faces and RATE_LIMITED on pin.verify, nothing sent', async () => {
    const s = await RpcSocket.ready(d.port, { token: d.readerToken });
    const decard = await Decard.open(d);
    try {
      pad.type('123456');
      expect(await s.ok('card.nationalPin', { fn: 'iVerifyPIN' })).toEqual({ code: 0, message: null, pinOnPc: false });
      pad.type('111111');
      expect(await decard.call('iVerifyPIN', ['3'])).toMatchObject({ code: -51 });
      const spent = '密码尝试过于频繁，请稍后再试 (too many PIN attempts: wait a minute)';
      expect(await decard.call('iVerifyPIN', ['3'])).toEqual({ code: -11, text: spent });
      expect(await s.ok('card.nationalPin', { fn: 'iVerifyPIN', pin: '111111', forcePcEntry: true })).toEqual({ code: -11, message: spent, pinOnPc: false });
      expect(await s.code('pin.verify', { onReader: true })).toBe('RATE_LIMITED');
      expect(await s.ok('pin.status', {})).toMatchObject({ triesLeft: 2 });
    } finally {
      decard.close();
      s.close();
    }
  });
});
