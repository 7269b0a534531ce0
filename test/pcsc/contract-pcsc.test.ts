import { afterAll, beforeAll, describe } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { PcscReaderSource } from '../../src/transport/pcsc/pcsc-reader-source.js';
import { ssseReadContract } from '../contract/ssse-read.contract.js';
import { ensurePcscd } from '../support/pcscd.js';
import { VirtualSlot } from '../support/virtual-slot.js';

const pcscd = await ensurePcscd();

describe.skipIf(!pcscd.available)(`contract over real pcscd + vpcd (${pcscd.reason})`, () => {
  const source = new PcscReaderSource();
  const slot = new VirtualSlot(source, 0);
  beforeAll(() => source.monitor.start());
  afterAll(async () => {
    await slot.remove();
    await source.stop();
  });

  ssseReadContract({
    name: 'real pcscd + vpcd + the simulator',
    async open(profileId) {
      await slot.insert(createSimulatedCard(profileId));
      const transport = await slot.connect();
      return {
        transmitter: transport,
        close: async () => {
          await transport.close();
          await slot.remove();
        },
      };
    },
  });
});
