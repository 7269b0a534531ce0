import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { apduStack } from '../../src/apdu/apdu-stack.js';
import { assertPcPinEntryAllowed } from '../../src/cards/social-security/pin/pin-pad-operations.js';
import { PinBuffer } from '../../src/core/pin-buffer.js';
import { SocialSecuritySession } from '../../src/cards/social-security/social-security-session.js';
import { readerControlOf } from '../../src/transport/reader-control.js';
import { PcscReaderSource } from '../../src/transport/pcsc/pcsc-reader-source.js';
import { CM_IOCTL_GET_FEATURE_REQUEST } from '../../src/transport/pinpad/part10-features.js';
import { discoverPinPad } from '../../src/transport/pinpad/pin-pad.js';
import { ensurePcscd } from '../support/pcscd.js';
import { VirtualSlot } from '../support/virtual-slot.js';

const pcscd = await ensurePcscd();

/**
 * SCardControl through the real binding and pcscd (vpcd has no pad, docs/readers.md): the typed
 * wrapper's `control` reaches SCardControl, vpcd's driver refuses GET_FEATURE_REQUEST with a PC/SC
 * status, sscard reads that as "no pad", and PC-side PIN entry goes on as before.
 */
describe.skipIf(!pcscd.available)(`PIN-pad discovery over real pcscd + vpcd (${pcscd.reason})`, () => {
  const source = new PcscReaderSource();
  const slot = new VirtualSlot(source, 0);
  beforeAll(async () => {
    await source.monitor.start();
    await slot.insert(createSimulatedCard('demo'));
  });
  afterAll(async () => {
    await slot.remove();
    await source.stop();
  });

  it('vpcd answers GET_FEATURE_REQUEST with a PC/SC error: no pad, PC-side entry allowed, the card still works', async () => {
    const transport = await slot.connect();
    try {
      const control = readerControlOf(transport);
      expect(control).toBeDefined();
      // measured: vpcd 0.8's driver refuses SCardControl with SCARD_E_UNSUPPORTED_FEATURE
      await expect(control!.control(CM_IOCTL_GET_FEATURE_REQUEST, new Uint8Array(0))).rejects.toMatchObject({
        layer: 'transport',
        code: 'IO_ERROR',
        platformCode: 0x8010001f,
      });
      const pad = await discoverPinPad(transport);
      expect(pad).toBeUndefined();
      expect(() => assertPcPinEntryAllowed(pad, false)).not.toThrow();
      const pin = PinBuffer.fromString('123456');
      try {
        expect(await new SocialSecuritySession(apduStack(transport)).verifyPin(pin)).toEqual({ status: 'verified' });
      } finally {
        pin.wipe();
      }
    } finally {
      await transport.close();
    }
  });
});
