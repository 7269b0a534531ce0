import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../../simulators/create-card.js';
import { apduStack } from '../../../../src/apdu/apdu-stack.js';
import { SocialSecuritySession } from '../../../../src/cards/social-security/social-security-session.js';
import { ReaderRegistry } from '../../../../src/service/reader-registry.js';
import { HidFrameError } from '../../../../src/transport/hid/hid-error.js';
import type { ReaderEvent } from '../../../../src/transport/reader-monitor.js';
import { TransportError } from '../../../../src/transport/transport-error.js';
import { simulatedHidRig, type SimulatedHidRig } from '../../../support/simulated-hid.js';

const SELECT_SSSE = Uint8Array.from(Buffer.from('00A404000F7378312E73682EC9E7BBE1B1A3D5CF', 'hex'));
/** SW1 of SELECT SSSE on the demo card: 61 (T=0, GET RESPONSE follows) or 90. */
const selectOk = (response: Uint8Array) => expect([0x61, 0x90]).toContain(response[response.length - 2]);

let rig: SimulatedHidRig | undefined;
afterEach(async () => {
  if (!rig) return;
  await rig.source.stop();
  expect(rig.fake.openHandles()).toBe(0);
  rig = undefined;
});

async function started(profile = 'demo'): Promise<{ rig: SimulatedHidRig; events: ReaderEvent[] }> {
  rig = simulatedHidRig(profile);
  const events: ReaderEvent[] = [];
  rig.source.on((e) => events.push(e));
  await rig.source.start();
  return { rig, events };
}

/** A whole SSSE read (select, EF05, EF06: answers longer than one report are chained). */
async function readAll(r: SimulatedHidRig) {
  const t = await r.source.connect(r.source.readers()[0]!.reader.id);
  try {
    return await new SocialSecuritySession(apduStack(t)).read();
  } finally {
    await t.close();
  }
}

/** Reports (both directions) of one whole read on a fresh rig, counted by the fake wire. */
async function reportsOfOneRead(): Promise<number> {
  const { rig: r } = await started();
  r.fake.injectFault(r.path, { kind: 'drop', atReport: 1_000_000 });
  await readAll(r);
  const n = r.fake.reportsCrossed(r.path);
  await r.source.stop();
  return n;
}

describe('HID reader source over the fake node-hid + simulated reference reader', () => {
  it('discovers the reader and its card, with ATR and interface; readers() and events agree', async () => {
    const { rig: r, events } = await started();
    const card = createSimulatedCard('demo');
    const [state] = r.source.readers();
    expect(state).toMatchObject({ cardPresent: true, atr: Buffer.from(card.atr()).toString('hex').toUpperCase(), cardInterface: 'contact' });
    expect(state!.reader).toEqual({ id: 'hid:1209:0001:SIM0001', name: 'sscard Reference HID reader (HID 1209:0001 SIM0001)', kind: 'hid', simulated: false, cardInterface: 'dual' });
    expect(events.map((e) => e.type)).toEqual(['reader-added', 'card-inserted']);
  });

  it('hot-plug: card removal and insertion, then unplug, are seen by the poll', async () => {
    const { rig: r, events } = await started();
    r.reader.remove();
    await r.source.poll();
    r.reader.insert(createSimulatedCard('v1-zhang-san'), 'contactless');
    await r.source.poll();
    expect(r.source.readers()[0]).toMatchObject({ cardPresent: true, cardInterface: 'contactless' });
    r.fake.unplug(r.path);
    await r.source.poll();
    expect(r.source.readers()).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['reader-added', 'card-inserted', 'card-removed', 'card-inserted', 'card-removed', 'reader-removed']);
  });

  it('the registry lists HID readers next to other sources and connects through them', async () => {
    rig = simulatedHidRig('demo');
    const registry = new ReaderRegistry([rig.source]);
    await registry.start();
    try {
      const state = await registry.choose({ timeoutMs: 100 });
      expect(state.reader.kind).toBe('hid');
      const t = await registry.connect(state.reader.id);
      const read = await new SocialSecuritySession(apduStack(t)).read();
      expect(read.card.cardNumber).toBeTruthy();
      await t.close();
    } finally {
      await registry.stop();
    }
  });

  it('per-device exclusive access: a second connection is SHARING_VIOLATION until the first closes', async () => {
    const { rig: r } = await started();
    const id = r.source.readers()[0]!.reader.id;
    const first = await r.source.connect(id);
    await expect(r.source.connect(id)).rejects.toMatchObject({ code: 'SHARING_VIOLATION' });
    await first.close();
    await expect(first.transmit(SELECT_SSSE)).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
    const second = await r.source.connect(id);
    await second.close();
  });

  it('no card: connect is NO_CARD; a mute card is UNRESPONSIVE_CARD', async () => {
    const { rig: r } = await started();
    const id = r.source.readers()[0]!.reader.id;
    r.reader.mute = true;
    await expect(r.source.connect(id)).rejects.toMatchObject({ code: 'UNRESPONSIVE_CARD' });
    r.reader.remove();
    await expect(r.source.connect(id)).rejects.toMatchObject({ code: 'NO_CARD' });
    expect(r.source.readers()[0]!.cardPresent).toBe(false);
  });

  it('a lost report is a TIMEOUT, and the next exchange works again', async () => {
    const { rig: r } = await started();
    const t = await r.source.connect(r.source.readers()[0]!.reader.id);
    r.fake.injectFault(r.path, { kind: 'drop', atReport: 1 }); // the answer to SELECT
    await expect(t.transmit(SELECT_SSSE)).rejects.toMatchObject({ code: 'TIMEOUT' });
    selectOk(await t.transmit(SELECT_SSSE));
    await t.close();
  });

  it('a whole read chains answers over several reports (the exchange used below)', async () => {
    const { rig: r } = await started();
    r.fake.injectFault(r.path, { kind: 'drop', atReport: 1_000_000 });
    await readAll(r);
    const apdus = r.reader.requests.filter((q) => q.code === 0x13).length;
    // one report per request, at least one per answer, and more for the long record answers
    expect(r.fake.reportsCrossed(r.path)).toBeGreaterThan(2 * apdus);
  });

  it('unplug at every report index gives READER_REMOVED and drops the reader', async () => {
    const total = await reportsOfOneRead();
    for (let at = 0; at < total; at++) {
      const { rig: r, events } = await started();
      r.fake.injectFault(r.path, { kind: 'unplug', atReport: at });
      const failure = await readAll(r).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure, `report ${at}`).toBeInstanceOf(TransportError);
      expect((failure as TransportError).code, `report ${at}`).toBe('READER_REMOVED');
      await r.source.poll();
      expect(r.source.readers(), `report ${at}`).toEqual([]);
      expect(events.slice(-2).map((e) => e.type)).toEqual(['card-removed', 'reader-removed']);
      await r.source.stop();
      expect(r.fake.openHandles()).toBe(0);
    }
    rig = undefined;
  });

  it('a corrupted byte at every report index (either direction) gives a typed framing error', async () => {
    const total = await reportsOfOneRead();
    for (let at = 0; at < total; at++) {
      for (const byte of [0, 1, 3, 5, 20, 63]) {
        const { rig: r } = await started();
        r.fake.injectFault(r.path, { kind: 'corrupt', atReport: at, byte });
        const failure = await readAll(r).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(failure, `report ${at} byte ${byte}`).toBeInstanceOf(HidFrameError);
        expect((failure as HidFrameError).code).toBe('PROTOCOL_ERROR');
        expect(['BAD_CHECKSUM', 'BAD_SEQUENCE', 'READER_ERROR']).toContain((failure as HidFrameError).fault);
        await r.source.stop();
      }
    }
    rig = undefined;
  });

  it('framing faults of the reader that pass the checksum are typed, and the reader recovers', async () => {
    const { rig: r } = await started();
    const t = await r.source.connect(r.source.readers()[0]!.reader.id);
    const cases = [
      ['bad-sequence', 'BAD_SEQUENCE'],
      ['bad-index', 'BAD_INDEX'],
      ['bad-length', 'BAD_LENGTH'],
      ['bad-magic', 'BAD_MAGIC'],
      ['wrong-code', 'BAD_RESPONSE'],
    ] as const;
    for (const [misbehaviour, fault] of cases) {
      r.reader.misbehaveOnce(misbehaviour);
      await expect(t.transmit(SELECT_SSSE), misbehaviour).rejects.toMatchObject({ code: 'PROTOCOL_ERROR', fault });
      selectOk(await t.transmit(SELECT_SSSE));
    }
    await t.close();
  });

  it('an output report with a bad checksum is refused by the reader: BAD_CHECKSUM with its status', async () => {
    const { rig: r } = await started();
    const t = await r.source.connect(r.source.readers()[0]!.reader.id);
    r.fake.injectFault(r.path, { kind: 'corrupt', atReport: 0, byte: 8 });
    await expect(t.transmit(SELECT_SSSE)).rejects.toMatchObject({ code: 'PROTOCOL_ERROR', fault: 'BAD_CHECKSUM', readerStatus: 3 });
    await t.close();
  });
});
