import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../../support/cli.js';

/** `sscard read --format bas | bas-json` (docs/national-interface.md "CLI"); strings written from the docs and the profile JSON. */
const env = { SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-cli-bas-')), SSCARD_CONFIG: '' };
const ZHANG_SAN = '639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|000000000000||';

describe('sscard read --format bas', () => {
  it('prints the 11-field string; --encoding gbk writes GBK bytes', () => {
    const r = runCli(['read', '--profile', 'v1-zhang-san', '--format', 'bas', '--wait', '0'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ZHANG_SAN}\n`);
    const g = spawnSync(process.execPath, [CLI, 'read', '--profile', 'v1-zhang-san', '--format', 'bas', '--encoding', 'gbk', '--wait', '0'], { env: { ...process.env, SSCARD_NO_PCSC: '1', ...env } });
    expect(g.status).toBe(0);
    expect(g.stdout.includes(Buffer.from('D5C5C8FD', 'hex'))).toBe(true);
    expect(iconv.decode(g.stdout, 'gbk')).toBe(`${ZHANG_SAN}\n`);
  });

  it('bas-json names the fields; a failure is the national code (3.0 card without keys: -27010)', () => {
    const r = runCli(['read', '--profile', 'demo', '--format', 'bas-json', '--wait', '0', '--device-number', 'D1'], { env });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ code: 0, fields: { name: '王小明', specVersion: '2.00', deviceNumber: 'D1', atrHistorical: '00814A44468660110112345678' } });
    const f = runCli(['read', '--profile', 'v3-sm4', '--format', 'bas-json', '--wait', '0'], { env });
    expect(f.code).toBe(1);
    expect(JSON.parse(f.stdout)).toMatchObject({ code: -27010 });
    const b = runCli(['read', '--profile', 'v3-sm4', '--format', 'bas', '--wait', '0'], { env });
    expect(b.stdout).toBe('');
    expect(b.stderr).toMatch(/^-27010 /);
  });

  it('bad flags are usage errors (exit 2) before the card is touched', () => {
    for (const args of [['--format', 'xml'], ['--format', 'bas', '--itype', '5'], ['--format', 'bas', '--device-number', 'a|b']]) {
      const r = runCli(['read', '--profile', 'demo', '--wait', '0', ...args], { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
  });
});
