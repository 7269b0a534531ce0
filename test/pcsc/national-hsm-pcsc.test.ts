import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { VpcdClient } from '../../simulators/vpcd-client.js';
import { computeHsmStep2, formatHsmStep2, parseHsmStep1 } from '../../src/keys/hsm/hsm-two-step.js';
import { SoftKeyService } from '../../src/keys/soft/soft-key-service.js';
import { ROOT } from '../support/cli.js';
import { RpcSocket, spawnDaemon, type DaemonChild } from '../support/daemon.js';
import { READER_0, ensurePcscd, run, sleep } from '../support/pcscd.js';

const available = await ensurePcscd();
const LIB = join(ROOT, 'native-shims', 'build', 'libsscard-mohrss.so');
const ID0 = `pcsc:${READER_0}`;
/** Written from docs/national-interface.md and simulators/profiles/v3-sm4.json (no PSAM: 12 zeros). */
const LIN = '440300|440305200102151026|E56789014|440300D15600000556789ABC3D4E5F60|林晓燕|00814A44468660440356789ABC|3.00|20240901|20340901|000000000000||';
const ZHANG_SAN = '639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|000000000000||';
/** Step 1 of the 3.0 card: region|ATR hist|alg id (SM4)|card id|4 x 16 hex|. */
const LIN_STEP1 = /^440300\|00814A44468660440356789ABC\|03\|440300D15600000556789ABC3D4E5F60\|([0-9A-F]{16}\|){4}$/;

/** The caller's HSM: the simulator's public TEST keys. */
const HSM = SoftKeyService.withTestKeys();
const hsmKey = async (step1: string) => formatHsmStep2(await computeHsmStep2(parseHsmStep1(step1), HSM));
/** One hex digit of `key` at `at` changed. */
const tamper = (key: string, at: number) => key.slice(0, at) + (key[at] === '0' ? '1' : '0') + key.slice(at + 1);

function exec(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(file, args, { env: { ...process.env, ...env }, encoding: 'buffer' }, (e, stdout, stderr) =>
      done({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: iconv.decode(stdout as Buffer, 'gbk'), stderr: String(stderr) }),
    ),
  );
}

/**
 * The national HSM two-step (iReadCardBas_HSM_Step1/2, docs/national-interface.md) and the 3.0
 * card's iReadCardBas with the daemon's configured keys, through real pcscd + vpcd: from the
 * daemon (JSON-RPC), from a C caller (dlopen) and from Python ctypes; the test plays the HSM.
 */
describe.skipIf(!available.available)(`national HSM two-step through the daemon and pcscd + vpcd (${available.reason})`, () => {
  let d: DaemonChild;
  let reader: RpcSocket;
  let caller: string;
  const cards: VpcdClient[] = [];
  const present = async (rpc: RpcSocket = reader) => ((await rpc.ok('readers.list')).readers as { id: string; cardPresent: boolean }[]).some((r) => r.id === ID0 && r.cardPresent);
  async function insert(profile: string, rpc: RpcSocket = reader): Promise<VpcdClient> {
    const c = new VpcdClient(createSimulatedCard(profile), { slot: 0 });
    cards.push(c);
    await c.insert();
    const deadline = Date.now() + 5000;
    while (!(await present(rpc))) {
      if (Date.now() > deadline) throw new Error('card not seen');
      await sleep(50);
    }
    return c;
  }
  const env = () => ({ SSCARD_DAEMON_PORT: String(d.port), SSCARD_DATA_DIR: d.dataDir });
  /** The C caller's "<code>|<buffer>" as [code, buffer]. */
  const fromC = async (...args: string[]): Promise<[string, string]> => {
    const r = await exec(caller, [LIB, ...args], env());
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.replace(/\n$/, '');
    const bar = line.indexOf('|');
    return [line.slice(0, bar), line.slice(bar + 1)];
  };
  const fromPython = async (...args: string[]): Promise<[string, string]> => {
    const r = await exec('python3', [join(ROOT, 'test', 'native', 'mohrss_hsm_ctypes.py'), LIB, ...args], env());
    expect(r.code, r.stderr).toBe(0);
    const [code, hex] = r.stdout.trim().split('|');
    return [code!, iconv.decode(Buffer.from(hex!, 'hex'), 'gbk')];
  };

  beforeAll(async () => {
    const built = await run('bash', [join(ROOT, 'scripts', 'build-compat.sh')]);
    expect(built.code, built.stderr).toBe(0);
    caller = join(mkdtempSync(join(tmpdir(), 'sscard-compat-hsm-')), 'mohrss-hsm-caller');
    const cc = await run('cc', ['-O2', '-Wall', '-o', caller, join(ROOT, 'test', 'native', 'mohrss-hsm-caller.c'), '-ldl']);
    expect(cc.code, cc.stderr).toBe(0);
    // Keys configured: the TEST keys, allowed on vpcd readers (a test bench), for the national read.
    d = await spawnDaemon({ national: { encoding: 'gbk' }, counterKeys: { source: 'soft', allowTestKeys: true } });
    reader = await RpcSocket.ready(d.port, { token: d.readerToken });
  });
  afterEach(async () => {
    await Promise.all(cards.splice(0).map((c) => c.remove()));
    const deadline = Date.now() + 5000;
    while (await present()) {
      if (Date.now() > deadline) throw new Error('card not removed');
      await sleep(50);
    }
  });
  afterAll(async () => {
    reader?.close();
    expect(await d?.proc.stop()).toBe(0);
  });

  it('3.0 card with keys configured: card.readBas and iReadCardBas of the C library (ctypes) give the exact 11-field string', async () => {
    await insert('v3-sm4');
    expect(await reader.ok('card.readBas', { reader: ID0, iType: 1 })).toMatchObject({ code: 0, text: LIN, message: null });
    const c = await exec('python3', [join(ROOT, 'test', 'native', 'mohrss_ctypes.py'), LIB, '3'], env());
    const [code, hex] = c.stdout.trim().split('|');
    expect([code, iconv.decode(Buffer.from(hex!, 'hex'), 'gbk')]).toEqual(['0', LIN]);
  });

  it('daemon: Step1 -> HSM -> Step2 gives the string; a tampered internal value -21; a tampered external value -(63Cx)', async () => {
    await insert('v3-sm4');
    const s1 = await reader.ok('card.readBasHsmStep1', { reader: ID0, iType: 1 });
    expect(s1).toMatchObject({ code: 0, reader: { id: ID0 }, message: null });
    expect(s1.text).toMatch(LIN_STEP1);
    const key = await hsmKey(s1.text as string);
    expect(await reader.ok('card.readBasHsmStep2', { key })).toMatchObject({ code: 0, text: LIN, reader: { id: ID0 } });

    const t1 = await reader.ok('card.readBasHsmStep1', { reader: ID0 });
    expect(await reader.ok('card.readBasHsmStep2', { reader: ID0, key: tamper(await hsmKey(t1.text as string), 0) })).toMatchObject({ code: -21, text: null });
    const t2 = await reader.ok('card.readBasHsmStep1', { reader: ID0 });
    const ext = await reader.ok('card.readBasHsmStep2', { reader: ID0, key: tamper(await hsmKey(t2.text as string), 33) });
    expect(ext.code).toBeLessThanOrEqual(-0x63c0);
    expect(ext.code).toBeGreaterThanOrEqual(-0x63cf);
    // The failed try is spent on the card; a correct round trip still reads (and resets nothing we rely on).
    const again = await reader.ok('card.readBasHsmStep1', { reader: ID0 });
    expect(await reader.ok('card.readBasHsmStep2', { key: await hsmKey(again.text as string) })).toMatchObject({ code: 0, text: LIN });
  });

  it('C library and Python ctypes: Step1 -> HSM -> Step2 in separate processes give the string (GBK)', async () => {
    await insert('v3-sm4');
    const [c1, factors] = await fromC('step1', '1');
    expect(c1).toBe('0');
    expect(factors).toMatch(LIN_STEP1);
    expect(await fromC('step2', await hsmKey(factors))).toEqual(['0', LIN]);

    const [p1, pyFactors] = await fromPython('step1', '3');
    expect([p1, pyFactors]).toEqual(['0', expect.stringMatching(LIN_STEP1)]);
    expect(await fromPython('step2', await hsmKey(pyFactors))).toEqual(['0', LIN]);
    // and a 1.0 card: no external authentication, empty external fields
    cards.splice(0).forEach((c) => void c.remove());
    while (await present()) await sleep(50);
    await insert('v1-zhang-san');
    const [, v1] = await fromC('step1', '1');
    expect(v1).toMatch(/^639900\|00814E43238697159900BF7C7A\|01\|639900D15600000500BF7C7A48FB4966\|[0-9A-F]{16}\|[0-9A-F]{16}\|\|\|$/);
    expect(await fromC('step2', await hsmKey(v1))).toEqual(['0', ZHANG_SAN]);
  });

  it('C library national codes: tampered -21; malformed / NULL / too long pKey -14; Step2 without Step1 -14; NULL buffer -14; no daemon -11', async () => {
    await insert('v3-sm4');
    const [, f1] = await fromC('step1', '3');
    expect(await fromC('step2', tamper(await hsmKey(f1), 0))).toEqual(['-21', expect.stringContaining('内部认证失败')]);
    const [, f2] = await fromC('step1', '3');
    const [bad, badText] = await fromC('step2', `${(await hsmKey(f2)).slice(1)}`);
    expect([bad, badText]).toEqual(['-14', expect.stringContaining('pKey')]);
    expect(await fromC('step2', await hsmKey(f2))).toEqual(['-14', expect.stringContaining('step 1')]);
    expect(await fromC('step2-nullkey')).toEqual(['-14', expect.stringContaining('bad parameter')]);
    expect(await fromC('step2-long')).toEqual(['-14', expect.stringContaining('bad parameter')]);
    expect(await fromC('step1', '9')).toEqual(['-14', expect.stringContaining('bad parameter')]);
    expect(await fromC('step1-nullout')).toEqual(['-14', '']);
    expect(await fromC('step2-nullout')).toEqual(['-14', '']);
    const none = await exec(caller, [LIB, 'step1', '3'], { SSCARD_DAEMON_PORT: '1', SSCARD_DATA_DIR: d.dataDir });
    expect(none.stdout).toMatch(/^-11\|sscard: the sscard daemon is not running/);
  });

  it('another card inserted between the steps: Step2 is -14 naming the change; no card at Step1 is -2', async () => {
    const first = await insert('v3-sm4');
    const [, factors] = await fromC('step1', '3');
    const key = await hsmKey(factors);
    await first.remove();
    cards.splice(cards.indexOf(first), 1);
    while (await present()) await sleep(50);
    await insert('v3-sm4');
    expect(await fromC('step2', key)).toEqual(['-14', expect.stringContaining('removed or changed')]);
    // the reader is free again: a normal read works
    expect(await reader.ok('card.readBas', { reader: ID0 })).toMatchObject({ code: 0, text: LIN });
    cards.splice(0).forEach((c) => void c.remove());
    while (await present()) await sleep(50);
    expect(await fromC('step1', '3')).toEqual(['-2', expect.stringContaining('无卡')]);
  });

  it('no keys configured (the daemon default on a reader that is not simulated): the 3.0 card stays -27010 (6982)', async () => {
    const plain = await spawnDaemon({});
    const rpc = await RpcSocket.ready(plain.port, { token: plain.readerToken });
    try {
      await insert('v3-sm4', rpc);
      expect(await rpc.ok('card.readBas', { reader: ID0 })).toMatchObject({ code: -0x6982, text: null });
    } finally {
      rpc.close();
      expect(await plain.proc.stop()).toBe(0);
    }
  });
});
