import { FakeHid } from '../../native-shims/fake-hid.js';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { SimulatedHidReader } from '../../simulators/hid-reader-simulator.js';
import { HidReaderSource } from '../../src/transport/hid/hid-reader-source.js';
import { REFERENCE_PRODUCT_ID, REFERENCE_VENDOR_ID } from '../../src/transport/hid/reference/reference-driver.js';

export interface SimulatedHidRig {
  readonly fake: FakeHid;
  readonly source: HidReaderSource;
  readonly reader: SimulatedHidReader;
  readonly path: string;
}

/**
 * The whole HID path without a device: the fake node-hid binding with one simulated reference
 * reader plugged in (holding a simulated card of `profileId` when given), and an HidReaderSource
 * polling it (a long poll period: tests call `source.poll()` themselves).
 */
export function simulatedHidRig(profileId?: string, options: { serial?: string; timeoutMs?: number; cardInterface?: 'contact' | 'contactless' } = {}): SimulatedHidRig {
  const fake = new FakeHid();
  const reader = new SimulatedHidReader(profileId ? createSimulatedCard(profileId) : undefined, options.cardInterface);
  const path = fake.plug(
    { vendorId: REFERENCE_VENDOR_ID, productId: REFERENCE_PRODUCT_ID, manufacturer: 'sscard', product: 'Reference HID reader', serialNumber: options.serial ?? 'SIM0001', release: 0x0100, interface: 0 },
    reader,
  );
  const source = new HidReaderSource({ binding: fake, pollMs: 60_000, timeoutMs: options.timeoutMs ?? 200 });
  return { fake, source, reader, path };
}
