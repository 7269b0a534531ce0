import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePcsc } from '../../../../native-shims/fake-pcsc.js';
import { FAKE_PAD_IOCTL, FakePinPad, LIBCCID_PINPAD_FEATURES, LIBCCID_PLAIN_FEATURES } from '../../../../native-shims/fake-pin-pad.js';
import { createSimulatedCard } from '../../../../simulators/create-card.js';
import { apduStack } from '../../../../src/apdu/apdu-stack.js';
import { PinError } from '../../../../src/cards/social-security/pin/pin-error.js';
import {
  assertPcPinEntryAllowed,
  changePinOnPad,
  pinModifyStructure,
  pinVerifyStructure,
  verifyPinOnPad,
} from '../../../../src/cards/social-security/pin/pin-pad-operations.js';
import { routePinEntry } from '../../../../src/cards/social-security/pin/pin-entry-route.js';
import { PinBuffer } from '../../../../src/core/pin-buffer.js';
import { pinLengthPolicy } from '../../../../src/cards/social-security/pin/pin-policy.js';
import { SocialSecuritySession } from '../../../../src/cards/social-security/social-security-session.js';
import type { CardTransport } from '../../../../src/transport/card-transport.js';
import { PcscConnector } from '../../../../src/transport/pcsc/pcsc-connector.js';
import { parseFeatureList } from '../../../../src/transport/pinpad/part10-features.js';
import { discoverPinPad, type PinPad } from '../../../../src/transport/pinpad/pin-pad.js';

const PAD = 'Cherry GmbH SmartTerminal ST-2xxx [Vendor Interface] 00 00';
const PLAIN = 'Plain CCID reader 00 00';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** PIN_VERIFY_STRUCTURE for a 6-digit social PIN (PC/SC part 10 §2.5.2, layout in docs/readers.md). */
const VERIFY_6 =
  '1E' + '1E' + '81' + '03' + '00' + '0606' + '02' + '01' + '0408' + '00' + '000000' + '08000000' + /* abData */ '0020000003' + 'FFFFFF';
/** PIN_MODIFY_STRUCTURE for a 6-digit PIN: old typed, new typed twice (§2.5.3). */
const MODIFY_6 =
  '1E' + '1E' + '81' + '03' + '00' + '00' + '04' + '0606' + '03' + '02' + '03' + '0408' + '000102' + '000000' + '0C000000' + '805E010007' + 'FFFFFF' + 'FF' + 'FFFFFF';

describe('PIN-pad structures (pure)', () => {
  it('PIN_VERIFY_STRUCTURE and PIN_MODIFY_STRUCTURE for 6 digits, byte for byte', () => {
    expect(hex(pinVerifyStructure())).toBe(VERIFY_6);
    expect(hex(pinModifyStructure())).toBe(MODIFY_6);
  });

  it('odd lengths keep the F pad nibble in a ceil(N/2)-byte block; a range is refused', () => {
    const five = pinVerifyStructure(pinLengthPolicy(5));
    expect(hex(five.subarray(2, 7))).toBe('8103000505');
    expect(hex(five.subarray(19))).toBe('0020000003FFFFFF');
    expect(hex(pinVerifyStructure(pinLengthPolicy(8)).subarray(19))).toBe('0020000004FFFFFFFF');
    expect(() => pinVerifyStructure(pinLengthPolicy(4, 8))).toThrow(expect.objectContaining({ code: 'PIN_PAD_UNSUPPORTED' }));
  });

  it('parses the GET_FEATURE_REQUEST answer of a libccid pinpad; malformed answers are typed', () => {
    expect([...parseFeatureList(LIBCCID_PINPAD_FEATURES)]).toEqual([
      [0x06, 0x42330006],
      [0x07, 0x42330007],
      [0x0a, 0x4233000a],
      [0x12, 0x42330012],
    ]);
    expect(parseFeatureList(new Uint8Array(0)).size).toBe(0);
    expect(() => parseFeatureList(Uint8Array.of(0x06, 0x04, 0x42, 0x33))).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR' }));
    expect(() => parseFeatureList(Uint8Array.of(0x06, 0x02, 0x42, 0x33, 0, 6))).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR' }));
  });
});

describe('PIN pad over the fake PC/SC with a simulated card', () => {
  let fake: FakePcsc;
  let pad: FakePinPad;
  let connector: PcscConnector;
  let transport: CardTransport | undefined;
  const traffic: string[] = [];

  beforeEach(() => {
    fake = new FakePcsc();
    pad = new FakePinPad();
    for (const name of [PAD, PLAIN]) {
      fake.addReader(name);
      const card = createSimulatedCard('demo');
      fake.insertCard(name, { atr: card.atr(), transmit: (c) => card.execute(c) });
    }
    fake.attachPinPad(PAD, pad);
    connector = new PcscConnector({ binding: fake, serviceWaitMs: 300, removalCheckMs: 100, retryInitialMs: 20, retryMaxMs: 50, settleMinMs: 5 });
    traffic.length = 0;
  });

  afterEach(async () => {
    await transport?.close();
    transport = undefined;
    await connector.close();
  });

  async function open(name = PAD): Promise<{ session: SocialSecuritySession; found: PinPad | undefined }> {
    transport = await connector.connect(name);
    const found = await discoverPinPad(transport);
    return { session: new SocialSecuritySession(apduStack(transport, { traffic: (l) => traffic.push(l) })), found };
  }

  /** Every byte string the PC side produced or received: control inputs and outputs, traffic, errors. */
  function expectNoPinOnPcSide(pins: string[], extra: string[] = []): void {
    const pcSide = [...fake.controlLog.map((c) => hex(c.input)), ...traffic, ...extra].join('\n');
    for (const pin of pins) {
      const bcd = pin.length % 2 ? `${pin}F` : pin;
      expect(pcSide).not.toContain(pin);
      expect(pcSide).not.toContain(bcd);
      expect(pcSide).not.toContain(Buffer.from(pin, 'ascii').toString('hex').toUpperCase());
    }
  }

  it('finds the pad by GET_FEATURE_REQUEST; plain and non-part-10 readers have none', async () => {
    const { found } = await open();
    expect(found?.canVerify).toBe(true);
    expect(found?.canModify).toBe(true);
    expect(fake.controlLog[0]).toMatchObject({ reader: PAD, code: FAKE_PAD_IOCTL.GET_FEATURE_REQUEST, input: new Uint8Array(0) });
    await transport!.close();
    expect((await open(PLAIN)).found).toBeUndefined(); // SCardControl unsupported (like vpcd)
    await transport!.close();
    fake.attachPinPad(PLAIN, { features: LIBCCID_PLAIN_FEATURES, control: () => new Uint8Array(0) });
    expect((await open(PLAIN)).found).toBeUndefined(); // part 10 reader without a keypad
  });

  it('VERIFY on the pad sends the exact structure; the card gets the PIN, the PC never sees it', async () => {
    const { session, found } = await open();
    pad.type('123456');
    expect(await verifyPinOnPad(session, found!)).toEqual({ status: 'verified' });
    const sent = fake.controlLog.filter((c) => c.code === FAKE_PAD_IOCTL.VERIFY);
    expect(sent.map((c) => hex(c.input))).toEqual([VERIFY_6]);
    expect(pad.sentToCard.map(hex)).toEqual(['0020000003123456']); // pad -> card only
    expectNoPinOnPcSide(['123456']);
  });

  it('a wrong PIN typed on the pad is WRONG_PIN with tries left; nothing of it on the PC side', async () => {
    const { session, found } = await open();
    pad.type('135790');
    const e = await verifyPinOnPad(session, found!).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PinError);
    expect(e).toMatchObject({ code: 'WRONG_PIN', triesLeft: 2 });
    expectNoPinOnPcSide(['135790'], [String(e), JSON.stringify(e)]);
  });

  it('CHANGE PIN on the pad (old, new, new again), then VERIFY with the new PIN', async () => {
    const { session, found } = await open();
    pad.type('123456', '246810', '246810');
    expect(await changePinOnPad(session, found!)).toEqual({ status: 'changed' });
    expect(fake.controlLog.filter((c) => c.code === FAKE_PAD_IOCTL.MODIFY).map((c) => hex(c.input))).toEqual([MODIFY_6]);
    expect(pad.sentToCard.map(hex)).toEqual(['805E010007123456FF246810']);
    pad.type('246810');
    expect(await verifyPinOnPad(session, found!)).toEqual({ status: 'verified' });
    expectNoPinOnPcSide(['123456', '246810']);
  });

  it('pad outcomes: timeout, cancel, new PINs differ, wrong length -> typed, nothing sent to the card', async () => {
    const { session, found } = await open();
    const outcomes: [string[], string, (s: SocialSecuritySession, p: PinPad) => Promise<unknown>][] = [
      [['timeout'], 'PIN_ENTRY_TIMEOUT', verifyPinOnPad],
      [['cancel'], 'PIN_ENTRY_CANCELLED', verifyPinOnPad],
      [['1234'], 'PIN_FORMAT', verifyPinOnPad],
      [['123456', '246810', '246811'], 'PIN_FORMAT', changePinOnPad],
    ];
    for (const [typed, code, op] of outcomes) {
      pad.type(...typed);
      await expect(op(session, found!), code).rejects.toMatchObject({ code, layer: 'pin' });
    }
    expect(pad.sentToCard).toEqual([]);
    expect((await session.pinStatus()).state).toBe('active');
  });

  it('the last-try guard runs before the pad is asked', async () => {
    const { session, found } = await open();
    pad.type('000000', '000000');
    await expect(verifyPinOnPad(session, found!)).rejects.toMatchObject({ code: 'WRONG_PIN', triesLeft: 2 });
    await expect(verifyPinOnPad(session, found!)).rejects.toMatchObject({ code: 'WRONG_PIN', triesLeft: 1 });
    const verifies = fake.controlLog.filter((c) => c.code === FAKE_PAD_IOCTL.VERIFY).length;
    await expect(verifyPinOnPad(session, found!)).rejects.toMatchObject({ code: 'LAST_TRY_NOT_CONFIRMED' });
    expect(fake.controlLog.filter((c) => c.code === FAKE_PAD_IOCTL.VERIFY)).toHaveLength(verifies);
  });

  it('card pulled while the pad waits: OPERATION_INTERRUPTED, outcome unknown', async () => {
    const { session, found } = await open();
    await session.pinStatus();
    fake.injectFault({ operation: 'control', status: 0x80100069 });
    await expect(verifyPinOnPad(session, found!)).rejects.toMatchObject({ code: 'OPERATION_INTERRUPTED', outcome: 'unknown', transportCode: 'CARD_REMOVED' });
  });

  it('PC-side PIN entry is refused for a pad reader unless forced', () => {
    const fakePad = { canVerify: true } as PinPad;
    expect(() => assertPcPinEntryAllowed(fakePad, false)).toThrow(expect.objectContaining({ code: 'PIN_PAD_REQUIRED', message: expect.stringContaining('enter the PIN on the reader') }));
    expect(() => assertPcPinEntryAllowed(fakePad, true)).not.toThrow();
    expect(() => assertPcPinEntryAllowed(undefined, false)).not.toThrow();
  });

  it('routes PIN entry: pad unless forced; PC PINs for a pad reader refused; asked on the PC only without a pad', async () => {
    const prompts: string[] = [];
    const onPinPad = (p: string) => prompts.push(p);
    let asked = 0;
    const ask = async () => {
      asked++;
      return [PinBuffer.fromString('123456')];
    };
    const given = [PinBuffer.fromString('123456')];
    transport = await connector.connect(PAD);
    expect(await routePinEntry(transport, { ask, onPinPad })).toMatchObject({ where: 'pad' });
    expect(prompts).toEqual(['enter the PIN on the reader']);
    await expect(routePinEntry(transport, { pc: given, onPinPad })).rejects.toMatchObject({ code: 'PIN_PAD_REQUIRED' });
    expect(await routePinEntry(transport, { pc: given, forcePc: true })).toEqual({ where: 'pc', pins: given });
    expect(asked).toBe(0);
    await transport.close();
    transport = await connector.connect(PLAIN);
    const route = await routePinEntry(transport, { ask, onPinPad });
    expect(route.where).toBe('pc');
    expect(asked).toBe(1);
    await expect(routePinEntry(transport, {})).rejects.toMatchObject({ code: 'PIN_PAD_UNSUPPORTED' });
    expect(prompts).toHaveLength(1);
  });
});
