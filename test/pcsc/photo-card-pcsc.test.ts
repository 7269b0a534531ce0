import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { profilesDir } from '../../simulators/load-profile.js';
import { apduStack } from '../../src/apdu/apdu-stack.js';
import { WireCounter } from '../../src/apdu/wire-counter.js';
import { SocialSecuritySession } from '../../src/cards/social-security/social-security-session.js';
import { SoftKeyService } from '../../src/keys/soft/soft-key-service.js';
import { PcscReaderSource } from '../../src/transport/pcsc/pcsc-reader-source.js';
import { ensurePcscd } from '../support/pcscd.js';
import { VirtualSlot } from '../support/virtual-slot.js';

const pcscd = await ensurePcscd();
const photoOf = (id: string) => readFileSync(join(profilesDir(), 'photos', `${id}.jpg`));

/** The photo read of the card layer over the real pcscd: extended and short READ BINARY both pass vpcd. */
describe.skipIf(!pcscd.available)(`EF08 photo read through pcscd (${pcscd.reason})`, () => {
  const source = new PcscReaderSource();
  const slot = new VirtualSlot(source, 0);
  beforeAll(() => source.monitor.start());
  afterAll(async () => {
    await slot.remove();
    await source.stop();
  });

  for (const [profile, path, commands] of [
    ['v2-long-name', 'extended', 1],
    ['v3-sm4', 'short', 1 + Math.ceil(photoOf('v3-sm4').length / 256)],
  ] as const) {
    it(`${profile}: ${path} path, ${commands} READ BINARY, the exact JPEG`, async () => {
      await slot.insert(createSimulatedCard(profile));
      const t = await slot.connect();
      try {
        const wire = new WireCounter(t);
        const session = new SocialSecuritySession(apduStack(wire), { atr: t.atr });
        const r = await session.readPhoto({ keys: SoftKeyService.withTestKeys() });
        expect(r).toMatchObject({ status: 'read', path, commands, authenticated: true });
        if (r.status === 'read') expect(Buffer.from(r.jpeg).equals(photoOf(profile))).toBe(true);
      } finally {
        await t.close();
      }
    });
  }
});
