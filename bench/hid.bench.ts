import { FakeHid } from '../native-shims/fake-hid.js';
import { createSimulatedCard } from '../simulators/create-card.js';
import { SimulatedHidReader } from '../simulators/hid-reader-simulator.js';
import { apduStack } from '../src/apdu/apdu-stack.js';
import { SocialSecuritySession } from '../src/cards/social-security/social-security-session.js';
import { fromHex } from '../src/core/hex.js';
import type { CardTransport } from '../src/transport/card-transport.js';
import { HidReaderSource } from '../src/transport/hid/hid-reader-source.js';
import { REFERENCE_PRODUCT_ID, REFERENCE_VENDOR_ID } from '../src/transport/hid/reference/reference-driver.js';
import { InProcessTransport, simulatedReader } from '../src/transport/in-process/in-process-transport.js';
import { fmt, percentile, rate } from './measure.js';

const SELECT_SSSE = fromHex('00A404000F7378312E73682EC9E7BBE1B1A3D5CF');
const RUNS = 5;

/**
 * The HID path (HidReaderSource -> reference driver framing/chaining/checksums -> node-hid wrapper
 * contract, here the fake -> simulated HID reader -> card OS) against the in-process path (the
 * same card OS behind InProcessTransport), measured side by side in the same run, RUNS times.
 * There is no kernel uhid here, so USB latency is not in the figure: it is the cost of the
 * transport's own work (docs/readers.md).
 */
export async function benchHid(): Promise<string[]> {
  const fake = new FakeHid();
  const hidReader = new SimulatedHidReader(createSimulatedCard('demo'));
  fake.plug({ vendorId: REFERENCE_VENDOR_ID, productId: REFERENCE_PRODUCT_ID, product: 'bench', serialNumber: 'B1', release: 1, interface: 0 }, hidReader);
  const source = new HidReaderSource({ binding: fake, pollMs: 3_600_000 });
  await source.start();
  const hid = await source.connect(source.readers()[0]!.reader.id);
  const inProcess: CardTransport = new InProcessTransport(createSimulatedCard('demo'), simulatedReader('demo'));

  const cases: { name: string; op: (t: CardTransport) => Promise<unknown> }[] = [
    { name: 'one APDU (SELECT SSSE, 1 report each way)', op: (t) => t.transmit(SELECT_SSSE) },
    { name: 'full SSSE read of the demo card (4 APDUs, answers chained over several reports)', op: (t) => new SocialSecuritySession(apduStack(t)).read() },
  ];
  const lines = [
    '## APDU round trip: USB-HID path vs in-process',
    '',
    `${RUNS} runs of ~300 ms per path and case, interleaved; ratio = HID median ÷ in-process median of the same run.`,
    '',
    '| case | in-process median µs | HID median µs | HID p95 µs | ratio (median of runs) | ratio min–max |',
    '|---|---|---|---|---|---|',
  ];
  try {
    for (const c of cases) {
      const ratios: number[] = [];
      const base: number[] = [];
      const viaHid: number[] = [];
      const p95: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const a = await rate(() => c.op(inProcess), 300);
        const b = await rate(() => c.op(hid), 300);
        const ma = percentile(a.samplesUs, 50);
        const mb = percentile(b.samplesUs, 50);
        base.push(ma);
        viaHid.push(mb);
        p95.push(percentile(b.samplesUs, 95));
        ratios.push(mb / ma);
      }
      lines.push(
        `| ${c.name} | ${fmt(percentile(base, 50), 1)} | ${fmt(percentile(viaHid, 50), 1)} | ${fmt(percentile(p95, 50), 1)} | ${fmt(percentile(ratios, 50))} | ${fmt(Math.min(...ratios))}–${fmt(Math.max(...ratios))} |`,
      );
    }
  } finally {
    await hid.close();
    await inProcess.close();
    await source.stop();
  }
  return lines;
}
