import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VpcdClient } from '../../simulators/vpcd-client.js';
import { PcscConnector } from '../../src/transport/pcsc/pcsc-connector.js';
import { PcscReaderMonitor } from '../../src/transport/pcsc/pcsc-reader-monitor.js';
import type { ReaderEvent } from '../../src/transport/reader-monitor.js';
import { READER_0, READER_1, ensurePcscd, pcscd, sleep, waitFor } from '../support/pcscd.js';
import { GET_CHALLENGE_8, TestCard } from '../support/test-card.js';

const availability = await ensurePcscd();

/** pcscd dies and comes back during a monitor run (docs/pcsc.md, "Recovery"). */
describe.skipIf(!availability.available)(`recovery from a pcscd restart (${availability.reason})`, () => {
  let monitor: PcscReaderMonitor;
  let connector: PcscConnector;
  const events: Array<ReaderEvent & { at: number }> = [];
  const client = new VpcdClient(new TestCard(), { slot: 0 });
  const cardIn = (): boolean => monitor.readers().some((r) => r.reader.name === READER_0 && r.cardPresent);

  beforeAll(async () => {
    monitor = new PcscReaderMonitor();
    monitor.on((e) => events.push({ ...e, at: Date.now() }));
    await monitor.start();
    connector = new PcscConnector({ manager: monitor.manager });
  });

  afterAll(async () => {
    await client.remove();
    await connector?.close();
    await monitor?.stop();
    await pcscd('start'); // leave a running pcscd whatever happened
  });

  for (const [how, command] of [
    ['killed (SIGKILL, stale files)', 'kill'],
    ['stopped (SIGTERM)', 'stop'],
  ] as const) {
    it(`pcscd ${how}: service-down, low CPU while down, service-up + readers within 2 s of ready`, async () => {
      await client.insert();
      await waitFor(cardIn, 3000, 'card-inserted');
      const open = await connector.connect(READER_0);
      events.length = 0;

      await pcscd(command);
      await waitFor(() => events.some((e) => e.type === 'service-down'), 2000, 'service-down');
      // a connection opened before the death fails typed and closes without hanging
      await expect(open.transmit(GET_CHALLENGE_8)).rejects.toMatchObject({ code: 'NO_SERVICE' });
      await open.close();
      await waitFor(() => !client.inserted, 2000, 'vpcd socket closed by the dying pcscd');

      const cpuStart = process.cpuUsage();
      const wallStart = performance.now();
      await sleep(2000);
      const cpu = process.cpuUsage(cpuStart);
      const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wallStart);
      console.info(`CPU while pcscd is down: ${(cpuShare * 100).toFixed(2)} % of one core`);
      expect(cpuShare).toBeLessThan(0.1);
      await expect(connector.connect(READER_0)).rejects.toMatchObject({ code: 'NO_SERVICE' });

      await pcscd('start'); // returns once the log says "daemon ready"
      const readyAt = Date.now();
      await waitFor(() => events.some((e) => e.type === 'service-up'), 2000, 'service-up');
      const up = events.find((e) => e.type === 'service-up');
      console.info(`service-up ${(up?.at ?? 0) - readyAt} ms after pcscd was ready`);
      expect(monitor.readers().map((r) => r.reader.name)).toEqual([READER_0, READER_1]);
      expect(events.map((e) => e.type)).toEqual(['service-down', 'card-removed', 'service-up']);

      await client.insert();
      await waitFor(cardIn, 3000, 'card-inserted after the restart');
      const transport = await connector.connect(READER_0);
      try {
        expect(await transport.transmit(GET_CHALLENGE_8)).toHaveLength(10);
      } finally {
        await transport.close();
      }
      await client.remove();
      await waitFor(() => !cardIn(), 3000, 'card-removed');
    });
  }
});
