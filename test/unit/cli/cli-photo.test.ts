import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sscard-cli-photo-'));
const photoOf = (id: string) => readFileSync(join(ROOT, 'simulators', 'profiles', 'photos', `${id}.jpg`));

/** The CLI in process (no PC/SC), stdout kept as bytes. */
function sscard(...args: string[]): { code: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, SSCARD_NO_PCSC: '1' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

describe('sscard read --photo (simulated card)', { timeout: 120_000 }, () => {
  it('3.0 card with --keys soft: the exact JPEG in the file, a summary on stderr, nothing on stdout', () => {
    const file = join(dir, 'a.jpg');
    const r = sscard('read', '--profile', 'v3-sm4', '--photo', file, '--keys', 'soft');
    expect(r.code).toBe(0);
    expect(readFileSync(file).equals(photoOf('v3-sm4'))).toBe(true);
    expect(r.stderr).toMatch(/photo: \d+ bytes from SIMULATED .* written to .*a\.jpg \(15 READ BINARY \(short reads\)\)/);
    expect(r.stdout.length).toBe(0);
  });

  it('PSAM key source (simulated PSAM): the same exact JPEG', () => {
    const file = join(dir, 'psam.jpg');
    const r = sscard('read', '--profile', 'v3-sm4', '--photo', file, '--keys', 'psam', '--psam-reader', 'sim');
    expect(r.code).toBe(0);
    expect(readFileSync(file).equals(photoOf('v3-sm4'))).toBe(true);
  });

  it('--photo - writes only the JPEG to stdout; --extended-le never saves the extended attempt', () => {
    const r = sscard('read', '--profile', 'v3-sm4', '--photo', '-', '--keys', 'soft', '--extended-le', 'never');
    expect(r.code).toBe(0);
    expect(r.stdout.equals(photoOf('v3-sm4'))).toBe(true);
    expect(r.stderr).toContain('(14 READ BINARY (short reads))');
  });

  it('without keys: NEEDS_AUTHENTICATION, exit 1, no file', () => {
    const file = join(dir, 'b.jpg');
    const r = sscard('read', '--profile', 'v3-sm4', '--photo', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sscard: NEEDS_AUTHENTICATION: /m);
    expect(existsSync(file)).toBe(false);
  });

  it('a card without a photo: exit 1, says so, no file', () => {
    const file = join(dir, 'c.jpg');
    const r = sscard('read', '--profile', 'v1-empty-version', '--photo', file, '--keys', 'soft');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the card holds no photo');
    expect(existsSync(file)).toBe(false);
  });

  it('bad input: a folder that cannot be written and a bad --extended-le are exit 2 before the card is touched', () => {
    const r = sscard('read', '--profile', 'v3-sm4', '--photo', join(dir, 'no', 'such', 'x.jpg'), '--keys', 'soft', '--traffic');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BAD_ARGUMENT: --photo .* cannot write in/);
    expect(r.stderr).not.toContain('=>'); // no APDU was sent
    expect(sscard('read', '--profile', 'v3-sm4', '--photo', '-', '--extended-le', 'maybe')).toMatchObject({ code: 2, stderr: expect.stringContaining('--extended-le must be') });
  });
});
