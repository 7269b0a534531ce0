import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VpcdClient } from '../../simulators/vpcd-client.js';
import { PcscReaderMonitor } from '../../src/transport/pcsc/pcsc-reader-monitor.js';
import { READER_0, ensurePcscd, run, waitFor } from '../support/pcscd.js';
import { TestCard } from '../support/test-card.js';
import { toHex } from '../../src/core/hex.js';

const pcscd = await ensurePcscd();

/** The simulated card behind pcscd, seen by the standard PC/SC tools (pcsc-tools, opensc). */
describe.skipIf(!pcscd.available)(`standard PC/SC tools see the simulated card (${pcscd.reason})`, () => {
  const client = new VpcdClient(new TestCard(), { slot: 0 });
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sscard-tools-'));
    await client.insert();
    // pcscd notices an insertion on its next poll (~400 ms, longer on a loaded machine): wait for it
    const monitor = new PcscReaderMonitor();
    await monitor.start();
    try {
      // this card's ATR, not just "a card": a previous file's card process may still be leaving slot 0
      const atr = toHex(new TestCard().atr()).toUpperCase();
      await waitFor(() => monitor.readers().some((r) => r.reader.name === READER_0 && r.cardPresent && r.atr.toUpperCase() === atr), 15_000, 'this card inserted');
    } finally {
      await monitor.stop();
    }
  });

  afterAll(async () => {
    await client.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pcsc_scan lists both readers and the ATR', async () => {
    // -n: no ATR analysis (no network/list lookups), -t 2: quit after 2 s
    const result = await run('pcsc_scan', ['-n', '-t', '2'], 15_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Virtual PCD 00 00');
    expect(result.stdout).toContain('Virtual PCD 00 01');
    expect(result.stdout).toContain('ATR: 3B 6D 00 00 00 81 4A 44 46 86 60 51 99 00 00 01 AC');
  });

  it('opensc-tool -s 0084000008 gets 8 bytes + 90 00', async () => {
    const result = await run('opensc-tool', ['-r', READER_0, '-s', '0084000008'], 20_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Received \(SW1=0x90, SW2=0x00\):\s*\n11 22 33 44 55 66 77 88/);
  });

  it('scriptor runs a script: GET CHALLENGE answered, unknown INS 6D00', async () => {
    const script = join(dir, 'challenge.scriptor');
    await writeFile(script, '# sscard test card\n00 84 00 00 08\n00 B0 00 00 00\n');
    const result = await run('scriptor', ['-r', READER_0, script], 20_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('< 11 22 33 44 55 66 77 88 90 00 : Normal processing.');
    expect(result.stdout).toMatch(/< 6D 00 : /);
  });
});
