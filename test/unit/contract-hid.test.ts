import { afterAll } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { ssseReadContract } from '../contract/ssse-read.contract.js';
import { simulatedHidRig } from '../support/simulated-hid.js';

// The social-security read contract over the whole HID path: HidReaderSource -> reference driver
// (framing, chaining, checksums) -> node-hid wrapper contract (fake) -> simulated HID reader -> card OS.
const rig = simulatedHidRig();
await rig.source.start();
afterAll(() => rig.source.stop());

ssseReadContract({
  name: 'the simulated USB-HID reader (reference frame format)',
  async open(profileId) {
    rig.reader.insert(createSimulatedCard(profileId));
    await rig.source.poll();
    const [state] = rig.source.readers();
    const transport = await rig.source.connect(state!.reader.name);
    return {
      transmitter: transport,
      close: async () => {
        await transport.close();
        rig.reader.remove();
        await rig.source.poll();
      },
    };
  },
});
