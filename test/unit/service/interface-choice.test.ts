import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { ReaderRegistry } from '../../../src/service/reader-registry.js';
import { WRONG_CARD_TYPE_NATIONAL_CODE } from '../../../src/service/interface-choice.js';
import { INTERFACE_REQUEST_OF_ITYPE, interfaceFromReaderName } from '../../../src/transport/card-interface.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';
import { pcscReaderInfo } from '../../../src/transport/pcsc/pcsc-reader-info.js';
import { simulatedHidRig, type SimulatedHidRig } from '../../support/simulated-hid.js';

let registry: ReaderRegistry | undefined;
afterEach(() => registry?.stop());

/** A contact reader (the in-process one: nothing says otherwise) and a dual HID reader. */
async function setUp(hidCard: 'contact' | 'contactless' | 'none', contactCard = true): Promise<{ rig: SimulatedHidRig; sim: InProcessReaderSource }> {
  const rig = simulatedHidRig(hidCard === 'none' ? undefined : 'demo', { cardInterface: hidCard === 'none' ? undefined : hidCard });
  const sim = new InProcessReaderSource([{ profileId: 'demo', card: createSimulatedCard('demo') }]);
  if (!contactCard) sim.remove(0);
  registry = new ReaderRegistry([sim, rig.source]);
  await registry.start();
  return { rig, sim };
}

const kindOf = async (cardInterface: Parameters<ReaderRegistry['choose']>[0]['cardInterface']) => (await registry!.choose({ timeoutMs: 50, cardInterface })).reader.kind;

describe('interface choice (iType)', () => {
  it('maps the four iType values', () => {
    expect(INTERFACE_REQUEST_OF_ITYPE).toEqual({ 1: 'contact', 2: 'contactless', 3: 'contact-first', 4: 'contactless-first' });
    expect(WRONG_CARD_TYPE_NATIONAL_CODE).toBe(-1);
  });

  it('knows a PC/SC reader interface from its name', () => {
    expect(interfaceFromReaderName('ACS ACR1281 1S Dual Reader PICC 00 00')).toBe('contactless');
    expect(interfaceFromReaderName('ACS ACR1281 1S Dual Reader ICC 01 00')).toBeUndefined();
    expect(interfaceFromReaderName('Generic NFC reader')).toBe('contactless');
    expect(interfaceFromReaderName('Virtual PCD 00 00')).toBeUndefined();
    expect(pcscReaderInfo('ACS ACR122U PICC Interface 00 00').cardInterface).toBe('contactless');
    expect(pcscReaderInfo('Virtual PCD 00 00')).not.toHaveProperty('cardInterface');
  });

  it('contact / contactless pick the reader whose card is on that interface', async () => {
    await setUp('contactless');
    expect(await kindOf('contact')).toBe('simulated');
    expect(await kindOf('contactless')).toBe('hid');
    expect(await kindOf('contact-first')).toBe('simulated');
    expect(await kindOf('contactless-first')).toBe('hid');
    await expect(kindOf(undefined)).rejects.toMatchObject({ code: 'AMBIGUOUS_READER' });
  });

  it('only a contactless card and contact asked: WRONG_CARD_TYPE at once; the -first forms fall back', async () => {
    await setUp('contactless', false);
    await expect(kindOf('contact')).rejects.toMatchObject({ code: 'WRONG_CARD_TYPE', layer: 'service' });
    expect(await kindOf('contact-first')).toBe('hid');
    expect(await kindOf('contactless-first')).toBe('hid');
  });

  it('only a contact card and contactless asked: WRONG_CARD_TYPE, also for a named reader', async () => {
    const { sim } = await setUp('none');
    await expect(kindOf('contactless')).rejects.toMatchObject({ code: 'WRONG_CARD_TYPE' });
    const name = sim.readers()[0]!.reader.name;
    await expect(registry!.choose({ reader: name, timeoutMs: 50, cardInterface: 'contactless' })).rejects.toMatchObject({ code: 'WRONG_CARD_TYPE' });
    expect((await registry!.choose({ reader: name, timeoutMs: 50, cardInterface: 'contact' })).reader.name).toBe(name);
  });

  it('no card at all: waits, then TIMEOUT (no card is not a wrong card)', async () => {
    await setUp('none', false);
    await expect(kindOf('contact')).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
