import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePcsc } from '../../../native-shims/fake-pcsc.js';
import { FAKE_PAD_IOCTL, FakePinPad } from '../../../native-shims/fake-pin-pad.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { PcscReaderSource } from '../../../src/transport/pcsc/pcsc-reader-source.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';

const PAD = 'Gemalto PC Pinpad 00 00';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** The daemon with a part 10 PIN-pad reader (fake PC/SC): onReader, the pin-entry event, refusals. */
describe('daemon pin.verify / pin.change on a PIN-pad reader', () => {
  let d: TestDaemon;
  const fake = new FakePcsc();
  const pad = new FakePinPad();
  const reader = { id: `pcsc:${PAD}`, name: PAD, kind: 'pcsc', simulated: false };

  beforeAll(async () => {
    fake.addReader(PAD);
    const card = createSimulatedCard('demo');
    fake.insertCard(PAD, { atr: card.atr(), transmit: (x) => card.execute(x) });
    fake.attachPinPad(PAD, pad);
    const source = new PcscReaderSource({ binding: fake, serviceWaitMs: 300, removalCheckMs: 100, retryInitialMs: 20, retryMaxMs: 50, settleMinMs: 5 });
    d = await startTestDaemon({}, { pcsc: false, extraSources: [source] });
    await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(() => d.stop());

  it('onReader: the requester (not subscribed) gets "enter the PIN on the reader", the pad takes the PIN', async () => {
    const s = await RpcSocket.ready(d.port, { token: d.readerToken });
    pad.type('123456');
    expect(await s.ok('pin.verify', { onReader: true })).toEqual({ reader, ok: true });
    expect(s.events).toEqual([{ type: 'pin-entry', reader, message: 'enter the PIN on the reader' }]);
    expect(fake.controlLog.filter((x) => x.code === FAKE_PAD_IOCTL.VERIFY).map((x) => hex(x.input))).toEqual(['1E1E81030006060201040800000000080000000020000003FFFFFF']);
    pad.type('123456', '246810', '246810');
    expect(await s.ok('pin.change', { onReader: true })).toEqual({ reader, ok: true });
    pad.type('246810');
    expect(await s.ok('pin.verify', { onReader: true })).toEqual({ reader, ok: true });
    s.close();
  });

  it('a PIN sent by the page for a pad reader: PIN_PAD_REQUIRED unless forcePcEntry; bad param mixes are INVALID_PARAMS', async () => {
    const s = await RpcSocket.ready(d.port, { token: d.readerToken });
    expect(await s.code('pin.verify', { pin: '246810' })).toBe('PIN_PAD_REQUIRED');
    expect(await s.ok('pin.verify', { pin: '246810', forcePcEntry: true })).toEqual({ reader, ok: true });
    const mixed = await s.call('pin.verify', { pin: '975310', onReader: true });
    expect(mixed.error?.data.code).toBe('INVALID_PARAMS');
    expect(JSON.stringify(mixed)).not.toContain('975310');
    expect(await s.code('pin.verify', {})).toBe('INVALID_PARAMS');
    expect(await s.code('pin.change', { oldPin: '246810' })).toBe('INVALID_PARAMS');
    s.close();
  });

  it('nobody types on the pad: PIN_ENTRY with reason PIN_ENTRY_TIMEOUT; no PIN in the logs', async () => {
    const s = await RpcSocket.ready(d.port, { token: d.readerToken });
    pad.type('timeout');
    const r = await s.call('pin.verify', { onReader: true });
    expect(r.error?.data).toEqual({ code: 'PIN_ENTRY', reason: 'PIN_ENTRY_TIMEOUT' });
    s.close();
    for (const pin of ['123456', '246810', '975310']) expect(d.logs.text).not.toContain(pin);
  });
});
