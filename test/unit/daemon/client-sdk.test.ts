import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { SscardClient, SscardClientError, type WireEvent } from '../../../src/client/index.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';
import { startTestDaemon, type TestDaemon } from '../../support/daemon.js';

/** The client SDK in Node against the daemon in this process (in-process simulated readers with insert/remove hooks). */
describe('client SDK (Node, ws socket factory)', () => {
  let d: TestDaemon;
  const sim = new InProcessReaderSource([{ profileId: 'demo', card: createSimulatedCard('demo') }]);
  const connect = (token: string) =>
    SscardClient.connect({
      url: `ws://127.0.0.1:${d.port}/`,
      clientName: 'sdk-test',
      socket: (url) => new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } }) as never,
    });

  beforeAll(async () => {
    d = await startTestDaemon({}, { pcsc: false, extraSources: [sim] });
  });
  afterAll(() => d.stop());

  it('hello, typed request, typed error, events', async () => {
    const client = await connect(d.readerToken);
    expect(client.hello).toMatchObject({ apiLevel: 2, role: 'reader', simulatedReaders: true });
    expect(client.hello.methods).not.toContain('card.lock');
    const { readers } = await client.request('readers.list');
    expect(readers).toEqual([{ id: 'sim:0:demo', name: 'Simulated card 0 (demo)', kind: 'simulated', simulated: true, cardPresent: true }]);
    const read = await client.request('card.read', { reader: 'sim:0:demo' });
    expect(read.data.card.cardNumber).toBe('A12345674');
    expect(read.status?.kind).toBe('normal');

    const events: WireEvent[] = [];
    client.on('*', (e) => events.push(e));
    await client.subscribe();
    sim.remove(0);
    await expect(client.request('card.read', {})).rejects.toMatchObject({ code: 'NO_CARD' });
    sim.insert(0, createSimulatedCard('demo'));
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([
      { type: 'card-removed', reader: { id: 'sim:0:demo', name: 'Simulated card 0 (demo)', kind: 'simulated', simulated: true } },
      { type: 'card-inserted', reader: { id: 'sim:0:demo', name: 'Simulated card 0 (demo)', kind: 'simulated', simulated: true } },
    ]);
    const err = await client.request('card.lock', { cardIdentificationCode: '110100D156000005123456789ABCDEF0', cardNumber: 'A12345674', kind: 'formal' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SscardClientError);
    expect(err).toMatchObject({ code: 'FORBIDDEN', details: { required: 'counter' } });
    client.close();
  });

  it('a refused connection rejects CONNECTION_FAILED', async () => {
    await expect(connect('y'.repeat(43))).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
  });
});
