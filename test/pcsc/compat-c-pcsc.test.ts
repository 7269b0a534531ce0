import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { VpcdClient } from '../../simulators/vpcd-client.js';
import { installationKeyPath } from '../../src/compose/installation-key-file.js';
import { initInstallationKey } from '../../src/keys/installation/installation-key.js';
import { fromCompactAttestation, toCompactAttestation } from '../../src/service/attestation/compact-attestation.js';
import { verifyAttestedRead } from '../../src/service/attestation/verify-attestation.js';
import { CLI, ROOT } from '../support/cli.js';
import { RpcSocket, spawnDaemon, type DaemonChild } from '../support/daemon.js';
import { READER_0, ensurePcscd, run, sleep } from '../support/pcscd.js';

const available = await ensurePcscd();
const LIB = join(ROOT, 'native-shims', 'build', 'libsscard-mohrss.so');
const NHSA = join(ROOT, 'native-shims', 'build', 'libsscard-nhsa-sscard.so');
const HEASEC = join(ROOT, 'native-shims', 'build', 'libsscard-nhsa-heasec.so');
const ID0 = `pcsc:${READER_0}`;
const WINE = '/usr/lib/wine/wine64'; // Debian's wine64 (scripts/setup.sh)
const ZHANG_SAN = '639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|000000000000||';

function exec(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(file, args, { env: { ...process.env, ...env }, encoding: 'buffer' }, (e, stdout, stderr) =>
      done({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: iconv.decode(stdout as Buffer, 'gbk'), stderr: String(stderr) }),
    ),
  );
}

/**
 * The C library with the MOHRSS entry point (docs/c-libraries.md), from a C caller (dlopen) and
 * from Python ctypes, against the daemon with the card in pcscd + vpcd.
 */
describe.skipIf(!available.available)(`C library iReadCardBas through the daemon and pcscd + vpcd (${available.reason})`, () => {
  let d: DaemonChild;
  let reader: RpcSocket;
  let caller: string;
  let nhsaCaller: string;
  const cards: VpcdClient[] = [];
  const present = async () => ((await reader.ok('readers.list')).readers as { id: string; cardPresent: boolean }[]).some((r) => r.id === ID0 && r.cardPresent);

  beforeAll(async () => {
    const built = await run('bash', [join(ROOT, 'scripts', 'build-compat.sh')]);
    expect(built.code, built.stderr).toBe(0);
    caller = join(mkdtempSync(join(tmpdir(), 'sscard-compat-')), 'mohrss-caller');
    const cc = await run('cc', ['-O2', '-Wall', '-o', caller, join(ROOT, 'test', 'native', 'mohrss-caller.c'), '-ldl']);
    expect(cc.code, cc.stderr).toBe(0);
    nhsaCaller = join(mkdtempSync(join(tmpdir(), 'sscard-compat-')), 'nhsa-sscard-caller');
    const cc2 = await run('cc', ['-O2', '-Wall', '-o', nhsaCaller, join(ROOT, 'test', 'native', 'nhsa-sscard-caller.c'), '-ldl']);
    expect(cc2.code, cc2.stderr).toBe(0);
    d = await spawnDaemon({ national: { encoding: 'gbk' } });
    reader = await RpcSocket.ready(d.port, { token: d.readerToken });
  });
  afterEach(async () => {
    await Promise.all(cards.splice(0).map((c) => c.remove()));
    while (await present()) await sleep(50);
  });
  afterAll(async () => {
    reader?.close();
    expect(await d?.proc.stop()).toBe(0);
  });

  const env = () => ({ SSCARD_DAEMON_PORT: String(d.port), SSCARD_DATA_DIR: d.dataDir });

  it('C and Python ctypes callers get 0 and the 11-field string in GBK', async () => {
    const c = new VpcdClient(createSimulatedCard('v1-zhang-san'), { slot: 0 });
    cards.push(c);
    await c.insert();
    while (!(await present())) await sleep(50);
    const fromC = await exec(caller, [LIB, '1'], env());
    expect(fromC.stdout).toBe(`0|${ZHANG_SAN}\n`);
    const py = await exec('python3', [join(ROOT, 'test', 'native', 'mohrss_ctypes.py'), LIB, '3'], env());
    expect(py.code, py.stderr).toBe(0);
    const [code, hex] = py.stdout.trim().split('|');
    expect(code).toBe('0');
    expect(iconv.decode(Buffer.from(hex!, 'hex'), 'gbk')).toBe(ZHANG_SAN);
    expect(hex).toContain('d5c5c8fd'); // 张三 in GBK
    // NHSA SSCard flavour: Init, ReadCardBas with lengths; the signature buffer stays empty
    expect((await exec(nhsaCaller, [NHSA, 'read'], env())).stdout).toBe(`0|${ZHANG_SAN}|\n`);
    expect((await exec(nhsaCaller, [NHSA, 'small'], env())).stdout).toBe('-1|buffer too small|\n'); // 20 bytes: never a cut string that looks like a read
    expect((await exec(caller, [LIB, '1'], { ...env(), SSCARD_OUT_MAX: '64' })).stdout).toBe('-14|buffer too small\n');
    const npy = await exec('python3', [join(ROOT, 'test', 'native', 'nhsa_sscard_ctypes.py'), NHSA], env());
    expect(npy.code, npy.stderr).toBe(0);
    const [ncode, nout, nsign] = npy.stdout.trim().split('|');
    expect([ncode, iconv.decode(Buffer.from(nout!, 'hex'), 'gbk'), nsign]).toEqual(['0', ZHANG_SAN, '']);
    // NHSA HeaSecReadInfo flavour: JSON Init, ReadCardBas(pCardInfo, pBusiCardInfo); the business string is left empty
    const hs = await exec('python3', [join(ROOT, 'test', 'native', 'nhsa_heasec_ctypes.py'), HEASEC, 'init'], env());
    expect(hs.code, hs.stderr).toBe(0);
    const [hcode, hcard, hbusi] = hs.stdout.trim().split('|');
    expect([hcode, iconv.decode(Buffer.from(hcard!, 'hex'), 'gbk'), hbusi]).toEqual(['0', ZHANG_SAN, '']);
    // Init skipped: read anyway by default; refused when SSCARD_HEASEC_REQUIRE_INIT=1
    expect((await exec('python3', [join(ROOT, 'test', 'native', 'nhsa_heasec_ctypes.py'), HEASEC, 'no-init'], env())).stdout).toMatch(/^0\|/);
    const strict = await exec('python3', [join(ROOT, 'test', 'native', 'nhsa_heasec_ctypes.py'), HEASEC, 'no-init'], { ...env(), SSCARD_HEASEC_REQUIRE_INIT: '1' });
    expect(strict.stdout.trim().split('|').slice(0, 2)).toEqual(['-1', Buffer.from('sscard: call Init first').toString('hex')]);
  });

  it('NHSA SSCard flavour with an installation key: pSignBuff holds a verifiable read of pOutBuff that `sscard verify` accepts, from C, ctypes and the x64 DLL under wine', async () => {
    let publicKey = '';
    const keyed = await spawnDaemon({ national: { encoding: 'gbk' } }, [], (dir) => (publicKey = initInstallationKey(installationKeyPath(dir)).publicKey));
    const keyedReader = await RpcSocket.ready(keyed.port, { token: keyed.readerToken });
    try {
      const c = new VpcdClient(createSimulatedCard('v1-zhang-san'), { slot: 0 });
      cards.push(c);
      await c.insert();
      while (!(await present())) await sleep(50);
      const kenv = { SSCARD_DAEMON_PORT: String(keyed.port), SSCARD_DATA_DIR: keyed.dataDir };
      const fromC = (await exec(nhsaCaller, [NHSA, 'read'], kenv)).stdout.trimEnd().split('|');
      const sign = fromC.pop()!;
      expect(fromC.join('|')).toBe(`0|${ZHANG_SAN}`);
      expect(sign).toMatch(/^sscard-vr1\.[A-Za-z0-9_-]+$/);
      const doc = fromCompactAttestation(sign) as { data: string; attestation: { reader: { id: string } } };
      expect(doc.data).toBe(ZHANG_SAN); // the string as text; the buffer holds it in the configured encoding (GBK here)
      expect(doc.attestation.reader.id).toBe(ID0);
      expect(verifyAttestedRead(doc, { publicKey, nonce: null })).toMatchObject({ ok: true });
      const cli = async (text: string) => {
        const dir = mkdtempSync(join(tmpdir(), 'sscard-sign-'));
        writeFileSync(join(dir, 'sign.txt'), text);
        return exec(process.execPath, [CLI, 'verify', join(dir, 'sign.txt'), '--public-key', publicKey, '--installation-nonce'], {});
      };
      expect((await cli(sign)).stdout).toMatch(/^OK: signed by key /);
      const tampered = await cli(toCompactAttestation({ ...doc, data: ZHANG_SAN.replace('X00000019', 'X00000027') }));
      expect([tampered.code, tampered.stdout]).toEqual([1, 'FAILED: BAD_SIGNATURE\n']);
      // Python ctypes with 1024-byte buffers
      const py = await exec('python3', [join(ROOT, 'test', 'native', 'nhsa_sscard_ctypes.py'), NHSA], kenv);
      const [pcode, pout, psign] = py.stdout.trim().split('|');
      expect([pcode, iconv.decode(Buffer.from(pout!, 'hex'), 'gbk')]).toEqual(['0', ZHANG_SAN]);
      expect((await cli(Buffer.from(psign!, 'hex').toString('ascii'))).stdout).toMatch(/^OK: /);
      // the MOHRSS library is unchanged: no signature line in its string
      expect((await exec(caller, [LIB, '1'], kenv)).stdout).toBe(`0|${ZHANG_SAN}\n`);
      // the x64 Windows DLL under wine, Winsock to the same daemon
      const built = await run('bash', [join(ROOT, 'scripts', 'build-compat.sh'), '--windows'], 120_000);
      expect(built.code, built.stderr).toBe(0);
      const dir = mkdtempSync(join(tmpdir(), 'sscard-wine-'));
      const exe = join(dir, 'win-caller.exe');
      expect((await run('x86_64-w64-mingw32-gcc', ['-O2', '-o', exe, join(ROOT, 'test', 'native', 'win-caller.c')])).code).toBe(0);
      const w = await exec(WINE, [exe, join(ROOT, 'native-shims', 'build', 'windows', 'x64', 'SSCard.dll'), 'ReadCardBas'], { ...kenv, WINEPREFIX: join(dir, 'prefix'), WINEDEBUG: '-all' });
      const parts = w.stdout.trimEnd().split('|');
      const wsign = parts.pop()!;
      expect(parts.join('|'), w.stderr).toBe(`0|${ZHANG_SAN}`);
      expect((await cli(wsign)).stdout).toMatch(/^OK: /);
    } finally {
      keyedReader.close();
      expect(await keyed.proc.stop()).toBe(0);
    }
  }, 180_000);

  it('NHSA SSCard flavour failures: -1 by default, the national code when configured; text in the first buffer', async () => {
    expect((await exec(nhsaCaller, [NHSA, 'read'], env())).stdout).toMatch(/^-1\|无卡/);
    expect((await exec(nhsaCaller, [NHSA, 'read'], { ...env(), SSCARD_NHSA_FAILURE: 'national' })).stdout).toMatch(/^-2\|无卡/);
    const py = await exec('python3', [join(ROOT, 'test', 'native', 'nhsa_sscard_ctypes.py'), NHSA], { ...env(), SSCARD_NHSA_FAILURE: 'national' });
    expect(py.stdout).toMatch(/^-2\|/); // read as a 64-bit value: sign-extended
    expect((await exec(nhsaCaller, [NHSA, 'nullout'], env())).stdout).toBe('-1||\n');
    expect((await exec(nhsaCaller, [NHSA, 'verify'], env())).stdout).toMatch(/^-1\|无卡/); // the PIN functions: test/pcsc/national-pin-pcsc.test.ts
    expect((await exec(nhsaCaller, [NHSA, 'read'], { SSCARD_DAEMON_PORT: '1', SSCARD_DATA_DIR: d.dataDir })).stdout).toMatch(/^-1\|sscard: the sscard daemon is not running/);
  });

  it('national codes: no card -2; bad iType -14; NULL buffer -14; no daemon / no token -11, never a crash', async () => {
    expect((await exec(caller, [LIB, '3'], env())).stdout).toMatch(/^-2\|/);
    expect((await exec(caller, [LIB, '9'], env())).stdout).toMatch(/^-14\|bad parameter/);
    expect((await exec(caller, [LIB, 'null'], env())).stdout).toBe('-14|\n');
    expect((await exec(caller, [LIB, '3'], { SSCARD_DAEMON_PORT: '1', SSCARD_DATA_DIR: d.dataDir })).stdout).toMatch(/^-11\|sscard: the sscard daemon is not running/);
    expect((await exec(caller, [LIB, '3'], { SSCARD_DAEMON_PORT: String(d.port), SSCARD_DATA_DIR: '/nonexistent' })).stdout).toMatch(/^-11\|sscard: no daemon token/);
    expect((await exec(caller, [LIB, '3'], { SSCARD_DAEMON_PORT: String(d.port), SSCARD_TOKEN_FILE: join(ROOT, 'package.json') })).stdout).toMatch(/^-11\|/);
  });
});
