import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

const env = { SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-pin-badin-')), SSCARD_SITE: '110100-counter-1', SSCARD_OPERATOR: 'op1' };

/** Bad arguments of the PIN and block commands: exit 2, a typed message, never a stack or the PIN. */
describe('sscard pin / block: bad input', () => {
  it.each([
    [['pin', 'verify', '--sim', '--pin-stdin', '--pin-length', '3'], '123456\n', /BAD_ARGUMENT: --pin-length: a PIN length policy must satisfy 4 <= min <= max <= 16/],
    [['pin', 'verify', '--sim', '--pin-stdin'], '12ab56\n', /PIN_FORMAT: the PIN must be decimal digits only/],
    [['pin', 'verify', '--sim'], '', /BAD_ARGUMENT: no terminal to type the PIN on: pass --pin-stdin/],
    [['pin', 'change', '--sim', '--pin-stdin'], '123456\n135790\n135791\n', /PIN_FORMAT: the two entries of the new PIN differ/],
    [['pin', 'change', '--sim', '--pin-stdin'], '123456\n', /BAD_ARGUMENT: --pin-stdin: stdin has no line for the new PIN/],
    [['pin', 'reset', '--sim', '--pin-stdin', '--keys', 'bogus'], '135790\n135790\n', /BAD_ARGUMENT: --keys must be soft, psam or hsm, got "bogus"/],
    [['pin', 'unblock', '--sim', '--keys', 'psam'], '', /BAD_ARGUMENT: --keys psam needs --psam-reader/],
    [['pin', 'unblock', '--sim', '--keys-file', '/no/such/keys.json'], '', /KEY_FILE_MISSING: .*keys\.json: cannot read master-key file/],
    [['pin', 'unblock', '--sim', '--site', 'nonsense'], '', /BAD_ARGUMENT: BAD_SITE: site must be `<6-digit region code>-<name>`/],
    [['block', '--sim', '--application', '--card'], '', /BAD_ARGUMENT: block needs exactly one of --application or --card/],
    [['block', '--sim', '--application', '--confirm', 'WRONG', '--confirm-again', 'X'], '', /BAD_ARGUMENT: a block is permanent: confirm with --confirm BLOCK-APPLICATION/],
    [['block', '--sim', '--application', '--keys', 'soft', '--confirm', 'BLOCK-APPLICATION', '--confirm-again', 'B00000000'], '', /BLOCK_CARD_MISMATCH: APPLICATION BLOCK not sent/],
  ])('%j -> exit 2', (args, input, message) => {
    const r = runCli(args as string[], { env, input });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    for (const secret of ['12ab56', '135790', '135791']) expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
  });
});
