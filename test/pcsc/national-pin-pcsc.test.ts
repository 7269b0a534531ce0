import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakePcsc } from '../../native-shims/fake-pcsc.js';
import { FakePinPad } from '../../native-shims/fake-pin-pad.js';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { VpcdClient } from '../../simulators/vpcd-client.js';
import { PcscReaderSource } from '../../src/transport/pcsc/pcsc-reader-source.js';
import { ROOT } from '../support/cli.js';
import { RpcSocket, spawnDaemon, startTestDaemon, type DaemonChild, type TestDaemon } from '../support/daemon.js';
import { READER_0, ensurePcscd, run, sleep } from '../support/pcscd.js';

const available = await ensurePcscd();
const LIB = { mohrss: join(ROOT, 'native-shims', 'build', 'libsscard-mohrss.so'), sscard: join(ROOT, 'native-shims', 'build', 'libsscard-nhsa-sscard.so'), heasec: join(ROOT, 'native-shims', 'build', 'libsscard-nhsa-heasec.so') };
type Flavour = keyof typeof LIB;
const ID0 = `pcsc:${READER_0}`;
const PTY = join(ROOT, 'test', 'native', 'pty_run.py');
const CTYPES = join(ROOT, 'test', 'native', 'national_pin_ctypes.py');
/** Every PIN typed in these tests: none may appear in any output or log line. */
const PINS = ['123456', '111111', '135790', '246810', '975310', '864209', '753197'];
/** Everything the callers printed (each checked for PINs at the end). */
const shown: string[] = [];

function exec(file: string, args: string[], env: NodeJS.ProcessEnv, detached = false): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    // detached = a new session without a controlling terminal (a HIS service with no terminal)
    execFile(file, args, { env: { ...process.env, ...env }, detached, timeout: 60_000 }, (e, stdout, stderr) => {
      shown.push(stdout, stderr);
      done({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr });
    }),
  );
}

let caller = '';
/** The C caller on a pseudo-terminal that types `answers` at the library's prompts (echo off: the terminal never shows them). */
const onTerminal = (answers: string[], flavour: Flavour, fn: string, env: NodeJS.ProcessEnv) => exec('python3', [PTY, answers.join(','), caller, LIB[flavour], flavour, fn], env);
const ctypesOnTerminal = (answers: string[], flavour: Flavour, fn: string, env: NodeJS.ProcessEnv) => exec('python3', [PTY, answers.join(','), 'python3', CTYPES, LIB[flavour], flavour, fn], env);
/** The last "<rc>|<buffer>" line a caller printed. */
const result = (out: string) => out.trim().split('\n').at(-1)!;
const hexText = (line: string) => {
  const [code, hex] = line.split('|');
  return `${code}|${Buffer.from(hex!, 'hex').toString('utf8')}`;
};

beforeAll(async () => {
  const built = await run('bash', [join(ROOT, 'scripts', 'build-compat.sh')]);
  expect(built.code, built.stderr).toBe(0);
  caller = join(mkdtempSync(join(tmpdir(), 'sscard-pin-caller-')), 'national-pin-caller');
  const cc = await run('cc', ['-O2', '-Wall', '-o', caller, join(ROOT, 'test', 'native', 'national-pin-caller.c'), '-ldl']);
  expect(cc.code, cc.stderr).toBe(0);
});

/**
 * The PIN functions of the three C libraries (docs/c-libraries.md "PIN functions") from a C caller
 * and Python ctypes, against the daemon with the card in pcscd + vpcd. vpcd has no PIN pad, so the
 * PIN is typed on the caller's terminal (a pseudo-terminal here).
 */
describe.skipIf(!available.available)(`C library PIN functions through the daemon and pcscd + vpcd (${available.reason})`, () => {
  let d: DaemonChild;
  let noKeys: DaemonChild;
  let rpc: RpcSocket;
  const cards: VpcdClient[] = [];
  const present = async () => ((await rpc.ok('readers.list')).readers as { id: string; cardPresent: boolean }[]).some((r) => r.id === ID0 && r.cardPresent);

  beforeAll(async () => {
    // a PIN budget above the presentations of these tests (the budget itself: test/unit/daemon/national-pin-http.test.ts)
    d = await spawnDaemon({ counterKeys: { source: 'soft', allowTestKeys: true }, limits: { pinVerifyPerMinute: 100 } });
    noKeys = await spawnDaemon({});
    rpc = await RpcSocket.ready(d.port, { token: d.readerToken });
  });
  afterEach(async () => {
    await Promise.all(cards.splice(0).map((c) => c.remove()));
    while (await present()) await sleep(50);
  });
  afterAll(async () => {
    rpc?.close();
    expect(await d?.proc.stop()).toBe(0);
    expect(await noKeys?.proc.stop()).toBe(0);
    const logs = [...(d?.proc.lines ?? []), ...(d?.proc.errLines ?? []), ...(noKeys?.proc.lines ?? []), ...(noKeys?.proc.errLines ?? [])].join('\n');
    expect(logs).toContain('national PIN function');
    for (const pin of PINS) {
      expect(logs, 'daemon log').not.toContain(pin);
      expect(shown.join('\n'), 'caller output').not.toContain(pin);
    }
  });

  const env = (daemon = d) => ({ SSCARD_DAEMON_PORT: String(daemon.port), SSCARD_DATA_DIR: daemon.dataDir });
  const insert = async () => {
    const c = new VpcdClient(createSimulatedCard('v1-zhang-san'), { slot: 0 });
    cards.push(c);
    await c.insert();
    while (!(await present())) await sleep(50);
  };

  it('verify on the terminal from C and ctypes (all flavours): 0, wrong -51 with tries left, blocked -52; unblock and reload with soft keys 0', async () => {
    await insert();
    const v = await onTerminal(['123456'], 'mohrss', 'iVerifyPIN', env());
    expect(v.stdout).toContain('sscard: PIN: ');
    expect(result(v.stdout)).toBe('0|');
    expect(result((await onTerminal(['111111'], 'mohrss', 'iVerifyPIN', env())).stdout)).toBe('-51|密码错误，还可尝试2次 (wrong PIN, 2 tries left)');
    expect(hexText(result((await ctypesOnTerminal(['123456'], 'mohrss', 'iVerifyPIN', env())).stdout))).toBe('0|');
    // NHSA flavours: 0 with an empty buffer; failures -1 (default) or the national code, text in the buffer
    expect(result((await onTerminal(['123456'], 'sscard', 'VerifyPIN', env())).stdout)).toBe('0|');
    expect(hexText(result((await ctypesOnTerminal(['123456'], 'sscard', 'VerifyPIN', env())).stdout))).toBe('0|');
    expect(hexText(result((await ctypesOnTerminal(['123456'], 'heasec', 'VerifyPIN', env())).stdout))).toBe('0|');
    expect(result((await onTerminal(['123456'], 'heasec', 'VerifyPIN', env())).stdout)).toBe('0|');
    expect(result((await onTerminal(['111111'], 'sscard', 'VerifyPIN', env())).stdout)).toBe('-1|密码错误，还可尝试2次 (wrong PIN, 2 tries left)');
    expect(result((await onTerminal(['111111'], 'heasec', 'VerifyPIN', { ...env(), SSCARD_NHSA_FAILURE: 'national' })).stdout)).toBe('-51|密码错误，还可尝试1次 (wrong PIN, 1 tries left)');
    expect(result((await onTerminal(['111111'], 'mohrss', 'iVerifyPIN', env())).stdout)).toBe('-52|密码已锁定 (PIN blocked)');
    expect(hexText(result((await ctypesOnTerminal(['123456'], 'mohrss', 'iVerifyPIN', env())).stdout))).toBe('-52|密码已锁定 (PIN blocked)');
    // counter functions with the counter token and the daemon's soft keys
    expect(result((await exec(caller, [LIB.mohrss, 'mohrss', 'iUnblockPIN'], env(), true)).stdout)).toBe('0|');
    expect(hexText(result((await exec('python3', [CTYPES, LIB.mohrss, 'mohrss', 'iUnblockPIN'], env())).stdout))).toBe('0|');
    const reload = await onTerminal(['864209', '864209'], 'mohrss', 'iReloadPIN', env());
    expect(reload.stdout).toContain('sscard: new PIN again: ');
    expect(result(reload.stdout)).toBe('0|');
    expect(result((await onTerminal(['864209'], 'mohrss', 'iVerifyPIN', env())).stdout)).toBe('0|');
  });

  it('change on the terminal (C and ctypes, all flavours); a mistyped confirmation -14 without touching the card', async () => {
    await insert();
    expect(result((await onTerminal(['123456', '135790', '135790'], 'mohrss', 'iChangePIN', env())).stdout)).toBe('0|');
    expect(result((await onTerminal(['135790', '246810', '246811'], 'mohrss', 'iChangePIN', env())).stdout)).toMatch(/^-14\|sscard: the PIN must be 4-16 digits/);
    expect(hexText(result((await ctypesOnTerminal(['135790', '246810', '246810'], 'sscard', 'ChangePIN', env())).stdout))).toBe('0|');
    expect(result((await onTerminal(['246810', '975310', '975310'], 'heasec', 'ChangePIN', env())).stdout)).toBe('0|');
    expect(result((await onTerminal(['975310', '753197', '753197'], 'sscard', 'ChangePIN', env())).stdout)).toBe('0|');
    expect(hexText(result((await ctypesOnTerminal(['753197'], 'mohrss', 'iVerifyPIN', env())).stdout))).toBe('0|');
  });

  it('without usable keys reload/unblock -2201; no card -2; no terminal -11; NULL / short buffers and a missing daemon: national codes, never a crash', async () => {
    // this daemon keeps the default soft source: the public TEST keys are refused on a vpcd reader
    expect(result((await exec(caller, [LIB.mohrss, 'mohrss', 'iUnblockPIN'], env(noKeys), true)).stdout)).toBe('-2|无卡 (no card in the reader)');
    expect(result((await exec(caller, [LIB.mohrss, 'mohrss', 'iVerifyPIN'], env(), true)).stdout)).toBe('-2|无卡 (no card in the reader)');
    expect(result((await exec(caller, [LIB.sscard, 'sscard', 'VerifyPIN'], env(), true)).stdout)).toBe('-1|无卡 (no card in the reader)');
    expect(hexText(result((await exec('python3', [CTYPES, LIB.heasec, 'heasec', 'ChangePIN'], { ...env(), SSCARD_NHSA_FAILURE: 'national' }, true)).stdout))).toBe('-2|无卡 (no card in the reader)');
    await insert();
    expect(result((await exec(caller, [LIB.mohrss, 'mohrss', 'iUnblockPIN'], env(noKeys), true)).stdout)).toBe('-2201|无PSAM卡或密钥 (no PSAM and no usable keys)');
    expect(hexText(result((await exec('python3', [CTYPES, LIB.mohrss, 'mohrss', 'iUnblockPIN'], env(noKeys), true)).stdout))).toBe('-2201|无PSAM卡或密钥 (no PSAM and no usable keys)');
    expect(result((await onTerminal(['864209', '864209'], 'mohrss', 'iReloadPIN', env(noKeys))).stdout)).toBe('-2201|无PSAM卡或密钥 (no PSAM and no usable keys)');
    expect(result((await exec(caller, [LIB.mohrss, 'mohrss', 'iVerifyPIN'], env(), true)).stdout)).toMatch(/^-11\|读卡器无密码键盘，且无终端可输入密码/);
    expect(result((await exec(caller, [LIB.heasec, 'heasec', 'VerifyPIN'], env(), true)).stdout)).toMatch(/^-1\|读卡器无密码键盘/);
    expect(result((await exec(caller, [LIB.mohrss, 'mohrss', 'iVerifyPIN', '2'], env(), true)).stdout)).toMatch(/^-11\|读卡器不支持所选接口/);
    expect(result((await exec(caller, [LIB.mohrss, 'mohrss', 'iVerifyPIN', '9'], env(), true)).stdout)).toMatch(/^-14\|/);
    for (const fn of ['iVerifyPIN', 'iChangePIN', 'iReloadPIN', 'iUnblockPIN']) expect((await exec(caller, [LIB.mohrss, 'mohrss', fn, 'null'], env(), true)).stdout).toBe('-14|\n');
    expect((await exec(caller, [LIB.sscard, 'sscard', 'VerifyPIN', 'null'], env(), true)).stdout).toBe('-1|\n');
    expect((await exec(caller, [LIB.heasec, 'heasec', 'ChangePIN', 'null'], env(), true)).stdout).toBe('-1|\n');
    // 8 bytes: the text is cut at 7 bytes plus the NUL (mid-character: a whole UTF-8 / GBK prefix is not promised)
    const small = await exec(caller, [LIB.sscard, 'sscard', 'VerifyPIN', 'small'], env(), true);
    expect(small.stdout.startsWith('-1|读卡')).toBe(true);
    expect(small.stdout.length).toBeLessThanOrEqual('-1|读卡?\n'.length);
    expect(result((await exec(caller, [LIB.mohrss, 'mohrss', 'iVerifyPIN'], { SSCARD_DAEMON_PORT: '1', SSCARD_DATA_DIR: d.dataDir }, true)).stdout)).toMatch(/^-11\|sscard: the sscard daemon is not running/);
    // the counter functions with only the reader token: refused by the daemon
    expect(result((await exec(caller, [LIB.mohrss, 'mohrss', 'iUnblockPIN'], { ...env(), SSCARD_COUNTER_TOKEN_FILE: join(d.dataDir, 'daemon-token') }, true)).stdout)).toMatch(/^-11\|sscard: the sscard daemon is not running or refused/);
    expect(result((await exec(caller, [LIB.mohrss, 'mohrss', 'iUnblockPIN'], { ...env(), SSCARD_DATA_DIR: '/nonexistent' }, true)).stdout)).toMatch(/^-11\|sscard: no daemon token/);
  });
});

/** The same libraries against a reader with a PIN pad (fake part 10 pad behind the daemon): nothing is asked on the terminal. */
describe('C library PIN functions on a PIN-pad reader', () => {
  let d: TestDaemon;
  const PAD = 'Gemalto PC Pinpad 00 00';
  const pad = new FakePinPad();
  beforeAll(async () => {
    const fake = new FakePcsc();
    fake.addReader(PAD);
    const card = createSimulatedCard('demo');
    fake.insertCard(PAD, { atr: card.atr(), transmit: (x) => card.execute(x) });
    fake.attachPinPad(PAD, pad);
    const source = new PcscReaderSource({ binding: fake, serviceWaitMs: 300, removalCheckMs: 100, retryInitialMs: 20, retryMaxMs: 50, settleMinMs: 5 });
    d = await startTestDaemon({}, { pcsc: false, extraSources: [source] });
    await sleep(50);
  });
  afterAll(() => d.stop());
  const env = () => ({ SSCARD_DAEMON_PORT: String(d.port), SSCARD_DATA_DIR: d.dataDir });

  it('verify and change on the pad from C and ctypes: 0; wrong on the pad -51', async () => {
    pad.type('123456');
    expect((await exec(caller, [LIB.mohrss, 'mohrss', 'iVerifyPIN'], env(), true)).stdout).toBe('0|\n');
    pad.type('111111');
    expect((await exec(caller, [LIB.sscard, 'sscard', 'VerifyPIN'], { ...env(), SSCARD_NHSA_FAILURE: 'national' }, true)).stdout).toBe('-51|密码错误，还可尝试2次 (wrong PIN, 2 tries left)\n');
    pad.type('123456', '246810', '246810');
    expect(hexText(result((await exec('python3', [CTYPES, LIB.heasec, 'heasec', 'ChangePIN'], env(), true)).stdout))).toBe('0|');
    pad.type('246810');
    expect(hexText(result((await exec('python3', [CTYPES, LIB.mohrss, 'mohrss', 'iVerifyPIN'], env(), true)).stdout))).toBe('0|');
    for (const pin of PINS) expect(d.logs.text).not.toContain(pin);
  });
});
