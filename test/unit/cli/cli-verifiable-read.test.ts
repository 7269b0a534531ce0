import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

/** `sscard keys init`, `read --nonce`, `verify` (docs/verifiable-reads.md). */
describe('sscard keys init / read --nonce / verify', () => {
  it('signs a read the verify command accepts, and refuses it changed or for another nonce', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-cli-attest-'));
    const env = { SSCARD_DATA_DIR: dir, SSCARD_CONFIG: '' };
    const init = runCli(['keys', 'init'], { env });
    expect(init.code).toBe(0);
    const publicKey = init.stdout.trim();
    expect(publicKey).toMatch(/^ed25519:[A-Za-z0-9+/]{43}=$/);
    expect(statSync(join(dir, 'installation-key.json')).mode & 0o777).toBe(0o600);
    const nonce = '00112233445566778899AABBCCDDEEFF';
    const read = runCli(['read', '--profile', 'demo', '--wait', '0', '--nonce', nonce], { env });
    expect(read.code).toBe(0);
    const file = join(dir, 'read.json');
    writeFileSync(file, read.stdout);
    const ok = runCli(['verify', file, '--public-key', publicKey, '--nonce', nonce], { env });
    expect([ok.code, ok.stdout]).toEqual([0, expect.stringMatching(/^OK: signed by key [0-9a-f]{16}/)]);
    const tampered = runCli(['verify', '-', '--public-key', publicKey, '--nonce', nonce], { env, input: readFileSync(file, 'utf8').replace('王小明', '王小亮') });
    expect([tampered.code, tampered.stdout.trim()]).toEqual([1, 'FAILED: BAD_SIGNATURE']);
    const bad = runCli(['read', '--profile', 'demo', '--wait', '0', '--nonce', 'xyz'], { env });
    expect(bad.code).toBe(2);
  });
});
