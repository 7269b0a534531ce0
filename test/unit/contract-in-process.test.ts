import { createSimulatedCard } from '../../simulators/create-card.js';
import { InProcessTransport, simulatedReader } from '../../src/transport/in-process/in-process-transport.js';
import { ssseReadContract } from '../contract/ssse-read.contract.js';

ssseReadContract({
  name: 'the in-process simulator',
  async open(profileId) {
    const t = new InProcessTransport(createSimulatedCard(profileId), simulatedReader(profileId));
    return { transmitter: t, close: () => t.close() };
  },
});
