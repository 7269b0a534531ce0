import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { loadProfile } from '../../simulators/load-profile.js';
import { apduStack } from '../../src/apdu/apdu-stack.js';
import { WireCounter } from '../../src/apdu/wire-counter.js';
import { SocialSecuritySession } from '../../src/cards/social-security/social-security-session.js';
import { PcscReaderSource } from '../../src/transport/pcsc/pcsc-reader-source.js';
import { TransportError } from '../../src/transport/transport-error.js';
import { ensurePcscd } from '../support/pcscd.js';
import { VirtualSlot } from '../support/virtual-slot.js';

const pcscd = await ensurePcscd();

/** Issue #3: the card pulled at every APDU index of a full read; a typed error each time, the next insert reads. */
describe.skipIf(!pcscd.available)(`card pulled during a read, through pcscd (${pcscd.reason})`, () => {
  const source = new PcscReaderSource();
  const slot = new VirtualSlot(source, 1);
  beforeAll(() => source.monitor.start());
  afterAll(async () => {
    await slot.remove();
    await source.stop();
  });

  async function read(): Promise<{ cardNumber: string; apdus: number }> {
    const t = await slot.connect();
    try {
      const wire = new WireCounter(t);
      const r = await new SocialSecuritySession(apduStack(wire)).read();
      return { cardNumber: r.card.cardNumber, apdus: wire.apdus };
    } finally {
      await t.close();
    }
  }

  // demo: fast path (4 APDUs with GET RESPONSE); v2-long-name: record-by-record fallback.
  for (const profileId of ['demo', 'v2-long-name']) {
    it(`${profileId}: CARD_REMOVED at every APDU index, then a clean read`, async () => {
      const cardNumber = loadProfile(profileId).card.cardNumber;
      await slot.insert(createSimulatedCard(profileId));
      const { apdus } = await read();
      expect(apdus).toBeGreaterThanOrEqual(4);
      for (let n = 0; n < apdus; n++) {
        await slot.insert(createSimulatedCard(profileId), { pullAtApdu: n });
        const error = await read().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, `pull at APDU ${n}`).toBeInstanceOf(TransportError);
        expect((error as TransportError).code, `pull at APDU ${n}`).toBe('CARD_REMOVED');
        await slot.remove();
        await slot.insert(createSimulatedCard(profileId));
        expect((await read()).cardNumber).toBe(cardNumber);
      }
    }, 180_000);
  }
});
