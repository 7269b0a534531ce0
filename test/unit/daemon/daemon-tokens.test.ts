import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTER_TOKEN_FILE, loadOrCreateTokens, READER_TOKEN_FILE } from '../../../src/daemon/daemon-tokens.js';

describe('daemon token files', () => {
  it('are created 0600 and give the two roles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-tokens-'));
    const t = loadOrCreateTokens(dir);
    expect(statSync(join(dir, READER_TOKEN_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, COUNTER_TOKEN_FILE)).mode & 0o777).toBe(0o600);
    expect(t.roleOf('nope')).toBeUndefined();
  });
  it('a token file others can read is refused (it may have leaked), not silently tightened', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-tokens-'));
    loadOrCreateTokens(dir);
    chmodSync(join(dir, READER_TOKEN_FILE), 0o644);
    expect(() => loadOrCreateTokens(dir)).toThrow(/readable by others \(mode 644\): it may have leaked; delete it/);
    expect(statSync(join(dir, READER_TOKEN_FILE)).mode & 0o777).toBe(0o644);
  });
  it('a file without a token is refused with a typed error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-tokens-'));
    writeFileSync(join(dir, READER_TOKEN_FILE), 'short\n', { mode: 0o600 });
    expect(() => loadOrCreateTokens(dir)).toThrow(expect.objectContaining({ code: 'TOKEN_FILE' }));
  });
});
