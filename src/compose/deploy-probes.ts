import { PcscReaderSource } from '../transport/pcsc/pcsc-reader-source.js';
import type { ReaderState } from '../transport/reader-monitor.js';

/** Probes of the concrete parts for `sscard doctor` (docs/deploy.md): PC/SC and the status store. */
export { probeStatusStore, type StoreProbe } from '../status/probe-status-store.js';

export interface PcscSnapshot {
  readonly up: boolean;
  readonly readers: readonly ReaderState[];
  readonly error?: string;
}

/** One look at PC/SC: establish a context, wait for the first reader statuses (<= 3 s), close. */
export async function pcscSnapshot(timeoutMs = 3000): Promise<PcscSnapshot> {
  const source = new PcscReaderSource({ settleMaxMs: 1000 });
  try {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([source.monitor.start(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    const up = source.manager.state === 'up';
    // A context made while pcscd is still adding its readers can list none for a moment: look
    // again for up to 1.5 s before saying "no reader".
    for (let waited = 0; up && source.monitor.readers().length === 0 && waited < 1500; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
    }
    return { up, readers: up ? source.monitor.readers() : [] };
  } catch (e) {
    return { up: false, readers: [], error: (e as Error).message };
  } finally {
    await source.stop().catch(() => undefined);
  }
}

