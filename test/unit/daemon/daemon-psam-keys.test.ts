import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { createSimulatedPsam } from '../../../simulators/create-psam.js';
import { loadProfile } from '../../../simulators/load-profile.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';
import { simulatedReader } from '../../../src/transport/in-process/in-process-transport.js';
import { parseDaemonConfig } from '../../../src/daemon/daemon-config.js';
import { runCli } from '../../support/cli.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';

/** The daemon's counter operations with keys from a PSAM in another reader slot (`--keys psam --psam-reader`). */
describe('daemon: PSAM key source', () => {
  let d: TestDaemon;
  const card = simulatedReader('demo', 0).id;
  const psam = simulatedReader('psam', 0).id;
  beforeAll(async () => {
    const cards = new InProcessReaderSource([{ profileId: 'demo', card: createSimulatedCard({ ...loadProfile('demo'), security: { state: { pinTriesLeft: 0 } } }) }]);
    const psams = new InProcessReaderSource([{ profileId: 'psam', card: createSimulatedPsam() }]);
    d = await startTestDaemon(
      { counterKeys: { source: 'psam', psamReader: psam } },
      {
        pcsc: false,
        extraSources: [cards, psams],
        env: { ...process.env, SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-psam-')), SSCARD_CONFIG: '', SSCARD_SITE: '110100-test-counter', SSCARD_OPERATOR: 'test.operator' },
      },
    );
  });
  afterAll(() => d.stop());

  it('pin.unblock and pin.reset get their PUK MACs from the PSAM', async () => {
    const s = await RpcSocket.ready(d.port, { token: d.counterToken });
    expect((await s.ok('pin.unblock', { reader: card })).ok).toBe(true);
    expect(await s.ok('pin.status', { reader: card })).toMatchObject({ blocked: false, triesLeft: 3 });
    expect((await s.ok('pin.reset', { reader: card, newPin: '246813' })).ok).toBe(true);
    expect((await s.ok('pin.verify', { reader: card, pin: '246813' })).ok).toBe(true);
    s.close();
  });

  it('a PSAM reader that does not exist: KEYS_UNAVAILABLE naming PSAM_NOT_FOUND, the card untouched', async () => {
    const other = await startTestDaemon(
      { simulated: { enabled: true, profiles: ['demo'] }, counterKeys: { source: 'psam', psamReader: 'no-such-psam' } },
      { pcsc: false, env: { ...process.env, SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-psam-')), SSCARD_CONFIG: '', SSCARD_SITE: '110100-test-counter', SSCARD_OPERATOR: 'test.operator' } },
    );
    const s = await RpcSocket.ready(other.port, { token: other.counterToken });
    expect((await s.call('pin.unblock', {})).error?.data).toEqual({ code: 'KEYS_UNAVAILABLE', reason: 'PSAM_NOT_FOUND' });
    s.close();
    await other.stop();
  });
});

describe('daemon key-source config: bad input is refused at start', () => {
  it.each([
    [{ counterKeys: { source: 'psam' } }, /counterKeys\.psamReader: source psam needs psamReader/],
    [{ counterKeys: { source: 'hsm' } }, /counterKeys\.source/],
    [{ counterKeys: { source: 'soft', extra: 1 } }, /counterKeys/],
    [{ limits: { pinPerConnectionPerMinute: 0 } }, /limits\.pinPerConnectionPerMinute/],
  ])('%j', (config, message) => {
    expect(() => parseDaemonConfig(config)).toThrow(message);
  });

  it('sscard daemon --keys bogus: usage error, nothing started', () => {
    const r = runCli(['daemon', '--keys', 'bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BAD_ARGUMENT: --keys must be soft or psam, got "bogus"/);
  });
});
