import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run } from '../support/pcscd.js';

/**
 * The Windows build of the C libraries (docs/c-libraries.md, "Windows"): the mingw-w64 cross
 * build, export tables holding exactly the vendor names, 32-bit functions that are __stdcall
 * (the callee pops its arguments), and an x64 run under wine where the result is read as 64 bits.
 */
const CROSS = ['i686-w64-mingw32-gcc', 'x86_64-w64-mingw32-gcc'];
const WINE = '/usr/lib/wine/wine64'; // Debian's wine64 package puts the loader here, not on PATH
const missing = (await Promise.all(CROSS.map(async (c) => ((await run('sh', ['-c', `command -v ${c}`])).code === 0 ? '' : c)))).filter(Boolean);
const hasWine = existsSync(WINE);
if (process.env.CI === 'true' && (missing.length || !hasWine)) throw new Error(`Windows build prerequisites missing in CI: ${[...missing, hasWine ? '' : WINE].filter(Boolean).join(', ')} (scripts/setup.sh installs them)`);

const BUILD = join(ROOT, 'native-shims', 'build', 'windows');
const DLLS = ['SSCardDriver', 'SSCard', 'HeaSecReadInfo'] as const;

/** The .def's exports: vendor name -> the x86 stdcall symbol it maps (`Init = Init@8`). */
function defExports(dll: string): Map<string, { symbol: string; argBytes: number }> {
  const text = readFileSync(join(ROOT, 'native-shims', 'compat', 'win', `${dll}.def`), 'utf8');
  const body = text.split(/^EXPORTS$/m)[1] ?? '';
  const out = new Map<string, { symbol: string; argBytes: number }>();
  for (const m of body.matchAll(/^\s+(\w+) = (\w+)@(\d+)$/gm)) out.set(m[1]!, { symbol: `${m[2]}@${m[3]}`, argBytes: Number(m[3]) });
  return out;
}

/** Names in the PE export table, from `objdump -p`. */
async function exportedNames(objdump: string, file: string): Promise<string[]> {
  const r = await run(objdump, ['-p', file]);
  expect(r.code, r.stderr).toBe(0);
  const table = r.stdout.split('[Ordinal/Name Pointer] Table')[1] ?? '';
  return [...table.split('\n\n')[0]!.matchAll(/^\s+\[\s*\d+\] (\S+)$/gm)].map((m) => m[1]!).sort();
}

describe.skipIf(missing.length > 0)(`Windows DLLs from the mingw-w64 cross build (${missing.length ? `missing ${missing.join(', ')}` : 'cross compilers present'})`, () => {
  beforeAll(async () => {
    const built = await run('bash', [join(ROOT, 'scripts', 'build-compat.sh'), '--windows'], 120_000);
    expect(built.code, built.stderr).toBe(0);
  }, 150_000);

  it('.def files list the vendor names with their stdcall argument bytes', () => {
    expect(Object.fromEntries([...defExports('SSCardDriver')].map(([k, v]) => [k, v.argBytes]))).toEqual({
      iReadCardBas: 8,
      iVerifyPIN: 8,
      iChangePIN: 8,
      iReloadPIN: 8,
      iUnblockPIN: 8,
      iReadCardBas_HSM_Step1: 8,
      iReadCardBas_HSM_Step2: 8,
    });
    expect(Object.fromEntries([...defExports('SSCard')].map(([k, v]) => [k, v.argBytes]))).toEqual({ Init: 8, ReadCardBas: 16, VerifyPIN: 8, ChangePIN: 8 });
    expect(Object.fromEntries([...defExports('HeaSecReadInfo')].map(([k, v]) => [k, v.argBytes]))).toEqual({ Init: 8, ReadCardBas: 8, VerifyPIN: 4, ChangePIN: 4 });
  });

  for (const dll of DLLS) {
    it(`${dll}.dll x86 and x64: the export table holds exactly the undecorated vendor names`, async () => {
      const names = [...defExports(dll).keys()].sort();
      expect(await exportedNames('i686-w64-mingw32-objdump', join(BUILD, 'x86', `${dll}.dll`))).toEqual(names);
      expect(await exportedNames('x86_64-w64-mingw32-objdump', join(BUILD, 'x64', `${dll}.dll`))).toEqual(names);
    });

    it(`${dll}.dll x86: every exported function is __stdcall (each ret pops the argument bytes)`, async () => {
      const r = await run('i686-w64-mingw32-objdump', ['-d', join(BUILD, 'x86', `${dll}.dll`)], 60_000);
      expect(r.code, r.stderr).toBe(0);
      for (const [name, { symbol, argBytes }] of defExports(dll)) {
        const body = r.stdout.split(`<_${symbol}>:\n`)[1]?.split('\n\n')[0];
        expect(body, `${name} -> _${symbol}`).toBeDefined();
        const rets = [...body!.matchAll(/\tret[ \t]*(\$0x[0-9a-f]+)?/g)].map((m) => m[1] ?? 'ret without operand');
        expect(rets.length, name).toBeGreaterThan(0);
        expect(new Set(rets), name).toEqual(new Set([`$0x${argBytes.toString(16)}`]));
      }
    });
  }

  describe.skipIf(!hasWine)(`x64 under wine (${hasWine ? WINE : 'wine64 not installed'})`, () => {
    let caller = '';
    let env: NodeJS.ProcessEnv = {};
    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sscard-wine-'));
      caller = join(dir, 'win-caller.exe');
      const cc = await run('x86_64-w64-mingw32-gcc', ['-O2', '-Wall', '-o', caller, join(ROOT, 'test', 'native', 'win-caller.c')]);
      expect(cc.code, cc.stderr).toBe(0);
      writeFileSync(join(dir, 'daemon-token'), 'T'.repeat(32));
      // port 1: nothing listens, so each library answers its "daemon not running" failure
      env = { WINEPREFIX: join(dir, 'prefix'), WINEDEBUG: '-all', SSCARD_DATA_DIR: dir, SSCARD_DAEMON_PORT: '1' };
    }, 60_000);
    const wine = async (extra: NodeJS.ProcessEnv, ...args: string[]) => {
      const r = await runEnv(WINE, [caller, ...args], { ...env, ...extra });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trim();
    };

    it('negative results arrive sign-extended in all of RAX; the Winsock client reports the missing daemon', async () => {
      const x64 = (dll: string) => join(BUILD, 'x64', `${dll}.dll`);
      expect(await wine({}, x64('SSCardDriver'), 'iReadCardBas', '9')).toBe('-14|bad parameter: iType must be 1-4|');
      expect(await wine({}, x64('SSCardDriver'), 'iReadCardBas', '3')).toBe('-11|sscard: the sscard daemon is not running or refused the call|');
      expect(await wine({}, x64('SSCardDriver'), 'iVerifyPIN', '3')).toBe('-11|sscard: the sscard daemon is not running or refused the call|');
      expect(await wine({}, x64('SSCardDriver'), 'iReadCardBas_HSM_Step1', '9')).toBe('-14|bad parameter: iType must be 1-4|');
      expect(await wine({}, x64('SSCard'), 'ReadCardBas')).toBe('-1|sscard: the sscard daemon is not running or refused the call|');
      expect(await wine({ SSCARD_NHSA_FAILURE: 'national' }, x64('HeaSecReadInfo'), 'ReadCardBas')).toBe('-11|sscard: the sscard daemon is not running or refused the call|');
    }, 120_000);
  });
});

function runEnv(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(file, args, { env: { ...process.env, ...env }, timeout: 90_000 }, (e, stdout, stderr) => done({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr })),
  );
}
