import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';
import { simulatedHidRig } from '../../support/simulated-hid.js';

/** HID readers through the daemon exactly like PC/SC readers: readers.list, reader events, card.read. */
describe('daemon with a (simulated) USB-HID reader', () => {
  let d: TestDaemon;
  const rig = simulatedHidRig();
  const reader = { id: 'hid:1209:0001:SIM0001', name: 'sscard Reference HID reader (HID 1209:0001 SIM0001)', kind: 'hid', simulated: false };

  beforeAll(async () => {
    d = await startTestDaemon({}, { pcsc: false, extraSources: [rig.source] });
  });
  afterAll(() => d.stop());

  it('lists the reader, sends its events, and reads the card through it', async () => {
    const s = await RpcSocket.ready(d.port, { token: d.readerToken });
    expect((await s.ok('readers.list')).readers).toEqual([{ ...reader, cardPresent: false }]);
    await s.ok('events.subscribe');
    rig.reader.insert(createSimulatedCard('demo'));
    await rig.source.poll();
    await new Promise((r) => setTimeout(r, 20));
    expect(s.events).toEqual([{ type: 'card-inserted', reader }]);
    expect((await s.ok('readers.list')).readers).toEqual([{ ...reader, cardPresent: true }]);
    const read = await s.ok('card.read', { reader: reader.id });
    expect(read.data.card.cardNumber).toBe('A12345674');
    rig.fake.unplug(rig.path);
    await rig.source.poll();
    await new Promise((r) => setTimeout(r, 20));
    expect(s.events.slice(1)).toEqual([
      { type: 'card-removed', reader },
      { type: 'reader-removed', reader },
    ]);
    expect((await s.ok('readers.list')).readers).toEqual([]);
    s.close();
  });
});
