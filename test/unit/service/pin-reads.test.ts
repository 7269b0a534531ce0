import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TranscriptRecorder } from '../../../src/apdu/transcript-recorder.js';
import { loadProfile } from '../../../simulators/load-profile.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';

/**
 * PIN commands read only what they need (docs/architecture.md, "Card operations: one place"): on a
 * 3.0 card, where EF06 needs RKSSSE external authentication, pin.unblock and the blocks send no
 * READ RECORD of EF06 and no EXTERNAL AUTHENTICATE; pin.status sends nothing but the try-status
 * query after SELECT.
 */
describe('what each PIN operation sends to a 3.0 card', () => {
  let d: TestDaemon;
  let s: RpcSocket;
  const recorders = new Map<string, TranscriptRecorder[]>();
  /** The commands sent for `label`, GET RESPONSE (T=0 61xx) left out. */
  const sent = (label: string) =>
    (recorders.get(label) ?? []).flatMap((r) => r.exchanges.map((e) => e.command.replace(/\s/g, '').toUpperCase())).filter((c) => !c.startsWith('00C0'));
  const card = loadProfile('v3-sm4').card;
  beforeAll(async () => {
    d = await startTestDaemon(
      { simulated: { enabled: true, profiles: ['v3-sm4'] } },
      {
        pcsc: false,
        env: { ...process.env, SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-pin-reads-')), SSCARD_CONFIG: '', SSCARD_SITE: '110100-test-counter', SSCARD_OPERATOR: 'test.operator' },
        transcript: (info) => {
          const r = new TranscriptRecorder();
          recorders.set(info.label, [...(recorders.get(info.label) ?? []), r]);
          return r;
        },
      },
    );
    s = await RpcSocket.ready(d.port, { token: d.counterToken });
  });
  afterAll(async () => {
    s.close();
    await d.stop();
  });

  const ef06 = (c: string) => c.startsWith('00B2') && ((parseInt(c.slice(6, 8), 16) >> 3) === 6);
  const extAuth = (c: string) => c.startsWith('0082');

  it('pin.status: SELECT and the try-status query only', async () => {
    await s.ok('pin.status', {});
    expect(sent('pin.status').map((c) => c.slice(0, 4))).toEqual(['00A4', '0020']);
  });

  it('pin.unblock: EF05 (read), the command; no EF06, no external authentication', async () => {
    await s.ok('pin.unblock', {});
    const wire = sent('pin.unblock');
    expect(wire.some((c) => c.startsWith('00B2') && parseInt(c.slice(6, 8), 16) >> 3 === 5)).toBe(true);
    expect(wire.some((c) => c.startsWith('8424'))).toBe(true);
    expect(wire.filter(ef06)).toEqual([]);
    expect(wire.filter(extAuth)).toEqual([]);
  });

  it('card.block: no EF06, no external authentication', async () => {
    await s.ok('card.block', { confirm: 'BLOCK-APPLICATION', cardNumber: card.cardNumber });
    const wire = sent('card.block');
    expect(wire.some((c) => c.startsWith('841E'))).toBe(true);
    expect(wire.filter(ef06)).toEqual([]);
    expect(wire.filter(extAuth)).toEqual([]);
  });
});
