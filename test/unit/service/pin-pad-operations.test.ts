import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePcsc } from '../../../native-shims/fake-pcsc.js';
import { FAKE_PAD_IOCTL, FakePinPad } from '../../../native-shims/fake-pin-pad.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { composeOperations, type Composition } from '../../../src/compose/compose-operations.js';
import { PinBuffer } from '../../../src/core/pin-buffer.js';
import { PcscReaderSource } from '../../../src/transport/pcsc/pcsc-reader-source.js';

const PAD = 'Gemalto PC Pinpad 00 00';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/**
 * pin.verify / pin.change through the service operations (what the CLI and the daemon call) with a
 * part 10 PIN pad on the fake PC/SC: the pad is used when present, the face is told "enter the PIN
 * on the reader", PC PINs are refused unless forced, and the prompt is never asked.
 */
describe('PIN operations on a PIN-pad reader (service level)', () => {
  let fake: FakePcsc;
  let pad: FakePinPad;
  let c: Composition;
  const prompts: string[] = [];
  let asked = 0;
  const askPin = async () => {
    asked++;
    return PinBuffer.fromString('123456');
  };

  beforeEach(async () => {
    fake = new FakePcsc();
    pad = new FakePinPad();
    fake.addReader(PAD);
    const card = createSimulatedCard('demo');
    fake.insertCard(PAD, { atr: card.atr(), transmit: (x) => card.execute(x) });
    fake.attachPinPad(PAD, pad);
    const source = new PcscReaderSource({ binding: fake, serviceWaitMs: 300, removalCheckMs: 100, retryInitialMs: 20, retryMaxMs: 50, settleMinMs: 5 });
    c = composeOperations({
      readers: { pcsc: false, extra: [source] },
      keys: {},
      status: 'required',
      env: { ...process.env, SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-pad-')), SSCARD_CONFIG: '' },
    });
    await c.start();
    await new Promise((r) => setTimeout(r, 30));
    prompts.length = 0;
    asked = 0;
  });
  afterEach(() => c.close(0));

  const target = { reader: `pcsc:${PAD}` };
  const onPinPad = (p: string) => prompts.push(p);

  it('verify: on the pad, the face told "enter the PIN on the reader", the prompt never asked', async () => {
    pad.type('123456');
    const r = await c.operations.pinVerify({ target, askPin, onPinPad });
    expect(r).toMatchObject({ result: 'verified', reader: { name: PAD } });
    expect(prompts).toEqual(['enter the PIN on the reader']);
    expect(asked).toBe(0);
    expect(fake.controlLog.filter((x) => x.code === FAKE_PAD_IOCTL.VERIFY).map((x) => hex(x.input))).toEqual([
      '1E1E8103000606020104080000000008000000' + '0020000003FFFFFF',
    ]);
  });

  it('a PIN typed on the PC for a pad reader is refused (PIN_PAD_REQUIRED) unless forced', async () => {
    const pin = PinBuffer.fromString('123456');
    try {
      await expect(c.operations.pinVerify({ target, pin, onPinPad })).rejects.toMatchObject({ code: 'PIN_PAD_REQUIRED' });
      expect(fake.controlLog.some((x) => x.code === FAKE_PAD_IOCTL.VERIFY)).toBe(false);
      expect(await c.operations.pinVerify({ target, pin, forcePcEntry: true })).toMatchObject({ result: 'verified' });
      expect(prompts).toEqual([]);
    } finally {
      pin.wipe();
    }
  });

  it('change on the pad: old, new, new again typed there; the new PIN then verifies', async () => {
    pad.type('123456', '246810', '246810');
    const r = await c.operations.pinChange({ target, askPins: async () => [await askPin(), await askPin()], onPinPad });
    expect(r).toMatchObject({ result: 'changed', birthDateChecked: false });
    expect(asked).toBe(0);
    pad.type('246810');
    expect(await c.operations.pinVerify({ target, onPinPad })).toMatchObject({ result: 'verified' });
    expect(prompts).toEqual(['enter the PIN on the reader', 'enter the PIN on the reader']);
  });

  it('without a pad the prompt is asked (and the PIN wiped afterwards)', async () => {
    fake.attachPinPad(PAD, { features: new Uint8Array(0), control: () => new Uint8Array(0) });
    let typed: PinBuffer | undefined;
    const r = await c.operations.pinVerify({
      target,
      askPin: async () => {
        typed = await askPin();
        return typed;
      },
      onPinPad,
    });
    expect(r).toMatchObject({ result: 'verified' });
    expect(asked).toBe(1);
    expect(typed?.wiped).toBe(true);
    expect(prompts).toEqual([]);
  });
});
