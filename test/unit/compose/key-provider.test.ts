import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeyProvider } from '../../../src/compose/key-provider.js';
import { ReaderRegistry } from '../../../src/service/reader-registry.js';
import { simulatedReader } from '../../../src/transport/in-process/in-process-transport.js';
import { ROOT } from '../../support/cli.js';

const SIM = simulatedReader('demo', 0);
const PCSC = { id: 'pcsc:Virtual PCD 00 00', name: 'Virtual PCD 00 00', kind: 'pcsc' as const, simulated: false };

describe('the key provider of the composition root', () => {
  it('loads a key file once; reload() makes the next lease read it again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-keys-'));
    const file = join(dir, 'keys.json');
    copyFileSync(join(ROOT, 'config', 'test-keys.json'), file);
    const keys = createKeyProvider({ source: 'soft', keysFile: file }, new ReaderRegistry([]));
    expect((await keys.lease(SIM)).keys.kind).toBe('soft');
    rmSync(file);
    // loaded once: the file is not read again per operation
    expect((await keys.lease(SIM)).keys.kind).toBe('soft');
    keys.reload();
    await expect(keys.lease(SIM)).rejects.toMatchObject({ code: 'KEY_FILE_MISSING' });
  });

  it('the public test keys: on simulated readers; on others only when allowed', async () => {
    const notes: string[] = [];
    const keys = createKeyProvider({}, new ReaderRegistry([]), (line) => notes.push(line));
    expect(keys.chosen).toBe(false);
    expect((await keys.lease(SIM)).keys.kind).toBe('soft');
    expect(notes.join()).toMatch(/public TEST keys/);
    await expect(keys.lease(PCSC)).rejects.toMatchObject({ code: 'TEST_KEYS_REFUSED' });
    expect((await createKeyProvider({ allowTestKeys: true }, new ReaderRegistry([])).lease(PCSC)).keys.kind).toBe('soft');
  });

  it.each([
    [{ source: 'bogus' }, /--keys must be soft, psam or hsm, got "bogus"/],
    [{ source: 'psam' }, /--keys psam needs --psam-reader/],
    [{ source: 'hsm' }, /the HSM two-step read is an API/],
  ])('bad key source %j: a typed usage error before any card is touched', (config, message) => {
    expect(() => createKeyProvider(config, new ReaderRegistry([]))).toThrow(message);
    try {
      createKeyProvider(config, new ReaderRegistry([]));
    } catch (e) {
      expect(e).toMatchObject({ layer: 'compose', code: 'BAD_ARGUMENT' });
    }
  });

  it('psam "sim" is refused next to a card that is not simulated', async () => {
    const keys = createKeyProvider({ source: 'psam', psamReader: 'sim' }, new ReaderRegistry([]));
    await expect(keys.lease(PCSC)).rejects.toThrow(/--psam-reader sim is only for the built-in simulated card/);
    const lease = await keys.lease(SIM);
    expect(lease.keys.kind).toBe('psam');
    await lease.release();
  });
});
